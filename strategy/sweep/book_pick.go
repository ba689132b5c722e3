package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// A portfolio sweep's pick is the best row by the metric whose book was
// not liquidated: a liquidated book lost a short's margin to a price
// spike, and ranking it first rewards a path the grid happened to
// survive in part. When every combination was liquidated the pick is the
// raw best, and the pick's rule says so. (The single-pair plateau rule
// refuses liquidated candidates and neighbours; a book grid has no
// plateau rule, so this is the part of it that applies.)
const (
	bookPickRule          = "the best by the metric not liquidated (a portfolio sweep picks no plateau)"
	bookPickRuleAllLiquid = "the best by the metric not liquidated (a portfolio sweep picks no plateau); every combination was liquidated, so the pick is the raw best, liquidated"
)

// bookPick follows a portfolio sweep's rows, in index order, for the best
// row not liquidated.
type bookPick struct {
	better            func(a, b float64) bool
	metricCol, liqCol int
	row               []string // a copy of the best row not liquidated; nil: none yet
	index             int
	metric            float64
}

// offer considers the next row: a tie keeps the earlier (lower index),
// as the ranking does.
func (p *bookPick) offer(rec []string) error {
	if rec[p.liqCol] == "true" {
		return nil
	}
	m, err := cellFloat(rec[p.metricCol])
	if err != nil {
		return fmt.Errorf("combination %s, metric: %w", rec[0], err)
	}
	if p.row != nil && !p.better(m, p.metric) {
		return nil
	}
	i, err := strconv.Atoi(rec[0])
	if err != nil {
		return fmt.Errorf("combination_index %q: %w", rec[0], err)
	}
	p.row, p.index, p.metric = slices.Clone(rec), i, m
	return nil
}

// choosePick fills a.Pick (the best row not liquidated, else the raw
// best), its parameters that vary, the better-ranked combinations passed
// over (all liquidated) and the pick's daily Sharpe; it returns the
// pick's row.
func (a *Analysis) choosePick(ex *BookExpansion, sc *rowScan, bp *bookPick, better func(a, b float64) bool, col map[string]int) ([]string, error) {
	raw := sc.top.ranked[0]
	row, index, metric, rule := a.TopRows[0], raw.index, raw.metric, bookPickRuleAllLiquid
	if bp.row != nil {
		row, index, metric, rule = bp.row, bp.index, bp.metric, bookPickRule
	}
	p := &Pick{Index: index, ID: row[col["id"]], Metric: finite(metric), RawBest: raw.index, RawBestID: a.TopRows[0][col["id"]],
		Rule: rule, Values: map[string]string{}, Skipped: []SkippedCandidate{}}
	c, err := ex.At(index)
	if err != nil {
		return nil, err
	}
	for _, f := range ex.varying() {
		p.Values[f] = shown(c.Values[f])
	}
	// Those ranked before the pick: a better metric, or as good and an
	// earlier index (the ranking's order). All were liquidated.
	for i, m := range sc.metricOf {
		if i != index && (better(m, metric) || (i < index && sameRank(m, metric))) {
			p.SkippedCount++
		}
	}
	for r, t := range sc.top.ranked {
		if t.index == index || len(p.Skipped) == maxSkippedListed {
			break
		}
		p.Skipped = append(p.Skipped, SkippedCandidate{Index: t.index, ID: a.TopRows[r][col["id"]], Metric: finite(t.metric), Reason: "liquidated"})
	}
	a.Pick = p
	if v, err := cellFloat(row[col["sharpe_daily"]]); err == nil {
		a.PickDailySharpe = finite(v)
	}
	return row, nil
}

// sameRank says two metrics tie (both null, or equal).
func sameRank(a, b float64) bool { return a == b || (math.IsNaN(a) && math.IsNaN(b)) }

// bookLiquidations counts the liquidated combinations in all and per
// value of each field that varies, in the grid's order of the values.
func bookLiquidations(ex *BookExpansion, sc *rowScan) *Liquidations {
	out := &Liquidations{Combinations: sc.rows, Liquidated: sc.nLiquidated, ByAxis: []AxisLiquidated{}}
	var fields []int
	for f, vals := range ex.fields {
		if len(vals) > 1 {
			fields = append(fields, f)
			ax := AxisLiquidated{Axis: BookParamNames[f], Values: make([]ValueLiquidated, len(vals))}
			for k, v := range vals {
				ax.Values[k].Value = shown(v.canon)
			}
			out.ByAxis = append(out.ByAxis, ax)
		}
	}
	pos := make([]int, len(ex.fields))
	for i, at := range ex.valid {
		if i >= len(sc.metricOf) {
			break
		}
		ex.decode(at, pos)
		liq := sc.isLiquidated(i)
		for k, f := range fields {
			v := &out.ByAxis[k].Values[pos[f]]
			v.Combinations++
			if liq {
				v.Liquidated++
			}
		}
	}
	return out
}
