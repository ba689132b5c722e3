package portfolio

import (
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
)

// engWavyMarket is an hourly perpetual of n points whose prices move (a
// few decimals, as the exchange sends them) with funding every 8 hours
// from 24 hours before its grid, some marks missing and one event off the
// grid.
func engWavyMarket(sym string, n int) *strategy.Market {
	spot := func(i int) float64 { return math.Round((100+3*math.Sin(float64(i)/5))*100) / 100 }
	fut := func(i int) float64 {
		return math.Round((100+3*math.Sin(float64(i)/5)+0.05*math.Cos(float64(i)/3))*100) / 100
	}
	m := engMarket(sym, 0, 1, n, spot, fut)
	for h, k := -24.0, 0; h < float64(n); h, k = h+8, k+1 {
		rate := float64((k*7)%11-3) / 100000 // −0.00003 … 0.00007
		mark := 0.0                          // missing every third
		if k%3 != 0 {
			mark = spot(max(0, int(h))) + 0.01
		}
		if k == 5 {
			h += 0.5 // between two grid points
		}
		m.Funding = append(m.Funding, engEvent(h, rate, mark))
	}
	return m
}

// TestSinglePairEqualsStrategyRun is spec point 12: a one-member universe,
// K = 1, no threshold, equal weights, cap 1, the default band, enough
// events known at the first point and no liquidation is strategy.Run with
// the same pair parameters and no rules: the same trades, settlements and
// equity at every point, exactly.
func TestSinglePairEqualsStrategyRun(t *testing.T) {
	lev2 := strategy.DefaultParams()
	lev2.Leverage = decimal.NewFromInt(2)
	lev2.Slippage = engDec("0.0003")
	cases := []struct {
		name string
		pair strategy.Params
		s    Schedule
	}{
		{"defaults, daily", strategy.DefaultParams(), Schedule{Every: 24 * time.Hour}},
		{"leverage 2, hourly", lev2, Schedule{Every: time.Hour}},
		{"defaults, on funding and 8h", strategy.DefaultParams(), Schedule{Every: 8 * time.Hour, OnFunding: true}},
	}
	m := engWavyMarket("ETHUSDT", 100)
	for _, c := range cases {
		p := DefaultParams()
		p.Pair, p.Top, p.Rebalance = c.pair, 1, c.s
		got := engRun(t, &Universe{Members: []Member{{Market: m}}}, p)
		want, err := strategy.Run(m, c.pair)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Rows) != len(want.Equity) {
			t.Fatalf("%s: %d rows, want %d", c.name, len(got.Rows), len(want.Equity))
		}
		for i, w := range want.Equity {
			g := got.Rows[i]
			if !g.Time.Equal(w.Time) || !g.Equity.Equal(w.Equity) || !g.CumFunding.Equal(w.CumFunding) ||
				!g.CumFees.Equal(w.CumFees) || !g.BasisPnL.Equal(w.BasisPnL) || !g.Forfeit.Equal(w.Forfeit) {
				t.Fatalf("%s: row %d: equity %s funding %s fees %s basis %s, want %s %s %s %s", c.name, i,
					g.Equity, g.CumFunding, g.CumFees, g.BasisPnL, w.Equity, w.CumFunding, w.CumFees, w.BasisPnL)
			}
		}
		if len(got.Trades) != len(want.Trades) || len(want.Trades) != 4 {
			t.Fatalf("%s: %d trades, want %d (an entry and the close at the end)", c.name, len(got.Trades), len(want.Trades))
		}
		for i, w := range want.Trades {
			g := got.Trades[i]
			if g.Symbol != m.Symbol || !g.Time.Equal(w.Time) || g.PositionID != w.PositionID || g.Leg != w.Leg || g.Side != w.Side ||
				!g.Quantity.Equal(w.Quantity) || !g.Price.Equal(w.Price) || !g.Fee.Equal(w.Fee) || g.Reason != w.Reason {
				t.Errorf("%s: trade %d: %+v, want %+v", c.name, i, g, w)
			}
		}
		if len(got.Settlements) != len(want.Settlements) || len(want.Settlements) < 10 {
			t.Fatalf("%s: %d settlements, want %d", c.name, len(got.Settlements), len(want.Settlements))
		}
		for i, w := range want.Settlements {
			g := got.Settlements[i]
			if g.ID != w.ID || g.Symbol != w.Symbol || g.PositionID != w.PositionID || !g.FundingRate.Equal(w.FundingRate) ||
				!g.PositionSize.Equal(w.PositionSize) || !g.Payment.Equal(w.Payment) || !g.SettledAt.Equal(w.SettledAt) ||
				!g.MarkPrice.Equal(w.MarkPrice) || g.MarkMissing != w.MarkMissing || !g.Quantity.Equal(w.Quantity) || !g.FundingTime.Equal(w.FundingTime) {
				t.Errorf("%s: settlement %d: %+v, want %+v", c.name, i, g, w)
			}
		}
		if !got.FinalEquity.Equal(want.Totals.FinalEquity) {
			t.Errorf("%s: final equity %s, want %s", c.name, got.FinalEquity, want.Totals.FinalEquity)
		}
		pt := got.Pairs[0]
		if !pt.SlippageCost.Equal(want.Totals.SlippageCost) || pt.Entries != 1 || pt.HeldPoints != want.Totals.InMarket {
			t.Errorf("%s: pair totals %+v, want slippage %s, 1 entry, %d held intervals", c.name, pt, want.Totals.SlippageCost, want.Totals.InMarket)
		}
	}
}
