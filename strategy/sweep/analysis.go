package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"

	"github.com/shopspring/decimal"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// The analysis files.
const (
	TopCSV       = "top.csv"
	AnalysisJSON = "analysis.json"
)

// columnOf maps a grid parameter to its results column.
var columnOf = paramColumns()

// AnalysisOptions choose the analyses.
type AnalysisOptions struct {
	Metric    string // the ranking metric (see Metrics); default DefaultMetric
	Top       int    // default 20
	HeatX     string // grid parameter; default the first two that vary
	HeatY     string
	Aggregate string // "best" (default) or "median" over the other parameters
	// FarWorse is the fraction of the candidate's metric a neighbour may
	// fall short by before the pick passes the candidate over (Pick);
	// default DefaultFarWorse.
	FarWorse float64
	// WalkForward, when set, ranks the grid on K folds over time and runs
	// each fold's pick on the next segment (WalkForward).
	WalkForward *WalkForwardOptions
}

// Analysis is what Analyze found.
type Analysis struct {
	Metric     string         `json:"metric"`
	Tried      int            `json:"combinations_tried"`
	Best       map[string]any `json:"best"`
	BestSharpe *float64       `json:"best_sharpe"`
	// LuckSharpe is the Sharpe ratio the best of Tried strategies with no
	// edge would show on this window's length by chance (see docs/sweep.md).
	LuckSharpe  *float64     `json:"expected_best_sharpe_by_luck"`
	HeatX       string       `json:"heatmap_x"`
	HeatY       string       `json:"heatmap_y"`
	OutOfSample *OutOfSample `json:"out_of_sample,omitempty"`
	// Pick is the combination chosen (the best with a plateau around it):
	// the out-of-sample check, the cost sensitivity and the probabilistic
	// Sharpe are the pick's.
	Pick *Pick `json:"pick"`
	// Liquidations are the liquidated combinations per value of each
	// varying field.
	Liquidations *Liquidations `json:"liquidations"`
	// Histogram is the distribution of the metric over the combinations.
	Histogram *Histogram `json:"metric_histogram"`
	// PickPSR is the probability that the pick's true daily Sharpe ratio
	// exceeds 0, PickDSR that it exceeds the luck figure's daily
	// equivalent (the deflated Sharpe ratio); null without a lake.
	PickPSR *float64 `json:"pick_probabilistic_sharpe"`
	PickDSR *float64 `json:"pick_deflated_sharpe"`
	// PickDailySharpe is the pick's Sharpe on its daily returns,
	// annualized by √365, the figure the two probabilities are about.
	PickDailySharpe *float64     `json:"pick_daily_sharpe"`
	WalkForward     *WalkForward `json:"walk_forward,omitempty"`
	// Heatmap is the metric over two grid parameters; nil when fewer than
	// two vary.
	Heatmap *Heatmap `json:"-"`
	// Sensitivity is the best combination's metric as its costs scale;
	// nil without a lake to rerun it on.
	Sensitivity *Sensitivity `json:"-"`
	TopRows     [][]string   `json:"-"`
	Header      []string     `json:"-"`
	// ViewHeader and ViewRows are the top rows as the report shows them:
	// the parameters that vary and the key metrics (top.csv has them all).
	ViewHeader []string       `json:"-"`
	ViewRows   [][]string     `json:"-"`
	Dropped    map[string]int `json:"invalid_reasons,omitempty"`
	Years      float64        `json:"window_years"`
	// ShortWindow: the (in-sample) window is under analytics.ShortWindowDays
	// days, so every annualized figure extrapolates a year from it.
	ShortWindow bool `json:"short_window"`
}

// Sensitivity is a combination's metric with its costs scaled by each
// multiplier, one line per cost scaled.
type Sensitivity struct {
	Metric      string
	Best        Combination
	Multipliers []float64
	Lines       map[string][]float64 // NaN where the scaled parameters are invalid or the run failed
}

