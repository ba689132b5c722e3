package portfolio_test

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/carry-research/carry/strategy/portfolio"
)

// TestIntegerFundingSignalIsTheRational: on random books (every
// signal, weighting, threshold and schedule of the property tests) the
// plan whose funding signals are integer sums takes exactly the decisions
// of the plan computing them as rationals: the same points, kept members
// in the same order, the same float64 signals and weights, bit for bit.
func TestIntegerFundingSignalIsTheRational(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	funding := 0
	for b := range 300 {
		u, p := randomBook(rng)
		// Thresholds on the tie: the mean of a member's last events.
		if b%3 == 0 && p.Signal == portfolio.SignalFunding {
			m := u.Members[0].Market
			if n := len(m.Funding); n >= p.Lookback {
				sum := 0.0
				for _, ev := range m.Funding[n-p.Lookback:] {
					sum += ev.Rate * 24 / float64(ev.IntervalHours) * 365
				}
				th := math.Round(sum/float64(p.Lookback)*1e6) / 1e6
				p.MinSignal = &th
			}
		}
		a, err := portfolio.NewPlan(u, p)
		if err != nil {
			t.Fatalf("book %d: %v", b, err)
		}
		r, err := portfolio.NewPlanRational(u, p)
		if err != nil {
			t.Fatal(err)
		}
		if p.Signal == portfolio.SignalFunding {
			funding++
		}
		if len(a.Decisions) != len(r.Decisions) {
			t.Fatalf("book %d: %d decisions, rational %d", b, len(a.Decisions), len(r.Decisions))
		}
		for k := range a.Decisions {
			x, y := a.Decisions[k], r.Decisions[k]
			same := func(p, q []float64) bool {
				return slices.EqualFunc(p, q, func(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) })
			}
			if x.Point != y.Point || !slices.Equal(x.Kept, y.Kept) || !same(x.Signal, y.Signal) || !same(x.Weights, y.Weights) {
				t.Fatalf("book %d decision %d: integer %+v, rational %+v", b, k, x, y)
			}
		}
	}
	if funding < 50 {
		t.Errorf("only %d books on the funding signal", funding)
	}
}
