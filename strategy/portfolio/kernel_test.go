package portfolio_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/carry-research/carry/strategy/portfolio"
)

// TestKernelIsTheEngine: on the property tests' random books (staggered
// members, gaps, delistings, liquidations at leverage 3, every signal,
// weighting and schedule) the float kernel's equity at every book point,
// its money and its counts equal the exact engine's, money to 1e-9 of the
// capital (docs/model.md, "Numerics").
func TestKernelIsTheEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	for b := range 300 {
		u, p := randomBook(rng)
		r, err := portfolio.Run(u, p)
		if err != nil {
			t.Fatalf("book %d: %v", b, err)
		}
		plan, err := portfolio.NewPlan(u, p)
		if err != nil {
			t.Fatal(err)
		}
		pp := portfolio.Prepare(plan)
		equity := make([]float64, len(plan.Times))
		var rec portfolio.KernelRecorder
		kt := portfolio.Kernel(pp, portfolio.KernelParamsOf(p), equity, &rec)
		c := p.Pair.Capital.InexactFloat64()
		tol := 1e-9 * c
		off := func(got float64, want interface{ InexactFloat64() float64 }) bool {
			return !(math.Abs(got-want.InexactFloat64()) <= tol)
		}
		for i, row := range r.Rows {
			if off(equity[i], row.Equity) {
				t.Fatalf("book %d point %d (%s): kernel equity %.12g, engine %s", b, i, row.Time, equity[i], row.Equity)
			}
		}
		var entries, liqs, delists, fills int
		for j, pt := range r.Pairs {
			if off(rec.Funding[j], pt.Funding) || off(rec.BasisPnL[j], pt.BasisPnL) || off(rec.Fees[j], pt.Fees) ||
				off(rec.Forfeit[j], pt.Forfeit) || off(rec.Traded[j], pt.Traded) {
				t.Fatalf("book %d pair %s: kernel funding %g basis %g fees %g forfeit %g traded %g, engine %+v",
					b, pt.Symbol, rec.Funding[j], rec.BasisPnL[j], rec.Fees[j], rec.Forfeit[j], rec.Traded[j], pt)
			}
			entries += pt.Entries
			liqs += pt.Liquidated
			if pt.Delisted {
				delists++
			}
		}
		fills = len(r.Trades)
		holdings, hhi, hhiPoints := 0, 0.0, 0
		for _, row := range r.Rows {
			holdings += row.Holdings
			total, sq := 0.0, 0.0
			for _, w := range row.Weights {
				if w > 0 {
					total += w
					sq += w * w
				}
			}
			if row.Holdings > 0 && total > 0 {
				hhiPoints++
				hhi += sq / (total * total)
			}
		}
		if kt.ConcentrationPoints != hhiPoints || !(math.Abs(kt.ConcentrationSum-hhi) <= 1e-9*float64(max(hhiPoints, 1))) {
			t.Fatalf("book %d: kernel Σ Herfindahl %g over %d points, engine's weights %g over %d", b, kt.ConcentrationSum, kt.ConcentrationPoints, hhi, hhiPoints)
		}
		if off(kt.FinalEquity, r.FinalEquity) || kt.Entries != entries || kt.Liquidations != liqs || kt.Delistings != delists ||
			kt.Fills != fills || kt.HoldingsSum != holdings {
			t.Fatalf("book %d: kernel final %g entries %d liquidations %d delistings %d fills %d holdings %d; engine %s %d %d %d %d %d",
				b, kt.FinalEquity, kt.Entries, kt.Liquidations, kt.Delistings, kt.Fills, kt.HoldingsSum,
				r.FinalEquity, entries, liqs, delists, fills, holdings)
		}
	}
}
