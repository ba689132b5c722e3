package backtest

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// TestSummaryOfKernelStatsIsSummaryOfKernel: with the statistics taken in
// one pass (strategy.EquityStatsOf), the summary is the one SummaryOfKernel
// builds from analytics' separate walks, every field bit for bit, on many
// random markets and parameters (rules, rallies that liquidate, risk-free
// rates) and on hand-made equity series.
func TestSummaryOfKernelStatsIsSummaryOfKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2))
	check := func(c int, m *strategy.Market, p strategy.Params, rf float64, kt strategy.KernelTotals, eq []float64) {
		t.Helper()
		ms := MarketStatsOf(m)
		want, werr := SummaryOfKernel(m, p, rf, kt, eq, ms)
		got, gerr := SummaryOfKernelStats(m, p, rf, kt, eq, strategy.EquityStatsOf(eq, p.Capital.InexactFloat64()), ms)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Fatalf("case %d: errors %v and %v", c, werr, gerr)
		}
		if !reflect.DeepEqual(want, got) {
			t.Fatalf("case %d: summaries differ:\n SummaryOfKernel      %+v\n SummaryOfKernelStats %+v", c, want, got)
		}
	}
	for c := range 1000 {
		m := statsMarket(rng, 2+rng.IntN(500))
		p := statsParams(rng)
		prep, err := strategy.Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		eq := make([]float64, prep.Len())
		kt := strategy.Kernel(prep, strategy.KernelParamsOf(p), eq, nil)
		check(c, m, p, []float64{0, 0.03, 0.05, -0.01}[rng.IntN(4)], kt, eq)
	}
	// Hand-made equity: flat, only up, only down, recovered, through zero,
	// NaN, a zero start; and a capital the figures refuse.
	m := statsMarket(rng, 5)
	prep, err := strategy.Prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	p := strategy.DefaultParams()
	kt := strategy.Kernel(prep, strategy.KernelParamsOf(p), make([]float64, prep.Len()), nil)
	for c, eq := range [][]float64{{1, 1, 1, 1, 1}, {1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}, {2, 1, 2, 1, 2}, {5, 4, -1, 3, 6},
		{1, math.NaN(), 0.9, 1.1, 1}, {0, 1, 0.5, 1, 2}, {1, 1 - 1e-15, 1, 1, 1}} {
		check(1000+c, m, p, 0.03, kt, eq)
	}
	p.Capital = decimal.Zero
	check(2000, m, p, 0.03, kt, []float64{1, 2, 3, 4, 5})
}

func statsMarket(rng *rand.Rand, n int) *strategy.Market {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	hr := func(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }
	m := &strategy.Market{Symbol: "RNDUSDT", ContractType: data.Perpetual, Period: "1h"}
	s, prem := 100+rng.Float64()*1000, 0.0
	rally := rng.IntN(4) == 0
	for i := range n {
		drift := 0.0
		if rally {
			drift = 0.01
		}
		s *= math.Exp(drift + rng.NormFloat64()*0.01)
		prem += 0.3*(0.0004-prem) + rng.NormFloat64()*0.0005
		m.Times = append(m.Times, hr(i))
		m.Spot = append(m.Spot, math.Round(s*1e8)/1e8)
		m.Futures = append(m.Futures, math.Round(s*(1+prem)*100)/100)
	}
	for h := -48; h <= n+8; h += 8 {
		ev := strategy.FundingEvent{Instant: hr(h), FundingTime: hr(h).Add(3 * time.Millisecond),
			Rate: math.Round((0.0001+rng.NormFloat64()*0.0003)*1e8) / 1e8, IntervalHours: 8}
		if rng.IntN(3) > 0 {
			ev.Mark = data.Some(math.Round(s*(1+rng.NormFloat64()*0.001)*1e8) / 1e8)
		}
		m.Funding = append(m.Funding, ev)
	}
	return m
}

func statsParams(rng *rand.Rand) strategy.Params {
	f64 := func(v float64) *float64 { return &v }
	r4 := func(v float64) float64 { return math.Round(v*1e4) / 1e4 }
	p := strategy.DefaultParams()
	p.Capital = decimal.NewFromInt(int64(1000 + rng.IntN(1_000_000)))
	p.Leverage = decimal.NewFromFloat([]float64{1, 2, 3, 5, 20}[rng.IntN(5)])
	p.SpotFee = decimal.NewFromFloat([]float64{0, 0.001, 0.00075}[rng.IntN(3)])
	p.PerpFee = decimal.NewFromFloat([]float64{0, 0.0005, 0.0002}[rng.IntN(3)])
	p.Slippage = decimal.NewFromFloat([]float64{0, 0.0001, 0.0005}[rng.IntN(3)])
	if rng.IntN(2) == 0 {
		p.RebalanceBelow = decimal.NewFromFloat(0.05 + rng.Float64()*0.1)
	}
	switch rng.IntN(4) {
	case 1:
		p.Rules.FundingLookback = 1 + rng.IntN(5)
		p.Rules.FundingEnter, p.Rules.FundingExit = f64(r4(0.05+rng.Float64()*0.1)), f64(r4(-0.05+rng.Float64()*0.05))
	case 2:
		p.Rules.BasisEnter, p.Rules.BasisExit = f64(r4(0.05+rng.Float64()*0.2)), f64(r4(-0.1+rng.Float64()*0.1))
	case 3:
		p.Rules.MaxHold = time.Duration(1+rng.IntN(72)) * time.Hour
	}
	return p
}
