package backfill

import (
	"context"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestFiveYearsFromArchiveAndREST: from an empty lake, one run stores five
// years of BTCUSDT and ETHUSDT futures, index, mark and spot 1h candles
// and their funding, row for row as the fake serves them: every whole
// month from its monthly file, this month's days from daily files, today
// from one REST page per series. A re-run downloads nothing and asks at
// most once per series. Without -race only (make test-pipeline): a
// thousand files' rewrites of growing series.
func TestFiveYearsFromArchiveAndREST(t *testing.T) {
	if raceEnabled {
		t.Skip("five years of eight series: make test-pipeline runs it without -race")
	}
	since := time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC)
	symbols := []string{"BTCUSDT", "ETHUSDT"}
	m := binancesim.NewMarket()
	for i, sym := range symbols {
		m.AddContract(binancesim.Contract{Symbol: sym, OnboardDate: since.Add(-24 * time.Hour).UnixMilli()})
		m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1h"}, time.Hour, since.Add(-24*time.Hour), testNow, 60000/float64(i+1), uint64(i+1), time.Time{})
		m.GenerateFunding(sym, 8, since.Add(-24*time.Hour), testNow, time.Date(2023, 11, 1, 0, 0, 0, 0, time.UTC), uint64(i+20))
	}
	cfg := klineConfig(SourceAuto, since, []data.KlineKind{data.KlineFutures, data.KlineIndex, data.KlineMark, data.KlineSpot}, symbols...)
	keys := klineKeys(cfg)
	e := newArchiveEnv(t, m, keys, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), symbols, 8)
	ctx := context.Background()

	start := time.Now()
	results, err := e.backfiller().Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var reqs, files, downloads, bytes int64
	for _, r := range results {
		reqs += r.Requests
		files += int64(r.Archive.Imported)
		downloads += r.Archive.Downloads
		bytes += r.Archive.Bytes
		if r.Series.Dataset == lake.DatasetKlines && (r.Requests != 1 || r.Archive.Imported != 60+19 || r.Archive.Downloads != 60+19) {
			t.Errorf("%s: %d REST requests, %d files imported, %d downloads; want 1 and 79 (60 months, 19 days)", r.Series, r.Requests, r.Archive.Imported, r.Archive.Downloads)
		}
	}
	t.Logf("first run: %d series, %d REST requests (clock and fundingInfo aside), %d files imported, %d zip downloads, %d archive bytes, in %s",
		len(results), reqs, files, downloads, bytes, took.Round(time.Millisecond))
	assertServed(t, e.lake, m, keys, since, e.clock())
	for _, sym := range symbols {
		f, err := e.lake.ReadFunding(sym)
		if err != nil {
			t.Fatal(err)
		}
		var want int
		for _, r := range m.Funding(sym) {
			if !time.UnixMilli(r.FundingTime).Before(since) {
				want++
			}
		}
		if len(f.Rows) != want {
			t.Errorf("funding %s: %d events stored, %d served", sym, len(f.Rows), want)
		}
	}

	e.arch.ResetLog()
	again, err := e.backfiller().Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	reqs = 0
	for _, r := range again {
		reqs += r.Requests
		if r.Requests > 1 || r.NewRows != 0 || r.Archive.Downloads != 0 {
			t.Errorf("re-run %s: %d requests, %d downloads, %d new rows", r.Series, r.Requests, r.Archive.Downloads, r.NewRows)
		}
	}
	t.Logf("re-run: %d REST requests over %d series, %d archive requests, %d zip downloads", reqs, len(again), len(e.arch.Requests()), e.arch.CountRequests(".zip"))
	if n := e.arch.CountRequests(".zip"); n != 0 {
		t.Errorf("re-run downloaded %d files", n)
	}
}
