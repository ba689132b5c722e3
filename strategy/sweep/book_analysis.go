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

// BookNote is what a portfolio sweep's analysis.json says it leaves out.
const BookNote = "portfolio sweep: ranked by the metric; the heatmap, the plateau pick, the cost sensitivity and the probabilistic Sharpe are single-pair analyses not computed for portfolio grids (the pick is the best row)"

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
// (with o.WalkForward) the walk-forward check. The pick is the best row.
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
	pickIndex := sc.top.ranked[0].index
	a.Pick = &Pick{Index: pickIndex, RawBest: pickIndex, ID: a.TopRows[0][1], RawBestID: a.TopRows[0][1], Metric: finite(sc.top.ranked[0].metric),
		Rule: "the best row (portfolio sweeps pick no plateau)", Values: map[string]string{}}
	if c, err := ex.At(pickIndex); err == nil {
		for _, f := range ex.varying() {
			a.Pick.Values[f] = shown(c.Values[f])
		}
	}
	if err := atomicfile.Write(filepath.Join(r.Out, TopCSV), func(w io.Writer) error { return writeCSV(w, rr.header, a.TopRows) }); err != nil {
		return nil, err
	}
	if r.Split != nil {
		if err := r.bookOutOfSample(ex, a, &sc, col); err != nil {
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

// bookView picks the report's columns of the top rows: index, id, the
// fields that vary, the metric and the key figures.
func (a *Analysis) bookView(ex *BookExpansion, col map[string]int) {
	names := []string{"combination_index", "id"}
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

// bookOutOfSample runs the pick (the best in-sample row) and the top rows
// on each market's out-of-sample universe.
func (r *BookJob) bookOutOfSample(ex *BookExpansion, a *Analysis, sc *rowScan, col map[string]int) error {
	sources, err := r.sources(ex)
	if err != nil {
		return err
	}
	keep := []string{"final_equity", "total_return", "apr", "sharpe_daily", "sortino_daily", "volatility_daily", "max_drawdown", "calmar", "funding_income", "turnover", "average_holdings", a.Metric}
	out := &OutOfSample{Split: r.Split.String(), BestID: a.Pick.ID, InSample: map[string]json.Number{}, OutOfSample: map[string]json.Number{}}
	for r, ranked := range sc.top.ranked {
		c, err := ex.At(ranked.index)
		if err != nil {
			return err
		}
		runner, err := newBookRunner(sources[c.Market].oos, c.Params)
		if err != nil {
			return fmt.Errorf("out of sample, combination %d (%s): %w", c.Index, c.ID, err)
		}
		rec := bookRecord(ex, c, runner.plan, runner.run(c))
		oosCol := recordMap(rec)
		if r == 0 {
			for _, k := range keep {
				if v := a.TopRows[0][col[k]]; v != "" {
					out.InSample[k] = json.Number(v)
				}
				if v := oosCol[k]; v != "" {
					out.OutOfSample[k] = json.Number(v)
				}
			}
		}
		out.Compared = append(out.Compared, Compared{Rank: r + 1, Index: c.Index, ID: c.ID, Pick: r == 0,
			InSample: figuresOfRow(a.TopRows[r], col, a.Metric), OutOfSample: figuresOfRow(rec, headerIndex(), a.Metric)})
	}
	a.OutOfSample = out
	return nil
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
