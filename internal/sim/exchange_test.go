//go:build !race

// Two years backfilled are too slow under the race detector on two cores:
// `make test-pipeline` runs it without.

package sim

import (
	"context"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestBackfillTakesMonthsFromTheArchive: a backfill of the simulated
// exchange takes the klines' whole months from its archive and the last
// days from REST (--source auto), the continuous klines from REST, and
// stores every closed candle and funding event the exchange serves.
func TestBackfillTakesMonthsFromTheArchive(t *testing.T) {
	if testing.Short() {
		t.Skip("backfills two years")
	}
	c := DefaultConfig(end, 30, 3)
	c.Years = DefaultYears
	ex, err := NewExchange(c)
	if err != nil {
		t.Fatal(err)
	}
	lk, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	results, err := Backfill(context.Background(), c, lk, "http://simulated.invalid", ex.Transport())
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d series in %s", len(results), time.Since(start).Round(time.Millisecond))
	klines := 0
	for _, r := range results {
		if r.Series.Dataset != lake.DatasetKlines {
			continue
		}
		klines++
		k := r.Series.Kline
		t.Logf("%s: %d archive files, %d REST requests", k, r.Archive.Imported, r.Requests)
		served := len(ex.Market.Klines(k)) - 1 // the candle opening at End is still open
		ks, err := lk.ReadKlines(k)
		if err != nil {
			t.Fatal(err)
		}
		if len(ks.Rows) != served {
			t.Errorf("%s: %d candles stored, %d served", k, len(ks.Rows), served)
		}
		if k.Kind == data.KlineContinuous {
			if r.Archive.Imported != 0 || r.Requests < 12 {
				t.Errorf("%s: %d archive files, %d REST requests; want REST only", k, r.Archive.Imported, r.Requests)
			}
		} else if r.Archive.Imported < 24 || r.Requests > 2 {
			t.Errorf("%s: %d archive files, %d REST requests; want two years of months from the archive", k, r.Archive.Imported, r.Requests)
		}
	}
	if klines != 2*4+2 {
		t.Errorf("%d kline series, want BTCUSDT and ETHUSDT futures, index, mark, spot and BTCUSDT's two continuous quarterlies", klines)
	}
	for _, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		f, err := lk.ReadFunding(sym)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, e := range ex.Market.Funding(sym) {
			if !time.UnixMilli(e.FundingTime).Before(c.KlinesFrom()) && !time.UnixMilli(e.FundingTime).After(c.End) {
				want++
			}
		}
		if len(f.Rows) != want {
			t.Errorf("funding %s: %d events stored, %d served", sym, len(f.Rows), want)
		}
	}
}
