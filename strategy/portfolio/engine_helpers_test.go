package portfolio

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// engT0 is the synthetic markets' origin, a midnight UTC.
var engT0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func engHr(h float64) time.Time { return engT0.Add(time.Duration(h * float64(time.Hour))) }

// engMarket is a perpetual of n grid points every step hours from
// engHr(start), priced by spot(i) and fut(i).
func engMarket(sym string, start, step float64, n int, spot, fut func(i int) float64) *strategy.Market {
	m := &strategy.Market{Symbol: sym, ContractType: data.Perpetual, Period: "1h"}
	for i := range n {
		m.Times = append(m.Times, engHr(start+float64(i)*step))
		m.Spot = append(m.Spot, spot(i))
		m.Futures = append(m.Futures, fut(i))
	}
	return m
}

func engConst(x float64) func(int) float64 { return func(int) float64 { return x } }

// engEvent is an 8-hour funding event at engHr(h); mark ≤ 0: missing.
func engEvent(h, rate, mark float64) strategy.FundingEvent {
	ev := strategy.FundingEvent{Instant: engHr(h), FundingTime: engHr(h).Add(3 * time.Millisecond), Rate: rate, IntervalHours: 8}
	if mark > 0 {
		ev.Mark = data.Some(mark)
	}
	return ev
}

// engFree are DefaultParams without fees or slippage, rebalanced hourly.
func engFree() Params {
	p := DefaultParams()
	p.Pair.SpotFee, p.Pair.PerpFee, p.Pair.Slippage = decimal.Zero, decimal.Zero, decimal.Zero
	p.Rebalance = Schedule{Every: time.Hour}
	return p
}

func engRun(t *testing.T, u *Universe, p Params) *Result {
	t.Helper()
	r, err := Run(u, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func engDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func engF64(x float64) *float64 { return &x }
