package strategy

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carry-research/carry/analytics"
)

// TestEquityStatsAreAnalytics: EquityStatsOf gives bit for bit the
// figures analytics computes in its separate walks — volatility, Sharpe and
// Sortino (from the moments, by PerformanceOf's formulas, returns from the
// capital) and the max drawdown from the capital with its peak, trough and
// recovery (MaxDrawdownFrom) — on kernel equity over random markets and
// rules, and on hand-made series, from capitals below, at and above the
// first point (tolerance 0: the expected numbers are analytics' own on the
// same series).
func TestEquityStatsAreAnalytics(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 16))
	var series [][]float64
	for range 200 {
		m := randomMarket(rng, 2+rng.IntN(600))
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		eq := make([]float64, prep.Len())
		Kernel(prep, KernelParamsOf(randomParams(rng)), eq, nil)
		series = append(series, eq)
	}
	for range 200 { // random walks with flat stretches, repeated values and exact recoveries
		eq := []float64{1000}
		for len(eq) < 2+rng.IntN(300) {
			e := eq[len(eq)-1]
			switch rng.IntN(4) {
			case 0:
			case 1:
				e = eq[rng.IntN(len(eq))]
			default:
				e *= 1 + rng.NormFloat64()*0.01
			}
			eq = append(eq, e)
		}
		series = append(series, eq)
	}
	series = append(series,
		[]float64{1}, []float64{1, 1}, []float64{1, 2, 3}, []float64{3, 2, 1}, []float64{2, 1, 2, 1, 2},
		[]float64{1, 1 - 1e-15, 1}, // a drawdown of one ulp
		[]float64{5, 4, -1, 3, 6},  // equity through zero
		[]float64{0, 1, 0.5},       // a zero start
		[]float64{1, math.NaN(), 0.9, 1.1},
	)
	bits := func(a, b float64) bool { return math.Float64bits(a) == math.Float64bits(b) }
	ppy, rf := 8760.0, 0.03 // variables, as analytics has them (constants would fold rf/ppy exactly)
	for c, eq := range series {
		times := make([]time.Time, len(eq))
		for i := range times {
			times[i] = t0.Add(time.Duration(i) * time.Hour)
		}
		capital := []float64{1000, eq[0], 1e6, 1}[c%4] // below, at and above the first point
		s := EquityStatsOf(eq, capital)
		perf, err := analytics.PerformanceOf(times, eq, capital, ppy, rf)
		if err != nil {
			t.Fatal(err)
		}
		var vol, sharpe, sortino analytics.Value
		if s.N >= 2 {
			excess := s.Mean - rf/ppy
			if s.SD > 0 {
				vol, sharpe = analytics.Of(s.SD*math.Sqrt(ppy)), analytics.Of(excess/s.SD*math.Sqrt(ppy))
			}
			if dd := math.Sqrt(s.Down / float64(s.N)); dd > 0 {
				sortino = analytics.Of(excess / dd * math.Sqrt(ppy))
			}
		}
		for _, x := range [][2]analytics.Value{{vol, perf.Volatility}, {sharpe, perf.Sharpe}, {sortino, perf.Sortino}} {
			if x[0].Valid != x[1].Valid || !bits(x[0].V, x[1].V) {
				t.Fatalf("series %d (%v): moments give %+v, analytics %+v", c, eq, x[0], x[1])
			}
		}
		d := analytics.MaxDrawdownFrom(times, eq, capital)
		at := func(i int) *time.Time {
			if i < 0 {
				return nil
			}
			return &times[i]
		}
		same := func(a, b *time.Time) bool { return a == nil && b == nil || a != nil && b != nil && a.Equal(*b) }
		if d.Max.Valid != (s.Trough >= 0) || d.Max.Valid && !bits(d.Max.V, s.MaxDrawdown) ||
			!same(d.Peak, at(s.Peak)) || !same(d.Trough, at(s.Trough)) || !same(d.Recovery, at(s.Recovery)) {
			t.Fatalf("series %d (%v): drawdown %+v, analytics %+v (peak %v trough %v recovery %v)", c, eq, s, d.Max, d.Peak, d.Trough, d.Recovery)
		}
	}
}

// BenchmarkEquityStats measures, in one run, EquityStatsOf against the
// walks analytics makes for the same figures (PerformanceOf: the moments,
// daily too, and MaxDrawdownFrom, with its times) on a year of hourly kernel equity, per
// point.
func BenchmarkEquityStats(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	m := randomMarket(rng, 8760)
	prep, _ := Prepare(m)
	p := DefaultParams()
	p.Rules.FundingLookback, p.Rules.FundingEnter, p.Rules.FundingExit = 3, f64(0.05), f64(0)
	eq := make([]float64, prep.Len())
	Kernel(prep, KernelParamsOf(p), eq, nil)
	var one, walks time.Duration
	minO, minW := time.Duration(math.MaxInt64), time.Duration(math.MaxInt64)
	var sink float64
	for b.Loop() {
		t0 := time.Now()
		s := EquityStatsOf(eq, 10000)
		t1 := time.Now()
		perf, _ := analytics.PerformanceOf(m.Times, eq, 10000, 8760, 0)
		dw, do := time.Since(t1), t1.Sub(t0)
		walks, one = walks+dw, one+do
		minO, minW = min(minO, do), min(minW, dw)
		sink += s.SD + perf.Volatility.V
	}
	n := float64(b.N) * float64(len(eq))
	b.ReportMetric(float64(one.Nanoseconds())/n, "onepass-ns/point")
	b.ReportMetric(float64(walks.Nanoseconds())/n, "analytics-ns/point")
	b.ReportMetric(float64(one)/float64(walks), "onepass/analytics")
	b.ReportMetric(float64(minO)/float64(minW), "min-onepass/min-analytics")
	if sink == 0 {
		b.Log(sink)
	}
}
