package sweep

import (
	"context"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/carry-research/carry/strategy/portfolio"
)

// bookWalkForward is the walk-forward check of a portfolio sweep, as
// WalkForward describes for single pairs: the books' common span (from
// the latest first point to the earliest last point of the markets'
// universes) cut into K+1 segments; fold k ranks every combination on
// its in-sample window with the kernel, takes the best not liquidated
// (the raw best when all were; no plateau, as the sweep's pick) and runs
// it on the next segment from the capital; the segments chain into the
// stitched equity.
func (r *BookJob) bookWalkForward(ctx context.Context, ex *BookExpansion, o WalkForwardOptions, lowerIsBetter bool, metricName string) (*WalkForward, error) {
	if o.Folds < 1 {
		return nil, fmt.Errorf("walk-forward: %d folds, want 1 or more", o.Folds)
	}
	if r.Split != nil {
		return nil, fmt.Errorf("walk-forward: the universes are split; a walk-forward runs on the whole window")
	}
	sources, err := r.sources(ex)
	if err != nil {
		return nil, err
	}
	var start, end time.Time
	for _, src := range sources {
		first, last := universeSpan(src.universe)
		if start.IsZero() || first.After(start) {
			start = first
		}
		if end.IsZero() || last.Before(end) {
			end = last
		}
	}
	if !end.After(start) {
		return nil, fmt.Errorf("walk-forward: the grid's universes share no time span")
	}
	b := make([]time.Time, o.Folds+2)
	for j := range b {
		b[j] = start.Add(time.Duration(float64(j) / float64(o.Folds+1) * float64(end.Sub(start)))).Truncate(time.Millisecond)
	}
	// Each boundary on a grid point (the latest at or before it): the
	// folds hold the same points, and their windows read as the data's
	// instants (not 2025-01-30 19:12 on an hourly grid).
	for j := 1; j <= o.Folds; j++ {
		var snapped time.Time
		for _, src := range sources {
			if p := gridPointAtOrBefore(src.universe, b[j]); p.After(snapped) {
				snapped = p
			}
		}
		b[j] = snapped
	}
	b[o.Folds+1] = end
	h := headerIndex()
	wf := &WalkForward{Mode: o.Mode(), Metric: metricName}
	level := math.NaN()
	for k := 1; k <= o.Folds; k++ {
		inFrom := b[0]
		if o.Rolling {
			inFrom = b[k-1]
		}
		best, bestMetric, liquidated := -1, math.NaN(), 0
		bestAlive, aliveMetric := -1, math.NaN() // the best not liquidated
		better := func(m, than float64) bool {
			return !math.IsNaN(m) && (math.IsNaN(than) || (lowerIsBetter && m < than) || (!lowerIsBetter && m > than))
		}
		var runner *bookRunner
		var group = -1
		for i := range ex.Len() {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			c, err := ex.At(i)
			if err != nil {
				return nil, err
			}
			if g := ex.group(ex.valid[i]); g != group {
				group = g
				u := universeBetween(sources[c.Market].universe, inFrom, b[k], true)
				if u == nil {
					return nil, fmt.Errorf("walk-forward fold %d: no member has 2 grid points in %s → %s: use fewer folds", k, stamp(inFrom), stamp(b[k]))
				}
				if runner, err = newBookRunner(u, c.Params); err != nil {
					return nil, fmt.Errorf("walk-forward fold %d, combination %d: %w", k, i, err)
				}
			}
			rec := bookRecord(ex, c, runner.plan, runner.run(c))
			m := bookFigure(rec, metricName)
			if rec[h["liquidated"]] == "true" {
				liquidated++
			} else if bestAlive < 0 || better(m, aliveMetric) {
				bestAlive, aliveMetric = i, m
			}
			if best < 0 || better(m, bestMetric) {
				best, bestMetric = i, m
			}
		}
		if bestAlive >= 0 {
			best, bestMetric = bestAlive, aliveMetric
		}
		c, err := ex.At(best)
		if err != nil {
			return nil, err
		}
		u := universeBetween(sources[c.Market].universe, b[k], b[k+1], false)
		if u == nil {
			return nil, fmt.Errorf("walk-forward fold %d: no member has 2 grid points after %s: use fewer folds", k, stamp(b[k]))
		}
		out, err := newBookRunner(u, c.Params)
		if err != nil {
			return nil, fmt.Errorf("walk-forward fold %d: running the pick %s: %w", k, c.ID, err)
		}
		rec := bookRecord(ex, c, out.plan, out.run(c))
		capital := c.Params.Pair.Capital.InexactFloat64()
		if math.IsNaN(level) {
			level, wf.Capital = capital, capital
		}
		scale := level / capital
		for i, t := range out.plan.Times {
			wf.Times, wf.Equity = append(wf.Times, t), append(wf.Equity, out.equity[i]*scale)
		}
		level = out.equity[len(out.equity)-1] * scale
		params := map[string]string{}
		for _, f := range ex.varying() {
			params[f] = shown(c.Values[f])
		}
		wf.Folds = append(wf.Folds, Fold{Fold: k, InFrom: inFrom, InTo: b[k], OutFrom: b[k], OutTo: b[k+1], Index: c.Index, ID: c.ID,
			Parameters: params, InMetric: finite(bestMetric), OutOfSample: figuresOfRow(rec, h, metricName),
			Liquidated: liquidated, Combinations: ex.Len()})
	}
	wf.stitchedFigures()
	return wf, nil
}

// universeSpan is the first and last instant of a universe's grids.
func universeSpan(u *portfolio.Universe) (first, last time.Time) {
	for _, m := range u.Members {
		t := m.Market.Times
		if first.IsZero() || t[0].Before(first) {
			first = t[0]
		}
		if last.IsZero() || t[len(t)-1].After(last) {
			last = t[len(t)-1]
		}
	}
	return first, last
}

// universeBetween is u's members' parts in the window (memberBetween);
// nil when none has two points there.
func universeBetween(u *portfolio.Universe, from, to time.Time, withFrom bool) *portfolio.Universe {
	out := &portfolio.Universe{}
	for _, m := range u.Members {
		if p := memberBetween(m, from, to, withFrom); p != nil {
			out.Members = append(out.Members, *p)
		}
	}
	if len(out.Members) == 0 {
		return nil
	}
	return out
}

// gridPointAtOrBefore is the latest grid point of u's members at or
// before t (t when none is). Cutting at it or at t splits every member's
// points alike: both leave the same points at or before the cut.
func gridPointAtOrBefore(u *portfolio.Universe, t time.Time) time.Time {
	var best time.Time
	for _, m := range u.Members {
		ts := m.Market.Times
		i := sort.Search(len(ts), func(i int) bool { return ts[i].After(t) })
		if i > 0 && ts[i-1].After(best) {
			best = ts[i-1]
		}
	}
	if best.IsZero() {
		return t
	}
	return best
}
