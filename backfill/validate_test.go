package backfill

import (
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

// TestValidateFundingNamesConflictingDuplicates: two events in one funding
// minute with different rates are counted as a conflict, not as a plain
// duplicate (as basis does), so the log says the exchange contradicted itself.
func TestValidateFundingNamesConflictingDuplicates(t *testing.T) {
	at := time.Date(2026, 3, 1, 8, 0, 0, 3e6, time.UTC)
	ev := func(ms int, rate float64) binance.FundingEvent {
		return binance.FundingEvent{Symbol: "BTCUSDT", FundingRow: data.FundingRow{FundingTime: at.Add(time.Duration(ms) * time.Millisecond), FundingRate: rate, RateType: data.Regular}}
	}
	w := data.Span{From: at.Add(-time.Hour), To: at.Add(time.Hour)}
	for _, c := range []struct {
		name  string
		evs   []binance.FundingEvent
		count string
	}{
		{"same event twice", []binance.FundingEvent{ev(0, 0.0001), ev(0, 0.0001)}, "dropped_duplicate"},
		{"two rates in one minute", []binance.FundingEvent{ev(0, 0.0001), ev(5, 0.0002)}, "dropped_conflicting_duplicate"},
	} {
		rows, fix := validateFunding("BTCUSDT", w, c.evs)
		if len(rows) != 1 || fix[c.count] != 1 || fix.total() != 1 {
			t.Errorf("%s: %d rows, repairs %v; want 1 row and %s=1", c.name, len(rows), fix, c.count)
		}
	}
}
