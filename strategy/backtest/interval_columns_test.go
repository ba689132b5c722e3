package backtest

import (
	"strings"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
)

// TestIntervalColumns: the by-interval statistics as fixed columns — each
// of 1h, 2h, 4h, 8h, then the other intervals pooled. By hand: 4h has 10
// events at 0.12; 8h 5 at 0.1; 3h 2 at 0.3 and 6h 2 at 0.1 pool into other:
// 4 events, (2·0.3 + 2·0.1)/4 = 0.2.
func TestIntervalColumns(t *testing.T) {
	by := []analytics.IntervalFunding{
		{Hours: 3, Events: 2, AnnualizedMean: analytics.Of(0.3)},
		{Hours: 4, Events: 10, AnnualizedMean: analytics.Of(0.12)},
		{Hours: 6, Events: 2, AnnualizedMean: analytics.Of(0.1)},
		{Hours: 8, Events: 5, AnnualizedMean: analytics.Of(0.1)},
	}
	names, kinds, vals := IntervalColumns("funding_stats_by_interval_", by)
	want := []struct {
		name, val string
		kind      data.ColumnKind
	}{
		{"1h_events", "0", data.Int}, {"1h_annualized_mean", "", data.Float},
		{"2h_events", "0", data.Int}, {"2h_annualized_mean", "", data.Float},
		{"4h_events", "10", data.Int}, {"4h_annualized_mean", "0.12", data.Float},
		{"8h_events", "5", data.Int}, {"8h_annualized_mean", "0.1", data.Float},
		{"other_events", "4", data.Int}, {"other_annualized_mean", "0.2", data.Float},
	}
	if len(names) != len(want) || len(kinds) != len(want) || len(vals) != len(want) {
		t.Fatalf("%d columns %v, want %d", len(names), names, len(want))
	}
	for i, w := range want {
		if names[i] != "funding_stats_by_interval_"+w.name || kinds[i] != w.kind || vals[i] != w.val {
			t.Errorf("column %d: %s %v %q, want %s %v %q", i, names[i], kinds[i], vals[i], w.name, w.kind, w.val)
		}
	}
	// No events at all: every count 0, every mean empty (undefined).
	_, _, vals = IntervalColumns("", nil)
	if got := strings.Join(vals, ","); got != "0,,0,,0,,0,,0," {
		t.Errorf("no events: %s", got)
	}
}
