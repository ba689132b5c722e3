package backfillcmd

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// TestArchiveFaultExitsThreeNamingTheFile: through the command, a file
// that fails its checksum, is cut off or ends early on both downloads
// makes the run partial (exit 3), the summary names it, nothing of it is
// stored, and the other files and today's REST page are; once the archive
// serves it whole, the next run imports it and exits 0.
func TestArchiveFaultExitsThreeNamingTheFile(t *testing.T) {
	since := time.Date(2026, 1, 25, 0, 0, 0, 0, time.UTC)
	key := data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}
	feb := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	for _, fault := range []binancesim.ArchiveFaultKind{binancesim.ArchiveBadChecksum, binancesim.ArchiveCutOff, binancesim.ArchiveShortBody} {
		t.Run(string(fault), func(t *testing.T) {
			t.Parallel()
			clock := func() time.Time { return now }
			m := binancesim.NewMarket()
			m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
			m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, since, now, 60000, 1, time.Time{})
			if err := m.DeriveKlines(key); err != nil {
				t.Fatal(err)
			}
			srv := binancesim.NewServer(m, binancesim.Options{Now: clock})
			t.Cleanup(srv.Close)
			arch := binancesim.NewArchive(binancesim.ArchiveOptions{Now: clock})
			if _, err := arch.PublishKlines(m, key, since); err != nil {
				t.Fatal(err)
			}
			arch.SetFault(feb.Name(), fault, 0)
			archSrv := httptest.NewServer(arch)
			t.Cleanup(archSrv.Close)
			dir := t.TempDir()
			run := func() (string, error) {
				io, _, out, _ := iostreams.Test()
				f := &cmdutil.Factory{
					IO: io, Now: clock, Getenv: func(string) string { return "" },
					HTTPClient: func() *http.Client { return &http.Client{Timeout: 5 * time.Second} },
					Logger:     func() *slog.Logger { return slog.New(slog.DiscardHandler) },
				}
				cmd := NewCmdBackfill(f, nil)
				cmd.SetArgs([]string{"--symbols", "BTCUSDT", "--datasets", "klines", "--kinds", "futures", "--intervals", "1h", "--since", "2026-01-25",
					"--base-url", srv.URL, "--spot-base-url", srv.URL, "--archive-url", archSrv.URL, "--no-progress", "--data", dir})
				cmd.SetOut(&strings.Builder{})
				cmd.SetErr(&strings.Builder{})
				err := cmd.Execute()
				return out.String(), err
			}
			out, err := run()
			if code := cmdutil.ExitCode(err); code != cmdutil.ExitPartial {
				t.Fatalf("exit %d (%v), want %d\n%s", code, err, cmdutil.ExitPartial, out)
			}
			if !strings.Contains(out, "Failed archive files") || !strings.Contains(out, feb.Path()) || !strings.Contains(out, "partial: 1 archive file failed") {
				t.Errorf("the summary does not name %s:\n%s", feb.Path(), out)
			}
			l, err := lake.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			got, err := l.ReadKlines(key)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range got.Rows {
				if !r.OpenTime.Before(feb.Start) && r.OpenTime.Before(feb.End()) {
					t.Fatalf("a candle of the failed file is stored: %s", r.OpenTime)
				}
			}
			// January 25–31 and March 1–20 (12 closed candles today).
			if want := (7+19)*24 + 12; len(got.Rows) != want {
				t.Errorf("%d candles stored, want %d", len(got.Rows), want)
			}

			arch.SetFault(feb.Name(), binancesim.ArchiveNoFault, 0)
			out, err = run()
			if err != nil {
				t.Fatalf("healed: %v\n%s", err, out)
			}
			got, _ = l.ReadKlines(key)
			if want := (7+28+19)*24 + 12; len(got.Rows) != want {
				t.Errorf("after the healed run %d candles, want %d", len(got.Rows), want)
			}
		})
	}
}
