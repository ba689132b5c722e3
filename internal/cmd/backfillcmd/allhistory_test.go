package backfillcmd

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// runBackfill runs `carry backfill args…` in-process and returns stdout.
func runBackfill(t *testing.T, args ...string) (string, error) {
	t.Helper()
	io, _, out, _ := iostreams.Test()
	f := &cmdutil.Factory{
		IO: io, Now: func() time.Time { return now }, Getenv: func(string) string { return "" },
		HTTPClient: func() *http.Client { return &http.Client{Timeout: 5 * time.Second} },
		Logger:     func() *slog.Logger { return slog.New(slog.DiscardHandler) },
	}
	cmd := NewCmdBackfill(f, nil)
	cmd.SetArgs(append(args, "--no-progress"))
	cmd.SetOut(&strings.Builder{})
	cmd.SetErr(&strings.Builder{})
	err := cmd.Execute()
	return out.String(), err
}

// TestAllHistoryAddsTheDelisted: --symbols all-history backfills the
// perpetuals trading now and those the archive's listing (two entries a
// page) has months of in the window: a delisted one in, one listed only
// after the window, one gone before it and a delivery contract out.
func TestAllHistoryAddsTheDelisted(t *testing.T) {
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.AddContract(binancesim.Contract{Symbol: "ETHUSDT"}) // trading, not in the archive yet
	m.AddContract(binancesim.Contract{Symbol: "SRMUSDT", Status: "SETTLING"})
	srv := binancesim.NewServer(m, binancesim.Options{Now: func() time.Time { return now }})
	t.Cleanup(srv.Close)
	arch := binancesim.NewArchive(binancesim.ArchiveOptions{ListPageSize: 2})
	month := func(s string) time.Time { t, _ := time.Parse("2006-01", s); return t }
	for sym, life := range map[string][2]string{
		"BTCUSDT": {"2025-01", "2026-02"}, "SRMUSDT": {"2025-03", "2025-07"}, "OLDUSDT": {"2024-01", "2024-12"},
		"NEWUSDT": {"2025-11", "2026-01"}, "BTCUSDT_250926": {"2025-04", "2025-09"},
	} {
		for mo := month(life[0]); !mo.After(month(life[1])); mo = mo.AddDate(0, 1, 0) {
			arch.AddKlines(binancesim.ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: sym, Interval: "1h"}, false, mo, nil)
		}
	}
	archSrv := httptest.NewServer(arch)
	t.Cleanup(archSrv.Close)
	out, err := runBackfill(t, "--symbols", "all-history", "--datasets", "funding", "--since", "2025-06-01", "--until", "2025-09-01",
		"--base-url", srv.URL, "--archive-url", archSrv.URL, "--archive-list-url", archSrv.URL+"/data.binance.vision", "--json", "--data", t.TempDir())
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var sum struct {
		Series []struct{ Series string }
	}
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var got []string
	for _, s := range sum.Series {
		got = append(got, s.Series)
	}
	if want := []string{"funding BTCUSDT", "funding ETHUSDT", "funding SRMUSDT"}; !slices.Equal(got, want) {
		t.Errorf("series %v, want %v", got, want)
	}
	if n := arch.CountListings("data/futures/um/monthly/klines/"); n != 3 {
		t.Errorf("%d pages of symbols, want 3 (5 at 2 a page)", n)
	}
	if strings.Contains(out, "basis_comparison") {
		t.Errorf("a funding run prints a basis comparison:\n%s", out)
	}
}
