package strategy

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func hr(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// flatMarket is a perpetual grid of n points every step hours with S and F
// constant.
func flatMarket(n int, step float64, s, f float64) *Market {
	m := &Market{Symbol: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
	for i := range n {
		m.Times = append(m.Times, hr(float64(i)*step))
		m.Spot = append(m.Spot, s)
		m.Futures = append(m.Futures, f)
	}
	return m
}

func event(h float64, rate float64, mark float64) FundingEvent {
	ev := FundingEvent{Instant: hr(h), FundingTime: hr(h).Add(3 * time.Millisecond), Rate: rate, IntervalHours: 8}
	if mark > 0 {
		ev.Mark = data.Some(mark)
	}
	return ev
}

func free() Params {
	p := DefaultParams()
	p.SpotFee, p.PerpFee, p.Slippage = decimal.Zero, decimal.Zero, decimal.Zero
	return p
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func f64(v float64) *float64 { return &v }

func mustRun(t *testing.T, m *Market, p Params) *Result {
	t.Helper()
	r, err := Run(m, p)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// near reports whether a and b agree to tol (absolute).
func near(a, b decimal.Decimal, tol string) bool {
	return a.Sub(b).Abs().LessThanOrEqual(dec(tol))
}
