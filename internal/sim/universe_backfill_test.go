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

// TestBackfillTakesTheUniverse: the real backfiller stores the universe's
// four kline kinds and funding over the years, the delisted pair's up to
// its delisting (its months after it are simply absent from the archive).
func TestBackfillTakesTheUniverse(t *testing.T) {
	if testing.Short() {
		t.Skip("backfills two years")
	}
	c := universeConfig()
	ex, err := NewExchange(c)
	if err != nil {
		t.Fatal(err)
	}
	lk, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Backfill(context.Background(), c, lk, "http://simulated.invalid", ex.Transport()); err != nil {
		t.Fatal(err)
	}
	t.Logf("backfilled in %s", time.Since(start).Round(time.Millisecond))
	delisted := c.DelistedAt(c.UniversePairs[len(c.UniversePairs)-1])
	for _, p := range c.UniversePairs {
		last := c.End.Add(-time.Hour) // the candle opening at End is still open
		if at := c.DelistedAt(p); !at.IsZero() {
			last = at.Add(-time.Hour)
		}
		for _, k := range universeKeys(p.Symbol) {
			ks, err := lk.ReadKlines(k)
			if err != nil {
				t.Fatal(err)
			}
			n := len(ks.Rows)
			if want := int(last.Sub(c.KlinesFrom()).Hours()) + 1; n != want || !ks.Rows[n-1].OpenTime.Equal(last) {
				t.Errorf("%s: %d candles to %s, want %d to %s", k, n, ks.Rows[n-1].OpenTime, want, last)
			}
			if k.Kind == data.KlineFutures && !(ks.Rows[0].QuoteVolume.Valid && ks.Rows[0].QuoteVolume.Float64 > 0) {
				t.Errorf("%s: quote volume %v, want the simulated volume", k, ks.Rows[0].QuoteVolume)
			}
		}
		fs, err := lk.ReadFunding(p.Symbol)
		if err != nil {
			t.Fatal(err)
		}
		lastEvent := fs.Rows[len(fs.Rows)-1].FundingTime
		if p.Symbol == DelistedSymbol && !lastEvent.Truncate(time.Hour).Equal(delisted) {
			t.Errorf("%s: funding to %s, want to the delisting %s", p.Symbol, lastEvent, delisted)
		}
		if p.Symbol != DelistedSymbol && c.End.Sub(lastEvent) > time.Duration(p.IntervalHours)*time.Hour {
			t.Errorf("%s: funding to %s only", p.Symbol, lastEvent)
		}
	}
}
