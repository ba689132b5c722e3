package sweep

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync/atomic"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// WalkForwardOptions choose the walk-forward analysis.
type WalkForwardOptions struct {
	Folds   int  // K ≥ 1
	Rolling bool // in-sample windows of one segment; else expanding from the start
	Workers int  // goroutines ranking a fold; 0: all cores
}

// Mode is "rolling" or "expanding".
func (o WalkForwardOptions) Mode() string {
	if o.Rolling {
		return "rolling"
	}
	return "expanding"
}

// WalkForward is the walk-forward analysis: the span every market of the
// grid covers, [start, end], is cut into K+1 equal segments at
// b_j = start + j·(end − start)/(K+1); fold k = 1…K ranks the whole grid
// on its in-sample window — [b_0, b_k] expanding, [b_{k−1}, b_k] rolling —
// with the kernel, takes the pick (the same plateau rule as the sweep's,
// Pick) and runs it on the next segment (b_k, b_{k+1}] from the capital C.
// The out-of-sample segments, chained, are the stitched equity: each
// segment's curve scaled to start where the previous one ended.
type WalkForward struct {
	Folds  []Fold `json:"folds"`
	Mode   string `json:"mode"`
	Metric string `json:"metric"`
	// The stitched out-of-sample equity's figures: total return, APR
	// (R·365/days), Sharpe of its daily returns (×√365) and max drawdown.
	TotalReturn *float64 `json:"stitched_total_return"`
	APR         *float64 `json:"stitched_apr"`
	Sharpe      *float64 `json:"stitched_sharpe_daily"`
	MaxDrawdown *float64 `json:"stitched_max_drawdown"`
	FinalEquity *float64 `json:"stitched_final_equity"`
	Capital     float64  `json:"capital"`
	// Times and Equity are the stitched curve (for the chart).
	Times  []time.Time `json:"-"`
	Equity []float64   `json:"-"`
}

// Fold is one fold's windows, pick and out-of-sample figures.
type Fold struct {
	Fold         int               `json:"fold"`
	InFrom       time.Time         `json:"in_sample_from"`
	InTo         time.Time         `json:"in_sample_to"`
	OutFrom      time.Time         `json:"out_of_sample_from"` // exclusive: the first grid point after it
	OutTo        time.Time         `json:"out_of_sample_to"`
	Index        int               `json:"combination_index"`
	ID           string            `json:"id"`
	Parameters   map[string]string `json:"parameters"` // the parameters that vary
	Plateau      bool              `json:"plateau"`
	InMetric     *float64          `json:"in_sample_metric"`
	OutOfSample  Figures           `json:"out_of_sample"`
	Liquidated   int               `json:"in_sample_liquidated"` // combinations liquidated in-sample
	Combinations int               `json:"combinations"`
}

// walkForward runs the walk-forward analysis (see WalkForward) on the
// lake's series, over the whole window (no split).
func walkForward(ctx context.Context, lk *lake.Lake, ex Expansion, g *layout, o WalkForwardOptions, scan *Scan) (*WalkForward, error) {
	if o.Folds < 1 {
		return nil, fmt.Errorf("walk-forward: %d folds, want 1 or more", o.Folds)
	}
	s := g.s
	full := map[int]*strategy.Market{} // by market number
	var start, end time.Time
	for m := range s.markets() {
		if s.marketFirst[m] == s.marketFirst[m+1] {
			continue
		}
		sr, err := seriesFor(lk, nil, s.marketSpec(m), scan.loaded)
		if err != nil {
			return nil, err
		}
		if sr.oos != nil {
			return nil, fmt.Errorf("walk-forward: the series are split; a walk-forward runs on the whole window")
		}
		mk := sr.market
		full[m] = mk
		if first := mk.Times[0]; start.IsZero() || first.After(start) {
			start = first
		}
		if last := mk.Times[len(mk.Times)-1]; end.IsZero() || last.Before(end) {
			end = last
		}
	}
	if !end.After(start) {
		return nil, fmt.Errorf("walk-forward: the grid's markets share no time span")
	}
	b := make([]time.Time, o.Folds+2)
	for j := range b {
		b[j] = start.Add(time.Duration(float64(j) / float64(o.Folds+1) * float64(end.Sub(start)))).Truncate(time.Millisecond)
	}
	b[o.Folds+1] = end
	wf := &WalkForward{Mode: o.Mode(), Metric: scan.o.Metric}
	n := ex.Len()
	sc := rowScan{metricOf: make([]float64, n), liquidated: make([]uint64, (n+63)/64)}
	level := math.NaN()
	for k := 1; k <= o.Folds; k++ {
		inFrom := b[0]
		if o.Rolling {
			inFrom = b[k-1]
		}
		inside := map[int]*series{}
		for m, mk := range full {
			part := marketBetween(mk, inFrom, b[k], true)
			if part == nil {
				return nil, fmt.Errorf("walk-forward fold %d: %s has fewer than 2 grid points in %s → %s: use fewer folds", k, mk.Symbol, stamp(inFrom), stamp(b[k]))
			}
			prep, err := strategy.Prepare(part)
			if err != nil {
				return nil, err
			}
			inside[m] = &series{market: part, prepared: prep, stats: backtest.MarketStatsOf(part)}
		}
		if err := rankFold(ctx, s, inside, scan.metric, &sc, o.Workers); err != nil {
			return nil, fmt.Errorf("walk-forward fold %d: %w", k, err)
		}
		sc.top = topRows{n: scan.o.Top, better: scan.better}
		sc.rows, sc.nLiquidated = 0, 0
		for i, m := range sc.metricOf {
			sc.rows++
			if sc.isLiquidated(i) {
				sc.nLiquidated++
			}
			sc.top.offer(nil, rankedRow{index: i, metric: m})
		}
		pick := pickPlateau(g, &sc, scan.better, scan.metric.LowerIsBetter, scan.o.FarWorse, scan.o.Metric)
		c, err := ex.At(ctx, pick.Index)
		if err != nil {
			return nil, err
		}
		mk := full[s.market(posOf(g, pick.Index))]
		outPart := marketBetween(mk, b[k], b[k+1], false)
		if outPart == nil {
			return nil, fmt.Errorf("walk-forward fold %d: %s has fewer than 2 grid points after %s: use fewer folds", k, mk.Symbol, stamp(b[k]))
		}
		prep, err := strategy.Prepare(outPart)
		if err != nil {
			return nil, err
		}
		equity := make([]float64, prep.Len())
		row, err := evaluate(&series{market: outPart, prepared: prep, stats: backtest.MarketStatsOf(outPart)}, c, equity)
		if err != nil {
			return nil, fmt.Errorf("walk-forward fold %d: running the pick %s: %w", k, c.ID, err)
		}
		capital := c.Params.Capital.InexactFloat64()
		if math.IsNaN(level) {
			level, wf.Capital = capital, capital
		}
		// Each segment is run from C: its equity after each of its grid
		// points (its entry's costs in the first), scaled to the level
		// reached so far. The stitched curve is a run's equity, C its
		// capital (not a point of its own).
		scale := level / capital
		for i := range equity {
			wf.Times, wf.Equity = append(wf.Times, outPart.Times[i]), append(wf.Equity, equity[i]*scale)
		}
		level = equity[len(equity)-1] * scale
		params := map[string]string{}
		for f, name := range ParamNames {
			if len(ex.values(f)) > 1 {
				params[name] = shown(c.Values[name])
			}
		}
		wf.Folds = append(wf.Folds, Fold{Fold: k, InFrom: inFrom, InTo: b[k], OutFrom: b[k], OutTo: b[k+1], Index: c.Index, ID: c.ID,
			Parameters: params, Plateau: pick.Plateau, InMetric: finite(sc.metricOf[c.Index]), OutOfSample: figuresOf(&row.Summary, scan.metric),
			Liquidated: sc.nLiquidated, Combinations: sc.rows})
	}
	wf.stitchedFigures()
	return wf, nil
}

