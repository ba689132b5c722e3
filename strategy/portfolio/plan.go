package portfolio

import (
	"fmt"
	"math"
	"math/big"
	"time"

	"github.com/carry-research/carry/strategy"
)

// Plan is a book's decisions: its grid, where each member is on it, the
// rebalance points and the targets at each. None of them depends on the
// book's money (only on the data and the decision parameters: signal,
// lookback, top, threshold, weights, cap, schedule, filters), so a plan is
// computed once and then shared read-only by the exact engine and the
// float kernel, and by runs that differ only in costs or leverage.
type Plan struct {
	Universe *Universe
	// Params are the parameters the plan was made with; of them, only the
	// decisions' (everything but Pair and Band) bind a run of the plan.
	Params Params
	// Times is the book grid: the union of the members' grids.
	Times []time.Time
	grid  bookGrid
	// Decisions are the book's rebalances, in time order; the last book
	// point is never one.
	Decisions []Decision
}

// Decision is what the book wants at one rebalance point.
type Decision struct {
	Point int // book grid index
	// Signal[j] is member j's signal rounded to float64 (annualized), NaN
	// where the member is not eligible; the ranking used the exact value.
	Signal []float64
	// Kept are the members selected, best first.
	Kept []int
	// Weights[j] is member j's target weight, 0 when not kept.
	Weights []float64
}

// planner holds what the decisions need, computed once per member.
type planner struct {
	u          *Universe
	p          Params
	grid       bookGrid
	annualized [][]*big.Rat  // funding signal, exactly (when units is nil)
	units      *fundingUnits // funding signal, as integers
	carry      [][]float64   // inverse-vol weights
	minSignal  *big.Rat
	th         threshold
}

// NewPlan validates p and u and takes every decision of the book.
func NewPlan(u *Universe, p Params) (*Plan, error) { return newPlan(u, p, true) }

// newPlan is NewPlan; without units the funding signal is kept in exact
// rationals even where integers would do (a test holds the two equal).
func newPlan(u *Universe, p Params, units bool) (*Plan, error) {
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("portfolio parameters: %w", err)
	}
	if err := validateUniverse(u, p); err != nil {
		return nil, err
	}
	pl := &planner{u: u, p: p, grid: newBookGrid(u)}
	if p.MinSignal != nil {
		th, _ := strategy.ExactThreshold(*p.MinSignal) // Validate accepted it
		pl.minSignal = th.Decimal().Rat()
	}
	n := len(u.Members)
	if p.Signal == SignalFunding {
		if fu := newFundingUnits(u); units && fu != nil && fu.usable(p.Lookback) {
			pl.units = fu
		} else {
			pl.annualized = make([][]*big.Rat, n)
			for j, mem := range u.Members {
				pl.annualized[j] = annualizedRates(mem.Market)
			}
		}
	}
	pl.th = newThreshold(pl.minSignal, pl.units, p.Lookback)
	if p.Weights == WeightInverseVol {
		pl.carry = make([][]float64, n)
		for j, mem := range u.Members {
			pl.carry[j] = carryReturns(mem.Market)
		}
	}
	plan := &Plan{Universe: u, Params: p, Times: pl.grid.times, grid: pl.grid}
	for _, k := range rebalancePoints(pl.grid.times, p.Rebalance, u) {
		plan.Decisions = append(plan.Decisions, pl.decide(k))
	}
	return plan, nil
}

// decide takes the decision at book point k.
func (pl *planner) decide(k int) Decision {
	n := len(pl.u.Members)
	d := Decision{Point: k, Signal: make([]float64, n), Weights: make([]float64, n)}
	var cands []candidate
	for j := range n {
		d.Signal[j] = math.NaN()
		if c, ok := pl.eligible(j, k); ok {
			cands = append(cands, c)
			d.Signal[j] = c.float()
		}
	}
	kept := selectTop(cands, pl.th, pl.p.Top, func(j int) string { return pl.u.Members[j].Market.Symbol })
	for _, c := range kept {
		d.Kept = append(d.Kept, c.j)
	}
	targetWeights(d.Weights, kept, d.Signal, pl.p.Weights, pl.p.Top, pl.p.Cap)
	return d
}

// Index is member j's last grid index at or before book point k, −1
// before it enters.
func (p *Plan) Index(j, k int) int { return p.grid.index(j, k) }

// Present reports whether member j has a grid point at book point k.
func (p *Plan) Present(j, k int) bool { return p.grid.present(j, k) }

// sameDecisions reports whether p takes the same decisions as q: equal in
// everything but the pair's parameters and the band.
func sameDecisions(p, q Params) bool {
	p.Pair, q.Pair = strategy.Params{}, strategy.Params{}
	p.Band, q.Band = 0, 0
	if (p.MinSignal == nil) != (q.MinSignal == nil) || p.MinSignal != nil && *p.MinSignal != *q.MinSignal {
		return false
	}
	p.MinSignal, q.MinSignal = nil, nil
	return p == q
}
