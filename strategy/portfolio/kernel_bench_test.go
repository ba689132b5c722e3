package portfolio_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// benchUniverse is symbols perpetuals over points hourly steps, funding
// every 8 h with a symbol's own mean (so the ranking moves), spot a random
// walk, the perpetual a mean-reverting premium over it.
func benchUniverse(symbols, points int) *portfolio.Universe {
	t0 := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	u := &portfolio.Universe{}
	for j := range symbols {
		rng := rand.New(rand.NewPCG(uint64(j)+1, 7))
		m := &strategy.Market{Symbol: fmt.Sprintf("S%03dUSDT", j), ContractType: data.Perpetual, Period: "1h"}
		s, prem := 10+rng.Float64()*100, 0.0
		mean := (rng.Float64() - 0.3) * 2e-4
		for i := range points {
			t := t0.Add(time.Duration(i) * time.Hour)
			s *= math.Exp(rng.NormFloat64() * 0.006)
			prem = 0.9*prem + 0.1*mean*10 + rng.NormFloat64()*2e-4
			m.Times = append(m.Times, t)
			m.Spot = append(m.Spot, s)
			m.Futures = append(m.Futures, s*(1+prem))
			if i%8 == 0 {
				rate := math.Round((mean+rng.NormFloat64()*1e-4)*1e8) / 1e8 // Binance sends 8 places
				m.Funding = append(m.Funding, strategy.FundingEvent{Instant: t, FundingTime: t, Rate: rate,
					Mark: data.NullFloat64{Float64: s * (1 + prem), Valid: true}, IntervalHours: 8})
			}
		}
		u.Members = append(u.Members, portfolio.Member{Market: m})
	}
	return u
}

// BenchmarkPortfolioKernel measures a book over 100 symbols × 3 years of
// hourly points (issue 16: a sweep-able unit), per (symbol × grid point),
// against the single-pair kernel's time per grid point on the same
// symbols' markets, in the same run: the target is ≤ 1.5×. top=100 holds
// every symbol (each costs what a single pair costs); top=5 is a usual
// book, where the flat symbols cost nothing. Planning (the decisions,
// shared by every run with the same decision parameters) is timed apart.
func BenchmarkPortfolioKernel(b *testing.B) {
	symbols, points := 100, 3*8760
	if testing.Short() {
		symbols, points = 10, 24*30
	}
	u := benchUniverse(symbols, points)
	for _, top := range []int{5, symbols} {
		b.Run(fmt.Sprintf("symbols=%d/top=%d", symbols, top), func(b *testing.B) {
			p := portfolio.DefaultParams()
			p.Top, p.Band = top, 0.02
			t0 := time.Now()
			plan, err := portfolio.NewPlan(u, p)
			if err != nil {
				b.Fatal(err)
			}
			planTime := time.Since(t0)
			pp := portfolio.Prepare(plan)
			kp := portfolio.KernelParamsOf(p)
			equity := make([]float64, len(plan.Times))
			singles := make([]*strategy.Prepared, len(u.Members))
			for j, m := range u.Members {
				if singles[j], err = strategy.Prepare(m.Market); err != nil {
					b.Fatal(err)
				}
			}
			skp := strategy.KernelParamsOf(p.Pair)
			sEquity := make([]float64, points)
			var book, single time.Duration
			var held int
			var sink float64
			for b.Loop() {
				t1 := time.Now()
				kt := portfolio.Kernel(pp, kp, equity, nil)
				t2 := time.Now()
				for _, sp := range singles {
					sink += strategy.Kernel(sp, skp, sEquity, nil).FinalEquity
				}
				book, single = book+t2.Sub(t1), single+time.Since(t2)
				sink += kt.FinalEquity
				held = kt.HoldingsSum
			}
			n := float64(b.N)
			perSymbolStep := float64(book.Nanoseconds()) / n / float64(symbols*points)
			singleStep := float64(single.Nanoseconds()) / n / float64(symbols*points)
			b.ReportMetric(perSymbolStep, "book-ns/symbol-step")
			b.ReportMetric(singleStep, "single-ns/step")
			b.ReportMetric(perSymbolStep/singleStep, "book/single")
			b.ReportMetric(float64(book.Nanoseconds())/n/float64(max(held, 1)), "book-ns/held-step")
			b.ReportMetric(float64(held)/float64(len(plan.Times)), "avg-held")
			b.ReportMetric(planTime.Seconds(), "plan-s")
			if sink == 0 {
				b.Log(sink)
			}
		})
	}
}

// BenchmarkPortfolioPlan times the decisions of a book over 100 symbols ×
// 3 years hourly, rebalanced daily: made once per set of decision
// parameters and shared by the runs that differ only in money.
func BenchmarkPortfolioPlan(b *testing.B) {
	symbols, points := 100, 3*8760
	if testing.Short() {
		symbols, points = 10, 24*30
	}
	u := benchUniverse(symbols, points)
	p := portfolio.DefaultParams()
	for b.Loop() {
		if _, err := portfolio.NewPlan(u, p); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPortfolioRun times the exact engine (what `carry portfolio`
// runs) on 100 symbols × 1 year hourly, a top-5 book rebalanced daily.
func BenchmarkPortfolioRun(b *testing.B) {
	symbols, points := 100, 8760
	if testing.Short() {
		symbols, points = 10, 24*30
	}
	u := benchUniverse(symbols, points)
	p := portfolio.DefaultParams()
	for b.Loop() {
		if _, err := portfolio.Run(u, p); err != nil {
			b.Fatal(err)
		}
	}
}
