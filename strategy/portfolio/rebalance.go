package portfolio

import (
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// order is a buy waiting for the sells: d more units of pair j at its
// index i, which take need of cash.
type order struct {
	pr           *pair
	i            int
	d, need, per decimal.Decimal
	reason       strategy.Reason
}

// rebalance trades book point k towards the decision's weights (spec
// point 8). Every size is measured against E, the book's equity before
// any trade at k; held pairs absent at k (a gap) are left alone. Closes
// and decreases are done first, in universe order; then the increases and
// entries, scaled down together if they need more cash than there is.
func (e *engine) rebalance(k int, d *Decision) {
	g := &e.plan.grid
	t := g.times[k]
	eq := e.cash
	for j, pr := range e.pairs {
		if pr.held() {
			eq = eq.Add(pr.equity(g.index(j, k)))
		}
	}
	if !eq.IsPositive() {
		return
	}
	var buys []order
	for j, pr := range e.pairs {
		w, i := d.Weights[j], g.index(j, k)
		if !g.present(j, k) {
			continue // a gap, or not in the universe now: w is 0 and a held pair waits
		}
		if pr.held() && w == 0 {
			pr.sell(i, t, pr.q, strategy.ReasonExit)
			continue
		}
		if w == 0 {
			continue
		}
		reason := strategy.ReasonEntry
		if pr.held() {
			current := pr.equity(i).DivRound(eq, divScale).InexactFloat64()
			if !outsideBand(current, w, e.p.Band) {
				continue
			}
			reason = ReasonResize
		}
		// A pair moves to its allocation A by what it trades: below it, it
		// spends A − P as an entry of that size would; above it, it sells
		// the fraction (P − A)/P of every part (docs/model.md).
		alloc := data.Decimal(w).Mul(eq)
		per := e.c.perUnit(pr.spot(i), pr.fut(i))
		have := pr.equity(i)
		switch alloc.Cmp(have) {
		case -1:
			if d := pr.q.Mul(have.Sub(alloc)).DivRound(have, divScale); d.IsPositive() {
				pr.sell(i, t, decimal.Min(d, pr.q), reason)
			}
		case 1:
			need := alloc.Sub(have)
			buys = append(buys, order{pr: pr, i: i, d: need.DivRound(per, divScale), need: need, per: per, reason: reason})
		}
	}
	e.buy(t, buys, eq)
}

// buy executes the buys in universe order. If their cash need exceeds the
// cash, each need is scaled by the same factor cash/need and the units
// bought are rounded down, so that cash stays at or above zero (up to the
// rounding of the short's margin, 10^-20).
func (e *engine) buy(t time.Time, buys []order, eq decimal.Decimal) {
	need := decimal.Zero
	for _, b := range buys {
		need = need.Add(b.need)
	}
	scale := need.GreaterThan(e.cash)
	var f decimal.Decimal
	if scale {
		if !e.cash.IsPositive() {
			return
		}
		f = e.cash.DivRound(need, divScale+4).RoundDown(divScale)
	}
	dust := eq.Mul(decimal.NewFromFloat(dustDrift))
	for _, b := range buys {
		d, spend := b.d, b.need
		if scale {
			spend = b.need.Mul(f)
			d = spend.DivRound(b.per, divScale+4).RoundDown(divScale)
		}
		if spend.GreaterThan(dust) && d.IsPositive() {
			b.pr.buy(b.i, t, d, b.reason)
		}
	}
}

// dustDrift is the least drift ever traded, and the least cash (as a
// fraction of the book's equity) a buy ever spends: below it a weight
// differs from its target, or the cash left is, only by the rounding of
// earlier sizes (10^-20 in the engine, float64's in the kernel), and
// trading it would trade dust — and make the two implementations trade at
// different points under a band of 0 or a cash shortfall.
const dustDrift = 1e-12

// outsideBand reports whether a held pair at weight current is resized
// towards w: |current − w| > max(band, dustDrift).
func outsideBand(current, w, band float64) bool {
	return math.Abs(current-w) > max(band, dustDrift)
}
