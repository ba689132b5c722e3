package root

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/internal/cmdutil"
)

func fakeExchange(t *testing.T, opts binancesim.Options) *binancesim.Server {
	m := binancesim.NewMarket()
	now := time.Now()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, now.Add(-40*24*time.Hour), now, 60000, 1, time.Time{})
	m.GenerateFunding("BTCUSDT", 8, now.Add(-40*24*time.Hour), now, now, 2)
	s := binancesim.NewServer(m, opts)
	t.Cleanup(s.Close)
	return s
}

func run(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	f := NewFactory("test")
	io, _, out, errOut := testStreams()
	f.IO = io
	f.Getenv = func(k string) string { return env[k] }
	code := Execute(context.Background(), f, args)
	return code, out.String(), errOut.String()
}

func TestBackfillEndToEnd(t *testing.T) {
	srv := fakeExchange(t, binancesim.Options{})
	lake := t.TempDir()
	env := map[string]string{"CARRY_BINANCE_URL": srv.URL, "CARRY_DATA": lake}
	code, out, errOut := run(t, env, "backfill", "--symbols", "BTCUSDT", "--contract-types", "PERPETUAL", "--since", "20d")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"basis BTCUSDT PERPETUAL 1h", "funding BTCUSDT", "TOTAL (2 series)"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(errOut, "series done") {
		t.Errorf("no log lines off a terminal:\n%s", errOut)
	}
	code, out, _ = run(t, env, "backfill", "--symbols", "BTCUSDT", "--contract-types", "PERPETUAL", "--since", "20d", "--json")
	var rep struct {
		Series []struct {
			Series   string
			NewRows  int   `json:"new_rows"`
			Requests int64 `json:"requests"`
		}
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	for _, s := range rep.Series {
		if s.NewRows != 0 || s.Requests > 1 {
			t.Errorf("up-to-date re-run: %+v", s)
		}
	}
	code, out, _ = run(t, env, "data", "status", "--json")
	if code != 0 || !strings.Contains(out, `"rows": 48`) { // 480 or 481 hourly rows, by the minute the test runs
		t.Errorf("status after backfill: exit %d\n%s", code, out)
	}
}

func TestBackfillExitCodes(t *testing.T) {
	srv := fakeExchange(t, binancesim.Options{})
	env := map[string]string{"CARRY_BINANCE_URL": srv.URL, "CARRY_DATA": t.TempDir()}
	code, _, errOut := run(t, env, "backfill", "--symbols", "BTCUSDT,NOPEUSDT", "--contract-types", "PERPETUAL", "--since", "2d")
	if code != cmdutil.ExitPartial || !strings.Contains(errOut, "unknown symbol NOPEUSDT") {
		t.Errorf("unknown symbol: exit %d, stderr %s", code, errOut)
	}
	code, _, errOut = run(t, env, "backfill", "--symbols", "BTCUSDT", "--periods", "7m")
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--periods") {
		t.Errorf("bad period: exit %d, stderr %s", code, errOut)
	}
	banned := fakeExchange(t, binancesim.Options{Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.Banned, RetryAfter: time.Hour}, "", 2)})
	env["CARRY_BINANCE_URL"], env["CARRY_DATA"] = banned.URL, t.TempDir()
	code, _, errOut = run(t, env, "backfill", "--symbols", "BTCUSDT", "--contract-types", "PERPETUAL", "--since", "2d")
	if code != cmdutil.ExitRetryLater || !strings.Contains(errOut, "retry after") {
		t.Errorf("ban: exit %d, stderr %s", code, errOut)
	}
}

// TestBackfillWithoutNetworkSaysSoAtOnce: with no exchange to reach, the
// first connection error is logged at once and each retry is visible; no
// empty summary table is printed, and the exit code says it failed.
func TestBackfillWithoutNetworkSaysSoAtOnce(t *testing.T) {
	srv := fakeExchange(t, binancesim.Options{})
	url := srv.URL
	srv.Close() // nothing listens there any more
	env := map[string]string{"CARRY_BINANCE_URL": url, "CARRY_DATA": t.TempDir()}
	code, out, errOut := run(t, env, "backfill", "--symbols", "BTCUSDT", "--max-attempts", "2")
	if code != cmdutil.ExitError {
		t.Errorf("exit %d, want %d", code, cmdutil.ExitError)
	}
	if strings.Contains(out, "TOTAL") {
		t.Errorf("an empty summary table was printed:\n%s", out)
	}
	if !strings.Contains(errOut, "connection refused") || !strings.Contains(errOut, `msg="request failed; retrying"`) {
		t.Errorf("the connection error and the retry are not shown:\n%s", errOut)
	}
}
