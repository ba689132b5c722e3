package backfillcmd

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// TestBanOutlivesTheProcess: a run answered 418 exits 4 and stores the
// ban in the lake; the next process, during the ban, sends nothing at all,
// exits 4 too, and names the ban's end.
func TestBanOutlivesTheProcess(t *testing.T) {
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateFunding("BTCUSDT", 8, time.Now().Add(-10*24*time.Hour), time.Now(), time.Now(), 1)
	srv := binancesim.NewServer(m, binancesim.Options{
		Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.Banned, RetryAfter: time.Hour}, "", 0),
	})
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	run := func() error {
		io, _, _, _ := iostreams.Test()
		f := &cmdutil.Factory{
			IO: io, Now: time.Now, Getenv: func(k string) string { return map[string]string{BaseURLEnv: srv.URL}[k] },
			HTTPClient: func() *http.Client { return &http.Client{Timeout: 5 * time.Second} },
			Logger:     func() *slog.Logger { return slog.New(slog.DiscardHandler) },
		}
		cmd := NewCmdBackfill(f, nil)
		cmd.SetArgs([]string{"--symbols", "BTCUSDT", "--datasets", "funding", "--since", "10d", "--no-progress", "--data", dir})
		cmd.SetOut(&strings.Builder{})
		cmd.SetErr(&strings.Builder{})
		return cmd.Execute()
	}

	if err := run(); cmdutil.ExitCode(err) != cmdutil.ExitRetryLater {
		t.Fatalf("run answered 418: exit %d (%v), want %d", cmdutil.ExitCode(err), err, cmdutil.ExitRetryLater)
	}
	lake, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	until, err := lake.Ban(strings.TrimPrefix(srv.URL, "http://"))
	if err != nil || time.Until(until) < 59*time.Minute {
		t.Fatalf("stored ban until %v (%v), want an hour from now", until, err)
	}

	sent := len(srv.Requests())
	err = run()
	if cmdutil.ExitCode(err) != cmdutil.ExitRetryLater {
		t.Errorf("run during the stored ban: exit %d (%v), want %d", cmdutil.ExitCode(err), err, cmdutil.ExitRetryLater)
	}
	if err != nil && !strings.Contains(err.Error(), until.UTC().Format(time.RFC3339)) {
		t.Errorf("message %q does not name the ban's end %s", err, until.UTC().Format(time.RFC3339))
	}
	if n := len(srv.Requests()) - sent; n != 0 {
		t.Errorf("the run during the stored ban sent %d requests, want none", n)
	}
}