// posOf is combination i's position.
func posOf(g *layout, i int) []int {
	pos := make([]int, len(g.s.slots))
	g.s.decode(g.positionOf(i), pos)
	return pos
}

// stitchedFigures computes the stitched curve's figures as a run's
// (analytics.PerformanceOf, from the capital, rf 0): its return, APR, the
// Sharpe of its daily returns and its maximum drawdown (0 when it never
// falls below a previous peak or the capital).
func (wf *WalkForward) stitchedFigures() {
	n := len(wf.Equity)
	if n < 2 {
		return
	}
	perf, err := analytics.PerformanceOf(wf.Times, wf.Equity, wf.Capital, analytics.DaysPerYear, 0)
	if err != nil {
		return
	}
	wf.FinalEquity = finite(wf.Equity[n-1])
	wf.TotalReturn, wf.APR, wf.Sharpe = valuePtr(perf.TotalReturn), valuePtr(perf.APR), valuePtr(perf.SharpeDaily)
	dd := 0.0 // never below a previous peak
	if perf.Drawdown.Max.Valid {
		dd = perf.Drawdown.Max.V
	}
	wf.MaxDrawdown = &dd
}

// valuePtr is v as analysis.json writes a figure: nil when undefined.
func valuePtr(v analytics.Value) *float64 {
	if !v.Valid {
		return nil
	}
	return finite(v.V)
}

// rankFold runs every combination on the fold's in-sample series with
// the kernel, on all cores, and records each one's metric and whether it
// was liquidated in sc.
func rankFold(ctx context.Context, s *space, inside map[int]*series, metric Metric, sc *rowScan, workers int) error {
	clear(sc.liquidated)
	maxLen := 0
	for _, sr := range inside {
		maxLen = max(maxLen, sr.prepared.Len())
	}
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	buffers := make([][]float64, workers)
	return forEachChunk(ctx, s.chunks(), workers, nil, func(ctx context.Context, w, c int) error {
		if buffers[w] == nil {
			buffers[w] = make([]float64, maxLen)
		}
		return s.walk(ctx, c, func(index int, pos []int, t *tuple, p *strategy.Params) error {
			sum, err := inside[s.market(pos)].run(p, s.settings(t).RiskFree, buffers[w])
			if err != nil {
				return fmt.Errorf("combination %d: %w", index, err)
			}
			sc.metricOf[index] = metric.Of(&sum)
			if sum.Liquidated {
				atomic.OrUint64(&sc.liquidated[index/64], 1<<(index%64))
			}
			return nil
		})
	})
}

// marketBetween is m's grid points from `from` (inclusive when
// withFrom, else after it) to `to` (inclusive), with every funding event
// known; nil when fewer than two.
func marketBetween(m *strategy.Market, from, to time.Time, withFrom bool) *strategy.Market {
	lo := 0
	for lo < len(m.Times) && (m.Times[lo].Before(from) || (!withFrom && m.Times[lo].Equal(from))) {
		lo++
	}
	hi := lo
	for hi < len(m.Times) && !m.Times[hi].After(to) {
		hi++
	}
	if hi-lo < 2 {
		return nil
	}
	return marketPart(m, lo, hi)
}
