package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/internal/atomicfile"
)

// BookNote says, once, what a portfolio sweep's analyses leave out and
// why (analysis.json's note, the report's).
const BookNote = "Not computed for portfolio grids: the heatmap and the plateau rule of the pick (both walk the single-pair grid's layout of neighbours), " +
	"the cost sensitivity and the probabilistic and deflated Sharpe ratios (both rerun the pick with the single-pair engine). " +
	"The pick is the best row by the metric whose book was not liquidated."

// bookMetric is the ranking column of a portfolio sweep and its sense.
func bookMetric(name string) (col bookColumn, ok bool) {
	for _, c := range allBookColumns() {
		if c.name == name && (c.kind == 0 || c.kind == 1) && name != "combination_index" { // data.Float, data.Int
			return c, true
		}
	}
	return bookColumn{}, false
}

// Analyze reads Out/results.csv of a portfolio sweep, ranks it by
// o.Metric, writes top.csv and analysis.json, and (with r.Split) runs the
// pick and the top rows on the out-of-sample part with the kernel, and
// (with o.WalkForward) the walk-forward check. The pick is the best row
// not liquidated (the raw best when every combination was; see
// bookPickRule); Best and the top rows stay the raw ranking.
func (r *BookJob) Analyze(ctx context.Context, ex *BookExpansion, o AnalysisOptions) (*Analysis, error) {
	if o.Metric == "" {
		o.Metric = DefaultMetric
	}
	if o.Top <= 0 {
		o.Top = 20
	}
	metric, ok := bookMetric(o.Metric)
	if !ok {
		return nil, fmt.Errorf("no metric %q in a portfolio sweep's results: choose a numeric column of results.csv, e.g. sharpe_daily, apr, calmar, turnover", o.Metric)
	}
	better := func(a, b float64) bool {
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		if metric.lowerIsBetter {
			return a < b
		}
		return a > b
	}
	path := filepath.Join(r.Out, ResultsCSV)
	rr, err := openResults(path)
	if err != nil {
		return nil, err
	}
	if rr == nil {
		return nil, fmt.Errorf("%s has no results", r.Out)
	}
	defer rr.close()
	col := map[string]int{}
	for i, h := range rr.header {
		col[h] = i
	}
	sc := rowScan{metric: col[o.Metric], sharpe: col["sharpe_daily"], top: topRows{n: o.Top, better: better}, bestSharpe: math.Inf(-1),
		metricOf: make([]float64, ex.Len()), liquidated: make([]uint64, (ex.Len()+63)/64), liquidatedCol: col["liquidated"]}
	for i := range sc.metricOf {
		sc.metricOf[i] = math.NaN() // a combination without a row ranks last
	}
	bp := &bookPick{better: better, metricCol: col[o.Metric], liqCol: col["liquidated"]}
	for {
		rec, _, _, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if sc.rows == 0 {
			if sc.days, err = cellFloat(rec[col["days"]]); err != nil {
				return nil, fmt.Errorf("%s row 1, days: %w", path, err)
			}
		}
		if err := sc.add(rec); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if err := bp.offer(rec); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	if sc.rows == 0 {
		return nil, fmt.Errorf("%s has no results", r.Out)
	}
	a := &Analysis{Metric: o.Metric, Tried: sc.rows, Header: rr.header, Best: map[string]any{}, Dropped: ex.Reasons, TopRows: sc.top.rows}
	_, kinds := bookColumns()
	for i, h := range rr.header {
		a.Best[h] = jsonCell(a.TopRows[0][i], kinds, i)
	}
	if !math.IsInf(sc.bestSharpe, 0) {
		a.BestSharpe = &sc.bestSharpe
	}
	a.Years = sc.days / 365
	a.ShortWindow = sc.days < analytics.ShortWindowDays
	if luck := expectedMaxSharpe(sc.rows, a.Years); !math.IsNaN(luck) {
		a.LuckSharpe = &luck
	}
	a.bookView(ex, col)
	pickRow, err := a.choosePick(ex, &sc, bp, better, col)
	if err != nil {
		return nil, err
	}
	a.Liquidations = bookLiquidations(ex, &sc)
	if err := atomicfile.Write(filepath.Join(r.Out, TopCSV), func(w io.Writer) error { return writeCSV(w, rr.header, a.TopRows) }); err != nil {
		return nil, err
	}
	if r.Split != nil {
		if err := r.bookOutOfSample(ex, a, &sc, col, pickRow); err != nil {
			return nil, err
		}
	}
	if o.WalkForward != nil {
		if a.WalkForward, err = r.bookWalkForward(ctx, ex, *o.WalkForward, metric.lowerIsBetter, o.Metric); err != nil {
			return nil, err
		}
	}
	out := struct {
		*Analysis
		Note string `json:"note"`
	}{a, BookNote}
	return a, atomicfile.Write(filepath.Join(r.Out, AnalysisJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	})
}

// bookView picks the report's columns of the top rows: index, id,
// whether the book was liquidated (beside the id: a liquidated book is
// what a reader must see first), the fields that vary, the metric and
// the key figures.
func (a *Analysis) bookView(ex *BookExpansion, col map[string]int) {
	names := []string{"combination_index", "id", "liquidated"}
	for _, f := range ex.varying() {
		names = append(names, bookColumnOf(f))
	}
	for _, m := range []string{a.Metric, "sharpe_daily", "apr", "max_drawdown", "final_equity", "funding_income", "fees", "turnover", "average_holdings", "liquidations"} {
		if _, ok := col[m]; ok && !containsString(names, m) {
			names = append(names, m)
		}
	}
	a.ViewHeader = names
	for _, r := range a.TopRows {
		row := make([]string, len(names))
		for i, n := range names {
			row[i] = r[col[n]]
		}
		a.ViewRows = append(a.ViewRows, row)
	}
}

func containsString(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// bookOutOfSample runs the pick (the best in-sample row not liquidated,
// pickRow) and the top rows on each market's out-of-sample universe; the
// pick is listed first, unranked, when it is not among the top rows.
func (r *BookJob) bookOutOfSample(ex *BookExpansion, a *Analysis, sc *rowScan, col map[string]int, pickRow []string) error {
	sources, err := r.sources(ex)
	if err != nil {
		return err
	}
	keep := []string{"final_equity", "total_return", "apr", "sharpe_daily", "sortino_daily", "volatility_daily", "max_drawdown", "calmar", "funding_income", "turnover", "average_holdings", a.Metric}
	out := &OutOfSample{Split: r.Split.String(), BestID: a.Pick.ID, InSample: map[string]json.Number{}, OutOfSample: map[string]json.Number{}}
	oosOf := func(index int) (BookCombination, []string, error) {
		c, err := ex.At(index)
		if err != nil {
			return c, nil, err
		}
		runner, err := newBookRunner(sources[c.Market].oos, c.Params)
		if err != nil {
			return c, nil, fmt.Errorf("out of sample, combination %d (%s): %w", c.Index, c.ID, err)
		}
		return c, bookRecord(ex, c, runner.plan, runner.run(c)), nil
	}
	inTop := false
	for rank, ranked := range sc.top.ranked {
		c, rec, err := oosOf(ranked.index)
		if err != nil {
			return err
		}
		isPick := c.Index == a.Pick.Index
		inTop = inTop || isPick
		out.Compared = append(out.Compared, Compared{Rank: rank + 1, Index: c.Index, ID: c.ID, Pick: isPick,
			InSample: figuresOfRow(a.TopRows[rank], col, a.Metric), OutOfSample: figuresOfRow(rec, headerIndex(), a.Metric)})
		if isPick {
			keepFigures(out, keep, pickRow, col, rec)
		}
	}
	if !inTop {
		c, rec, err := oosOf(a.Pick.Index)
		if err != nil {
			return err
		}
		out.Compared = append([]Compared{{Index: c.Index, ID: c.ID, Pick: true,
			InSample: figuresOfRow(pickRow, col, a.Metric), OutOfSample: figuresOfRow(rec, headerIndex(), a.Metric)}}, out.Compared...)
		keepFigures(out, keep, pickRow, col, rec)
	}
	a.OutOfSample = out
	return nil
}

// keepFigures copies the pick's figures named in keep, in and out of
// sample, into out (empty cells left out).
func keepFigures(out *OutOfSample, keep []string, inRow []string, col map[string]int, outRec []string) {
	oosCol := recordMap(outRec)
	for _, k := range keep {
		if v := inRow[col[k]]; v != "" {
			out.InSample[k] = json.Number(v)
		}
		if v := oosCol[k]; v != "" {
			out.OutOfSample[k] = json.Number(v)
		}
	}
}

// headerIndex is the book results' column positions by name.
func headerIndex() map[string]int {
	h, _ := bookColumns()
	col := map[string]int{}
	for i, n := range h {
		col[n] = i
	}
	return col
}

// recordMap is a book results record by column name.
func recordMap(rec []string) map[string]string {
	h, _ := bookColumns()
	m := map[string]string{}
	for i, n := range h {
		m[n] = rec[i]
	}
	return m
}

// bookFigure reads a numeric cell of a book record ("" or unreadable: NaN).
func bookFigure(rec []string, name string) float64 {
	v, err := strconv.ParseFloat(rec[headerIndex()[name]], 64)
	if err != nil {
		return math.NaN()
	}
	return v
}
