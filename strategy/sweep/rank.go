package sweep

import (
	"context"
	"io"
	"math"
	"slices"
	"strconv"
)

// rowScan is the analyses' one pass over results.csv: what it keeps is
// the top rows and, for the heatmap, 16 bytes a row.
type rowScan struct {
	metric, sharpe, daysCol int // columns
	top                     topRows
	keepMetric              bool // for the heatmap

	rows        int
	days        float64 // the first row's window, in days
	bestSharpe  float64
	metricByRow []indexedMetric // each row whose metric reads as a number, in file order
}

type indexedMetric struct {
	index  int // combination index
	metric float64
}

// scan reads the rows from first (already read) to the end.
func (sc *rowScan) scan(ctx context.Context, rr *resultsReader, first []string) error {
	sc.bestSharpe = math.Inf(-1)
	sc.days = number(first, sc.daysCol)
	rec := first
	for n := 1; ; n++ {
		sc.add(rec)
		if n%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		var err error
		if rec, _, _, err = rr.next(); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
	}
}

func (sc *rowScan) add(r []string) {
	sc.rows++
	if s := number(r, sc.sharpe); s > sc.bestSharpe {
		sc.bestSharpe = s
	}
	v, err := strconv.ParseFloat(r[sc.metric], 64) // once a row: files hold millions
	if err != nil {
		v = math.NaN()
	}
	sc.top.offer(r, v)
	if sc.keepMetric && err == nil {
		sc.metricByRow = append(sc.metricByRow, indexedMetric{mustAtoi(r[0]), v})
	}
}

// number reads column c of r; NaN when it is not a number (null).
func number(r []string, c int) float64 {
	v, err := strconv.ParseFloat(r[c], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}

// topRows keeps the n best rows by a metric in the order a stable sort of
// all rows would give: by the metric, ties in the order the rows came.
type topRows struct {
	n      int
	better func(a, b float64) bool // a ranks before b
	rows   [][]string
	values []float64
}

// offer considers the next row (copied if kept): it goes after every kept
// row it does not beat.
func (t *topRows) offer(r []string, v float64) {
	if len(t.rows) == t.n && !t.better(v, t.values[t.n-1]) {
		return
	}
	i := len(t.rows)
	for i > 0 && t.better(v, t.values[i-1]) {
		i--
	}
	t.rows = slices.Insert(t.rows, i, slices.Clone(r))
	t.values = slices.Insert(t.values, i, v)
	if len(t.rows) > t.n {
		t.rows, t.values = t.rows[:t.n], t.values[:t.n]
	}
}
