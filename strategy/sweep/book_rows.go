package sweep

import (
	"slices"
	"strconv"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// bookRunner runs combinations that share one plan: the plan made and
// prepared once, an equity buffer reused.
type bookRunner struct {
	plan     *portfolio.Plan
	prepared *portfolio.Prepared
	equity   []float64
}

func newBookRunner(u *portfolio.Universe, p portfolio.Params) (*bookRunner, error) {
	plan, err := portfolio.NewPlan(u, p)
	if err != nil {
		return nil, err
	}
	return &bookRunner{plan: plan, prepared: portfolio.Prepare(plan), equity: make([]float64, len(plan.Times))}, nil
}

// bookFigures are one portfolio run's results: the kernel's totals and
// the statistics of its equity.
type bookFigures struct {
	kt   portfolio.KernelTotals
	perf analytics.Performance
	// turnover is traded notional / mean equity; its annualized form
	// analytics.Turnover's (summary.json's turnover and
	// turnover_annualized).
	turnover, turnoverAnnual analytics.Value
	avgHoldings              analytics.Value
	concentration            analytics.Value
	err                      error // the statistics could not be computed (the row has the money only)
}

// run plays c's money on the shared plan with portfolio.Kernel and
// computes the statistics of its equity with analytics.PerformanceOf,
// as carry portfolio's summary does (strategy/book).
func (br *bookRunner) run(c BookCombination) bookFigures {
	kp := portfolio.KernelParamsOf(c.Params)
	var f bookFigures
	f.kt = portfolio.Kernel(br.prepared, kp, br.equity, nil)
	f.perf, f.err = bookPerformance(br.plan, br.equity, kp.Capital, c.RiskFree)
	f.fillBook(br.equity, len(br.plan.Times))
	return f
}

// bookPerformance is the book's statistics from its equity, on its
// members' period.
func bookPerformance(plan *portfolio.Plan, equity []float64, capital, riskFree float64) (analytics.Performance, error) {
	period := plan.Universe.Members[0].Market.Period.Duration()
	return analytics.PerformanceOf(plan.Times, equity, capital, analytics.PeriodsPerYear(period), riskFree)
}

// fillBook computes turnover, holdings and concentration from the totals
// and the equity (of n points): the holdings over the n−1 intervals
// (every pair is closed at the last point), the concentration as the
// kernel's mean Herfindahl index of the held pairs' weights, as
// summary.json's concentration_hhi.
func (f *bookFigures) fillBook(equity []float64, n int) {
	mean := 0.0
	for _, e := range equity[:n] {
		mean += e / float64(n)
	}
	if mean > 0 {
		f.turnover = analytics.Of(f.kt.Traded / mean)
	}
	f.turnoverAnnual = analytics.Turnover(f.kt.Traded, equity[:n], f.perf.Days)
	if n > 1 {
		f.avgHoldings = analytics.Of(float64(f.kt.HoldingsSum) / float64(n-1))
	}
	if f.kt.ConcentrationPoints > 0 {
		f.concentration = analytics.Of(f.kt.ConcentrationSum / float64(f.kt.ConcentrationPoints))
	}
}

// bookColumn is one results column of a portfolio sweep.
type bookColumn struct {
	name string
	kind data.ColumnKind
	// lowerIsBetter, for a numeric column that can rank.
	lowerIsBetter bool
}

// bookMetaColumns come first: where and on what the book ran.
var bookMetaColumns = []bookColumn{
	{"combination_index", data.Int, false}, {"id", data.String, false}, {"universe", data.String, false}, {"members", data.Int, false},
	{"period", data.String, false}, {"futures_source", data.String, false}, {"spot_source", data.String, false},
	{"from", data.String, false}, {"to", data.String, false}, {"grid_points", data.Int, false}, {"days", data.Float, false},
}

// bookResultColumns follow the parameters: the single-pair statistics
// that apply and the book's own, named as summary.json names them.
var bookResultColumns = []bookColumn{
	{"final_equity", data.Float, false}, {"total_return", data.Float, false}, {"apr", data.Float, false}, {"apy", data.Float, false},
	{"volatility", data.Float, true}, {"sharpe", data.Float, false}, {"sortino", data.Float, false}, {"calmar", data.Float, false},
	{"max_drawdown", data.Float, false}, {"max_drawdown_duration_days", data.Float, true},
	{"volatility_daily", data.Float, true}, {"sharpe_daily", data.Float, false}, {"sortino_daily", data.Float, false},
	{"funding_income", data.Float, false}, {"basis_pnl", data.Float, false}, {"fees", data.Float, true},
	{"slippage_cost", data.Float, true}, {"liquidation_forfeit", data.Float, true}, {"traded_notional", data.Float, true},
	{"turnover", data.Float, true}, {"turnover_annualized", data.Float, true}, {"average_holdings", data.Float, false},
	{"concentration_hhi", data.Float, true}, {"rebalances", data.Int, false}, {"entries", data.Int, true}, {"fills", data.Int, true},
	{"liquidations", data.Int, true}, {"delistings", data.Int, false}, {"liquidated", data.Bool, false},
}

// bookParamColumns are the parameters' columns, from the tables: the
// book's (portfolio.BookParamTable), then the pair's it uses
// (strategy.ParamTable).
func bookParamColumns() []bookColumn {
	var out []bookColumn
	for _, b := range portfolio.BookParamTable() {
		kind := data.Float
		if b.Text {
			kind = data.String
		}
		out = append(out, bookColumn{name: b.Column, kind: kind})
	}
	for _, p := range strategy.ParamTable() {
		if slices.Contains(portfolio.BookPairParams(), p.Name) {
			out = append(out, bookColumn{name: p.Column, kind: data.Float})
		}
	}
	return out
}

// allBookColumns are a portfolio sweep's results columns in order.
func allBookColumns() []bookColumn {
	return slices.Concat(bookMetaColumns, bookParamColumns(), bookResultColumns)
}

// bookColumns are the results files' header and column types.
func bookColumns() ([]string, []data.ColumnKind) {
	var names []string
	var kinds []data.ColumnKind
	for _, c := range allBookColumns() {
		names, kinds = append(names, c.name), append(kinds, c.kind)
	}
	return names, kinds
}

// bookColumnOf maps a book grid field to its results column.
func bookColumnOf(field string) string {
	switch field {
	case "periods":
		return "period"
	case "prices", "spot":
		return sourceColumns[field]
	}
	for _, b := range portfolio.BookParamTable() {
		if b.Name == field {
			return b.Column
		}
	}
	for _, p := range strategy.ParamTable() {
		if p.Name == field {
			return p.Column
		}
	}
	return field
}

// bookRecord is c's results row.
func bookRecord(ex *BookExpansion, c BookCombination, plan *portfolio.Plan, f bookFigures) []string {
	num := func(v float64) string { return string(appendJSONFloat(nil, v)) }
	val := func(v analytics.Value) string {
		if !v.Valid {
			return ""
		}
		return num(v.V)
	}
	times := plan.Times
	rec := []string{strconv.Itoa(c.Index), c.ID, ex.grid.universeName(), strconv.Itoa(len(plan.Universe.Members)),
		string(c.Market.Period), string(c.Market.Prices), string(c.Market.Spot),
		times[0].UTC().Format(time.RFC3339), times[len(times)-1].UTC().Format(time.RFC3339), strconv.Itoa(len(times)), num(f.perf.Days)}
	for _, b := range portfolio.BookParamTable() {
		rec = append(rec, b.Cell(c.Params))
	}
	st := strategy.Settings{Params: c.Params.Pair, RiskFree: c.RiskFree}
	for _, p := range strategy.ParamTable() {
		if slices.Contains(portfolio.BookPairParams(), p.Name) {
			rec = append(rec, p.Format(st))
		}
	}
	kt, perf := f.kt, f.perf
	rec = append(rec, num(kt.FinalEquity), val(perf.TotalReturn), val(perf.APR), val(perf.APY),
		val(perf.Volatility), val(perf.Sharpe), val(perf.Sortino), val(perf.Calmar),
		val(perf.Drawdown.Max), val(perf.Drawdown.DurationDays),
		val(perf.VolatilityDaily), val(perf.SharpeDaily), val(perf.SortinoDaily),
		num(kt.Funding), num(kt.BasisPnL), num(kt.Fees), num(kt.SlippageCost), num(kt.Forfeit), num(kt.Traded),
		val(f.turnover), val(f.turnoverAnnual), val(f.avgHoldings), val(f.concentration),
		strconv.Itoa(len(plan.Decisions)), strconv.Itoa(kt.Entries), strconv.Itoa(kt.Fills),
		strconv.Itoa(kt.Liquidations), strconv.Itoa(kt.Delistings), strconv.FormatBool(kt.Liquidations > 0))
	return rec
}
