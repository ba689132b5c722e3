package portfolio_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// t0 is a midnight, so the rebalance instants "multiples of Every since
// the epoch" are multiples of Every hours from t0 (for Every dividing 24h);
// testdata/cases.py counts hours from it.
var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func hr(h float64) time.Time { return t0.Add(time.Duration(h * float64(time.Hour))) }

// ev is a funding event at hour h; mark 0 means the event came without a
// mark price.
type ev struct {
	h        float64
	rate     float64
	mark     float64
	interval int
}

// member is a perpetual pair on an hourly grid at the given hours.
func member(sym string, hours, spot, fut []float64, evs ...ev) portfolio.Member {
	m := &strategy.Market{Symbol: sym, ContractType: data.Perpetual, Period: "1h"}
	for i, h := range hours {
		m.Times = append(m.Times, hr(h))
		m.Spot = append(m.Spot, spot[i])
		m.Futures = append(m.Futures, fut[i])
	}
	for _, e := range evs {
		fe := strategy.FundingEvent{Instant: hr(e.h), FundingTime: hr(e.h).Add(3 * time.Millisecond), Rate: e.rate, IntervalHours: e.interval}
		if e.mark > 0 {
			fe.Mark = data.Some(e.mark)
		}
		m.Funding = append(m.Funding, fe)
	}
	return portfolio.Member{Market: m}
}

// hours is 0, 1, …, n−1.
func hours(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i)
	}
	return out
}

func repeat(n int, x float64) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = x
	}
	return out
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// bookParams are the parameters of testdata/cases.py's P(): capital C,
// leverage L, fees and slippage as given, maintenance 0.004, the funding
// signal over 1 event, top K, no threshold, equal weights capped at 1,
// rebalanced every `every`, band 0.05, no filters.
func bookParams(c, l, spotFee, perpFee, slip string, top int, every time.Duration) portfolio.Params {
	p := portfolio.DefaultParams()
	p.Pair.Capital, p.Pair.Leverage = dec(c), dec(l)
	p.Pair.SpotFee, p.Pair.PerpFee, p.Pair.Slippage = dec(spotFee), dec(perpFee), dec(slip)
	p.Pair.Maintenance = dec("0.004")
	p.Signal, p.Lookback, p.Top, p.MinSignal = portfolio.SignalFunding, 1, top, nil
	p.Weights, p.Cap, p.Band = portfolio.WeightEqual, 1, 0.05
	p.Rebalance = portfolio.Schedule{Every: every}
	return p
}

func mustRun(t *testing.T, u *portfolio.Universe, p portfolio.Params) *portfolio.Result {
	t.Helper()
	r, err := portfolio.Run(u, p)
	if err != nil {
		t.Fatalf("portfolio.Run: %v", err)
	}
	return r
}

// near reports whether got is want to tol (absolute).
func near(got decimal.Decimal, want, tol string) bool {
	return got.Sub(dec(want)).Abs().LessThanOrEqual(dec(tol))
}

func f64(x float64) *float64 { return &x }
