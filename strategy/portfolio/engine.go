package portfolio

import (
	"context"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
)

// Run simulates the book exactly, in decimal arithmetic, and returns its
// full record; it checks the P&L identity of the book and of every pair at
// every book grid point. See docs/model.md, "Portfolios".
func Run(u *Universe, p Params) (*Result, error) {
	return RunContext(context.Background(), u, p)
}

// RunContext is Run, stopping with ctx's error when ctx is done (checked
// every few thousand book points: a long book stops within a fraction of
// a second of Ctrl-C).
func RunContext(ctx context.Context, u *Universe, p Params) (*Result, error) {
	plan, err := NewPlan(u, p)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return run(ctx, plan, p)
}

// RunPlan is Run on a plan already made, for runs that differ from the
// plan's parameters only in the pair's (capital, leverage, costs) or the
// band: the decisions are taken once and shared.
func RunPlan(plan *Plan, p Params) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("portfolio parameters: %w", err)
	}
	if !sameDecisions(plan.Params, p) {
		return nil, errors.New("portfolio: the parameters take other decisions than the plan's (only the pair's parameters and the band may differ)")
	}
	return run(context.Background(), plan, p)
}

type engine struct {
	plan  *Plan
	p     Params
	c     costs
	pairs []*pair
	cash  decimal.Decimal
	res   *Result

	positions, settlements int             // ids given so far
	traded                 decimal.Decimal // notional filled at the current point
	// the book's running totals, kept as the pairs move money, so a row
	// does not sum every member
	sumFunding, sumFees, sumForfeit, sumRealized decimal.Decimal
	pairEquity                                   []decimal.Decimal
}

// run plays the plan's decisions with p's money and costs.
func run(ctx context.Context, plan *Plan, p Params) (*Result, error) {
	u := plan.Universe
	e := &engine{
		plan: plan, p: p, c: newCosts(p.Pair), cash: p.Pair.Capital,
		res:        &Result{Universe: u, Params: p, Capital: p.Pair.Capital, Rows: make([]BookRow, 0, len(plan.Times))},
		pairEquity: make([]decimal.Decimal, len(u.Members)),
	}
	for _, mem := range u.Members {
		e.pairs = append(e.pairs, newPair(e, mem.Market))
	}
	next := 0 // the next decision
	for k := range plan.Times {
		if k%4096 == 4095 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var d *Decision
		if next < len(plan.Decisions) && plan.Decisions[next].Point == k {
			d = &plan.Decisions[next]
			next++
		}
		if err := e.step(k, d); err != nil {
			return nil, err
		}
	}
	e.res.FinalEquity = e.res.Rows[len(e.res.Rows)-1].Equity
	for j, pr := range e.pairs {
		pr.tot.BasisPnL = pr.basis(plan.Index(j, len(plan.Times)-1))
		e.res.Pairs = append(e.res.Pairs, pr.tot)
	}
	return e.res, nil
}

// step runs the order of work at book point k (spec point 2), d the
// decision if k is a rebalance point.
func (e *engine) step(k int, d *Decision) error {
	g := &e.plan.grid
	t := g.times[k]
	last := k == len(g.times)-1
	e.traded = decimal.Zero
	// a. Funding, per present member (a flat one only passes its events).
	for j, pr := range e.pairs {
		if i := g.index(j, k); g.present(j, k) && i > 0 {
			pr.settle(i)
		}
	}
	// b. The margin check of each present held pair: M < m·q·F.
	for j, pr := range e.pairs {
		if i := g.index(j, k); pr.held() && g.present(j, k) {
			if pr.marginBalance(i).LessThan(e.c.maintenance.Mul(pr.q).Mul(pr.fut(i))) {
				pr.liquidate(i, t)
			}
		}
	}
	// c. Leaving: a member's last grid point closes its position, unless
	// the book ends there too (step e).
	if !last {
		for j, pr := range e.pairs {
			if i := g.index(j, k); pr.held() && g.present(j, k) && i == len(pr.m.Times)-1 {
				reason := strategy.ReasonEnd
				if e.plan.Universe.Members[j].Delisted {
					reason, pr.tot.Delisted = ReasonDelist, true
				}
				pr.sell(i, t, pr.q, reason)
			}
		}
	}
	// d. Rebalance (never at the last point).
	if d != nil {
		e.rebalance(k, d)
		e.res.Rebalances = append(e.res.Rebalances, k)
	}
	// e. The book's last point closes everything at its last prices.
	if last {
		for j, pr := range e.pairs {
			if pr.held() {
				pr.sell(g.index(j, k), t, pr.q, strategy.ReasonEnd)
			}
		}
	}
	return e.record(k)
}

func (e *engine) newPosition() int {
	e.positions++
	return e.positions
}

func (e *engine) settled(s strategy.Settlement) {
	e.settlements++
	s.ID = e.settlements
	e.res.Settlements = append(e.res.Settlements, s)
}

func (e *engine) filled(tr Trade, notional decimal.Decimal) {
	e.traded = e.traded.Add(notional)
	e.res.Trades = append(e.res.Trades, tr)
}