// OutOfSample is the pick's figures on both parts (BestID is the pick's
// id: the best in-sample combination with a plateau, see Pick), and the
// top rows' beside them.
type OutOfSample struct {
	Split       string                 `json:"split"`
	BestID      string                 `json:"best_id"`
	InSample    map[string]json.Number `json:"in_sample"`
	OutOfSample map[string]json.Number `json:"out_of_sample"`
	// Compared are the pick and the top rows, each in and out of sample.
	Compared []Compared `json:"compared"`
}

// Compared is one combination's key figures in and out of sample.
type Compared struct {
	Rank        int     `json:"rank"` // in-sample, by the metric (1 = best); 0: the pick, below the top rows
	Index       int     `json:"combination_index"`
	ID          string  `json:"id"`
	Pick        bool    `json:"pick"`
	InSample    Figures `json:"in_sample"`
	OutOfSample Figures `json:"out_of_sample"`
}

// Figures are a run's key figures (null where undefined).
type Figures struct {
	FinalEquity *float64 `json:"final_equity"`
	APR         *float64 `json:"apr"`
	Sharpe      *float64 `json:"sharpe"`
	MaxDrawdown *float64 `json:"max_drawdown"`
	Liquidated  bool     `json:"liquidated"`
	Metric      *float64 `json:"metric"` // the ranking metric
}

func figuresOf(s *backtest.Summary, metric Metric) Figures {
	return Figures{FinalEquity: finite(moneyOf(s.FinalEquity)), APR: finite(valueOf(s.APR)), Sharpe: finite(valueOf(s.Sharpe)),
		MaxDrawdown: finite(valueOf(s.MaxDrawdown)), Liquidated: s.Liquidated, Metric: finite(metric.Of(s))}
}

// figuresOfRow reads the figures from a results row.
func figuresOfRow(row []string, col map[string]int, metric string) Figures {
	cell := func(name string) *float64 {
		c, ok := col[name]
		if !ok {
			return nil
		}
		v, err := cellFloat(row[c])
		if err != nil {
			return nil
		}
		return finite(v)
	}
	sharpe := cell(sharpeColumn(col))
	f := Figures{FinalEquity: cell("final_equity"), APR: cell("apr"), Sharpe: sharpe, MaxDrawdown: cell("max_drawdown"), Metric: cell(metric)}
	if c, ok := col["liquidated"]; ok {
		f.Liquidated = row[c] == "true"
	}
	return f
}

// Analyze reads dir/results.csv, computes the ranking, the heatmap, the
// cost sensitivity and (when split) the out-of-sample check, and writes
// top.csv and analysis.json; it draws nothing (internal/report does). The
// lake (and the split) are needed for the sensitivity and out-of-sample
// runs.
func Analyze(dir string, lake *lake.Lake, ex Expansion, split *Split, o AnalysisOptions) (*Analysis, error) {
	return AnalyzeContext(context.Background(), dir, lake, ex, split, o)
}

