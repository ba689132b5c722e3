package report

import (
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/strategy"
)

// TestTradeMarks: a position entered, rebalanced, rolled, closed at
// delivery, a second one liquidated and a third closed by the window's
// end, as the engine records their fills (actions.go): the marks are
// read by hand off that list.
func TestTradeMarks(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	fill := func(h int, leg strategy.Leg, reason strategy.Reason) strategy.Trade {
		return strategy.Trade{Time: at(h), Leg: leg, Reason: reason}
	}
	trades := []strategy.Trade{
		fill(1, strategy.LegSpot, strategy.ReasonEntry), fill(1, strategy.LegPerp, strategy.ReasonEntry),
		fill(5, strategy.LegSpot, strategy.ReasonRebalance), fill(5, strategy.LegPerp, strategy.ReasonRebalance),
		fill(8, strategy.LegPerp, strategy.ReasonDelivery), fill(8, strategy.LegPerp, strategy.ReasonRoll), // rolled: spot kept
		fill(16, strategy.LegPerp, strategy.ReasonDelivery), fill(16, strategy.LegSpot, strategy.ReasonDelivery), // delivered flat
		fill(20, strategy.LegSpot, strategy.ReasonEntry), fill(20, strategy.LegPerp, strategy.ReasonEntry),
		fill(30, strategy.LegPerp, strategy.ReasonLiquidation), fill(30, strategy.LegSpot, strategy.ReasonLiquidation),
		fill(40, strategy.LegSpot, strategy.ReasonEntry), fill(40, strategy.LegPerp, strategy.ReasonEntry),
		fill(45, strategy.LegPerp, strategy.ReasonExit), fill(45, strategy.LegSpot, strategy.ReasonExit),
		fill(50, strategy.LegSpot, strategy.ReasonEntry), fill(50, strategy.LegPerp, strategy.ReasonEntry),
		fill(71, strategy.LegPerp, strategy.ReasonEnd), fill(71, strategy.LegSpot, strategy.ReasonEnd),
	}
	m := tradeMarks(trades)
	for _, c := range []struct {
		name      string
		got, want []time.Time
	}{
		{"entries", m.Entries, []time.Time{at(1), at(20), at(40), at(50)}},
		{"exits", m.Exits, []time.Time{at(16), at(45), at(71)}},
		{"rolls", m.Rolls, []time.Time{at(8)}},
		{"liquidations", m.Liquidations, []time.Time{at(30)}},
	} {
		if !slices.EqualFunc(c.got, c.want, time.Time.Equal) {
			t.Errorf("%s: %v, want %v", c.name, c.got, c.want)
		}
	}
}
