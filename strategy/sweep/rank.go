package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
)

// rankedRow is a results row as the analyses read it, parsed once: files
// hold millions.
type rankedRow struct {
	index  int     // combination index
	metric float64 // the ranking metric; NaN when null
	sharpe float64 // NaN when null
}

// rowScan is the analyses' one pass over results.csv: what it keeps is
// the top rows and, for the heatmap, the plateau pick and the histogram,
// each combination's metric and whether it was liquidated: 8 bytes and a
// bit a combination.
type rowScan struct {
	metric, sharpe, daysCol int // columns
	liquidatedCol           int // −1: no such column
	top                     topRows

	rows       int
	days       float64 // the first row's window, in days
	bestSharpe float64
	// metricOf is each combination's metric by index; NaN when null or
	// when the combination has no row.
	metricOf    []float64
	liquidated  []uint64 // a bit per combination index
	nLiquidated int      // rows liquidated
}

// isLiquidated says whether combination i's row says it was liquidated.
func (sc *rowScan) isLiquidated(i int) bool {
	return sc.liquidated[i/64]&(1<<(i%64)) != 0
}

func (sc *rowScan) add(rec []string) error {
	r, err := sc.parse(rec)
	if err != nil {
		return err
	}
	sc.rows++
	if r.sharpe > sc.bestSharpe {
		sc.bestSharpe = r.sharpe
	}
	sc.top.offer(rec, r)
	if r.index < 0 || r.index >= len(sc.metricOf) {
		return fmt.Errorf("row for combination %d: the grid has %d", r.index, len(sc.metricOf))
	}
	sc.metricOf[r.index] = r.metric
	if sc.liquidatedCol >= 0 && rec[sc.liquidatedCol] == "true" {
		sc.liquidated[r.index/64] |= 1 << (r.index % 64)
		sc.nLiquidated++
	}
	return nil
}

// parse reads the row's combination index and figures.
func (sc *rowScan) parse(rec []string) (rankedRow, error) {
	var r rankedRow
	var err error
	if r.index, err = strconv.Atoi(rec[0]); err != nil {
		return r, fmt.Errorf("combination_index %q: %w", rec[0], err)
	}
	if r.metric, err = cellFloat(rec[sc.metric]); err != nil {
		return r, fmt.Errorf("combination %d, metric: %w", r.index, err)
	}
	if r.sharpe, err = cellFloat(rec[sc.sharpe]); err != nil {
		return r, fmt.Errorf("combination %d, sharpe: %w", r.index, err)
	}
	return r, nil
}

// cellFloat reads a numeric cell: empty is null (NaN).
func cellFloat(s string) (float64, error) {
	if s == "" {
		return math.NaN(), nil
	}
	return strconv.ParseFloat(s, 64)
}

// topRows keeps the n best rows by a metric in the order a stable sort of
// all rows would give: by the metric, ties in the order the rows came.
type topRows struct {
	n      int
	better func(a, b float64) bool // a ranks before b
	rows   [][]string              // the rows' text, for top.csv
	ranked []rankedRow
}

// offer considers the next row (copied if kept): it goes after every kept
// row it does not beat.
func (t *topRows) offer(rec []string, r rankedRow) {
	if len(t.rows) == t.n && !t.better(r.metric, t.ranked[t.n-1].metric) {
		return
	}
	i := len(t.rows)
	for i > 0 && t.better(r.metric, t.ranked[i-1].metric) {
		i--
	}
	t.rows = slices.Insert(t.rows, i, slices.Clone(rec))
	t.ranked = slices.Insert(t.ranked, i, r)
	if len(t.rows) > t.n {
		t.rows, t.ranked = t.rows[:t.n], t.ranked[:t.n]
	}
}