// AnalyzeContext is Analyze that cancelling ctx stops. It streams
// results.csv once (NewScan, Scan.Add), holding the top rows and, for the
// heatmap, each row's index and metric, then analyzes the scan
// (AnalyzeScan).
func AnalyzeContext(ctx context.Context, dir string, lake *lake.Lake, ex Expansion, split *Split, o AnalysisOptions) (*Analysis, error) {
	path := filepath.Join(dir, ResultsCSV)
	rr, err := openResults(path)
	if err != nil {
		return nil, err
	}
	if rr == nil {
		return nil, fmt.Errorf("%s has no results", dir)
	}
	defer rr.close()
	sc, err := NewScan(rr.header, ex, o)
	if err != nil {
		return nil, err
	}
	for n := 1; ; n++ {
		rec, _, _, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if err := sc.Add(rec); err != nil {
			return nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if n%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	return AnalyzeScan(ctx, dir, lake, ex, split, sc)
}

// Scan is the analyses' one pass over a sweep's rows, in index order:
// what it keeps is the top rows and, for the heatmap, each row's index and
// metric. A fresh sweep's Job fills one as it writes the rows (Job.Scan),
// so that the analyses do not read results.csv again.
type Scan struct {
	o      AnalysisOptions // defaults applied
	header []string
	col    map[string]int
	metric Metric
	better func(a, b float64) bool
	heatX  string
	heatY  string
	sc     rowScan
	// loaded are the sweep's series by market, when it filled the scan:
	// the sensitivity and out-of-sample runs need not load them again.
	loaded map[backtest.Spec]*series
}

// NewScan starts a scan of rows with these columns, ranked by o.Metric
// (defaults applied: sharpe, the top 20, the best over the other
// parameters). It fails when the metric is not a column.
func NewScan(header []string, ex Expansion, o AnalysisOptions) (*Scan, error) {
	if _, err := ex.planned(); err != nil {
		return nil, err
	}
	if o.Metric == "" {
		o.Metric = DefaultMetric
	}
	if o.Top <= 0 {
		o.Top = 20
	}
	if o.Aggregate == "" {
		o.Aggregate = "best"
	}
	if o.FarWorse <= 0 || math.IsNaN(o.FarWorse) {
		o.FarWorse = DefaultFarWorse
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	mc, ok := col[o.Metric]
	metric, known := metricNamed(o.Metric)
	if !ok || !known {
		return nil, fmt.Errorf("no metric %q in the results: choose a column of results.csv, e.g. sharpe, apr, calmar", o.Metric)
	}
	better := func(a, b float64) bool { // a ranks before b
		if math.IsNaN(b) {
			return !math.IsNaN(a)
		}
		if metric.LowerIsBetter {
			return a < b
		}
		return a > b
	}
	heatX, heatY := heatAxes(ex, o)
	liq, ok := col["liquidated"]
	if !ok {
		liq = -1
	}
	metricOf := make([]float64, ex.Len())
	for i := range metricOf {
		metricOf[i] = math.NaN()
	}
	return &Scan{o: o, header: slices.Clone(header), col: col, metric: metric, better: better, heatX: heatX, heatY: heatY,
		sc: rowScan{metric: mc, sharpe: col[sharpeColumn(col)], daysCol: col["days"], liquidatedCol: liq, top: topRows{n: o.Top, better: better},
			bestSharpe: math.Inf(-1), metricOf: metricOf, liquidated: make([]uint64, (ex.Len()+63)/64)}}, nil
}

// Add takes the next row (kept only if among the top: rec may be reused
// after). The first row gives the window's length.
func (s *Scan) Add(rec []string) error {
	n := s.sc.rows + 1
	if n == 1 {
		d, err := cellFloat(rec[s.sc.daysCol])
		if err != nil {
			return fmt.Errorf("row 1, days: %w", err)
		}
		s.sc.days = d
	}
	if err := s.sc.add(rec); err != nil {
		return fmt.Errorf("row %d: %w", n, err)
	}
	return nil
}

// AnalyzeScan computes the ranking, the heatmap, the cost sensitivity and
// (when split) the out-of-sample check from a finished scan of dir's rows,
// and writes top.csv and analysis.json to dir.
func AnalyzeScan(ctx context.Context, dir string, lake *lake.Lake, ex Expansion, split *Split, scan *Scan) (*Analysis, error) {
	if scan.sc.rows == 0 {
		return nil, fmt.Errorf("%s has no results", dir)
	}
	o, header, col, metric, better := scan.o, scan.header, scan.col, scan.metric, scan.better
	heatX, heatY, sc := scan.heatX, scan.heatY, &scan.sc
	a := &Analysis{Metric: o.Metric, Tried: sc.rows, Header: header, Best: map[string]any{}, Dropped: ex.Reasons}
	a.TopRows = sc.top.rows
	_, kinds, err := columns()
	if err != nil {
		return nil, err
	}
	for i, h := range header {
		a.Best[h] = jsonCell(a.TopRows[0][i], kinds, i)
	}
	if err := atomicfile.Write(filepath.Join(dir, TopCSV), func(w io.Writer) error { return writeCSV(w, header, a.TopRows) }); err != nil {
		return nil, err
	}
	// Best Sharpe against what luck alone gives the best of N.
	if !math.IsInf(sc.bestSharpe, 0) {
		a.BestSharpe = &sc.bestSharpe
	}
	a.Years = sc.days / 365
	a.ShortWindow = sc.days < analytics.ShortWindowDays
	if luck := expectedMaxSharpe(sc.rows, a.Years); !math.IsNaN(luck) {
		a.LuckSharpe = &luck
	}
	a.view(ex, col)
	g, err := newLayout(ctx, ex.space)
	if err != nil {
		return nil, fmt.Errorf("placing the combinations on the grid: %w", err)
	}
	a.Liquidations = liquidations(g, sc)
	if err := a.heatmap(g, heatX, heatY, sc.metricOf, better, o); err != nil {
		return nil, err
	}
	a.Histogram = histogramOf(sc.metricOf, a.Metric)
	best, err := a.choose(ctx, ex, g, scan)
	if err != nil {
		return nil, err
	}
	if lake != nil {
		s, err := seriesFor(lake, split, best.Spec, scan.loaded)
		if err != nil {
			return nil, err
		}
		pickIn, err := a.rerunPick(s, best, metric)
		if err != nil {
			return nil, err
		}
		if err := a.sensitivity(s, best, metric); err != nil {
			return nil, err
		}
		if split != nil {
			if err := a.outOfSample(ctx, lake, ex, best, split, pickIn, scan); err != nil {
				return nil, err
			}
		}
		if o.WalkForward != nil {
			if a.WalkForward, err = walkForward(ctx, lake, ex, g, *o.WalkForward, scan); err != nil {
				return nil, err
			}
		}
	}
	return a, atomicfile.Write(filepath.Join(dir, AnalysisJSON), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(a)
	})
}

// expectedMaxSharpe is E[max of n annualized Sharpe ratios of strategies
// with no edge] over a window of `years`: each estimate ~ N(0, 1/√years),
// and E[max of n standard normals] ≈ (1−γ)Φ⁻¹(1−1/n) + γΦ⁻¹(1−1/(n·e))
// (Bailey and López de Prado, "The Deflated Sharpe Ratio", 2014).
func expectedMaxSharpe(n int, years float64) float64 {
	if n < 2 || years <= 0 {
		return math.NaN()
	}
	const gamma = 0.5772156649015329
	z := distuv.UnitNormal
	m := (1-gamma)*z.Quantile(1-1/float64(n)) + gamma*z.Quantile(1-1/(float64(n)*math.E))
	return m / math.Sqrt(years)
}

// view picks the report's columns: index, id, the varying parameters, what
// priced each leg, the ranking metric and the key figures.
func (a *Analysis) view(ex Expansion, col map[string]int) {
	names := []string{"combination_index", "id"}
	for f, p := range ParamNames {
		if len(ex.values(f)) > 1 {
			names = append(names, columnOf[p])
		}
	}
	for _, m := range []string{"futures_source", "spot_source", a.Metric, "sharpe_daily", "sharpe", "apr", "apy", "max_drawdown", "final_equity", "funding_income", "fees", "trades", "time_in_market", "liquidated"} {
		if !slices.Contains(names, m) {
			names = append(names, m)
		}
	}
	for _, n := range names {
		if _, ok := col[n]; ok {
			a.ViewHeader = append(a.ViewHeader, n)
		}
	}
	for _, r := range a.TopRows {
		row := make([]string, len(a.ViewHeader))
		for i, n := range a.ViewHeader {
			row[i] = r[col[n]]
		}
		a.ViewRows = append(a.ViewRows, row)
	}
}

// sensitivity re-runs the best combination with its fees and its slippage
// scaled by 0…3.
func (a *Analysis) sensitivity(s *series, best Combination, metric Metric) error {
	mults := []float64{0, 0.5, 1, 1.5, 2, 3}
	lines := map[string][]float64{"fees (spot and futures) × m": nil, "slippage × m": nil}
	equity := make([]float64, s.prepared.Len())
	for _, m := range mults {
		k := decimal.NewFromFloat(m)
		for name := range lines {
			p := best.Params
			if name == "slippage × m" {
				p.Slippage = p.Slippage.Mul(k)
			} else {
				p.SpotFee, p.PerpFee = p.SpotFee.Mul(k), p.PerpFee.Mul(k)
			}
			v := math.NaN()
			if p.Validate() == nil {
				row, err := evaluate(s, Combination{Params: p, RiskFree: best.RiskFree, Spec: best.Spec}, equity)
				if err == nil {
					v = metric.Of(&row.Summary)
				}
			}
			lines[name] = append(lines[name], v)
		}
	}
	a.Sensitivity = &Sensitivity{Metric: a.Metric, Best: best, Multipliers: mults, Lines: lines}
	return nil
}

// seriesFor is spec's series as the sweep loaded it (same lake, same
// split), or loaded from the lake when the sweep's are not at hand.
func seriesFor(lake *lake.Lake, split *Split, spec backtest.Spec, loaded map[backtest.Spec]*series) (*series, error) {
	if s := loaded[spec]; s != nil {
		return s, nil
	}
	return (&Job{Lake: lake, Split: split}).loadSeries(spec)
}

// outOfSample runs the pick and the top rows on the out-of-sample part.
func (a *Analysis) outOfSample(ctx context.Context, lake *lake.Lake, ex Expansion, pick Combination, split *Split, pickIn backtest.Summary, scan *Scan) error {
	metric := scan.metric
	prepared := map[backtest.Spec]*series{} // the out-of-sample parts, each prepared once
	oosOf := func(c Combination) (backtest.Summary, error) {
		oos := prepared[c.Spec]
		if oos == nil {
			s, err := seriesFor(lake, split, c.Spec, scan.loaded)
			if err != nil {
				return backtest.Summary{}, err
			}
			prep, err := strategy.Prepare(s.oos)
			if err != nil {
				return backtest.Summary{}, err
			}
			oos = &series{market: s.oos, prepared: prep, stats: backtest.MarketStatsOf(s.oos)}
			prepared[c.Spec] = oos
		}
		row, err := evaluate(oos, c, make([]float64, oos.prepared.Len()))
		return row.Summary, err
	}
	pickOut, err := oosOf(pick)
	if err != nil {
		return err
	}
	out := &OutOfSample{Split: split.String(), BestID: pick.ID, InSample: map[string]json.Number{}, OutOfSample: map[string]json.Number{}}
	keep := map[string]bool{"sharpe": true, "sharpe_daily": true, "sortino_daily": true, "volatility_daily": true, "apr": true, "apy": true, "total_return": true, "max_drawdown": true, "volatility": true,
		"sortino": true, "calmar": true, "funding_income": true, "final_equity": true, "time_in_market": true, "trades": true, a.Metric: true}
	for _, part := range []struct {
		sum *backtest.Summary
		to  map[string]json.Number
	}{{&pickIn, out.InSample}, {&pickOut, out.OutOfSample}} {
		names, _, vals, err := backtest.Columns(*part.sum)
		if err != nil {
			return err
		}
		for i, n := range names {
			if keep[n] && vals[i] != "" {
				part.to[n] = json.Number(vals[i])
			}
		}
	}
	inTop := false
	for r, ranked := range scan.sc.top.ranked {
		c, err := ex.At(ctx, ranked.index)
		if err != nil {
			return fmt.Errorf("building combination %d: %w", ranked.index, err)
		}
		sum, err := oosOf(c)
		if err != nil {
			return err
		}
		isPick := c.Index == pick.Index
		inTop = inTop || isPick
		out.Compared = append(out.Compared, Compared{Rank: r + 1, Index: c.Index, ID: c.ID, Pick: isPick,
			InSample: figuresOfRow(a.TopRows[r], scan.col, a.Metric), OutOfSample: figuresOf(&sum, metric)})
	}
	if !inTop {
		out.Compared = append([]Compared{{Index: pick.Index, ID: pick.ID, Pick: true, InSample: figuresOf(&pickIn, metric), OutOfSample: figuresOf(&pickOut, metric)}}, out.Compared...)
	}
	a.OutOfSample = out
	return nil
}

// sharpeColumn is the Sharpe ratio the analyses show (the best Sharpe
// against luck, the out-of-sample tables): the one of daily returns, or
// the per-period one in results written before carry had it.
func sharpeColumn(col map[string]int) string {
	if _, ok := col["sharpe_daily"]; ok {
		return "sharpe_daily"
	}
	return "sharpe"
}
