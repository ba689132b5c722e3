package report

import (
	"bytes"
	"embed"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

//go:embed report.html.tmpl
//go:embed tearsheet.html.tmpl
//go:embed style.html.tmpl
var templates embed.FS

// Section is one backtest in a report: its outcome and name (the name of
// its directory and its line in comparisons; default the symbol).
type Section struct {
	backtest.Named
	Title string // heading; default "SYMBOL CONTRACT period"
	// Charts are the backtest's charts, drawn by WriteBacktest.
	Charts []Chart
	// Files is where the run's CSV and JSON files are, relative to the
	// report; set by WriteBacktest.
	Files string
	// TearSheet is the run's tear sheet with its charts; set by WriteBacktest.
	TearSheet *TearSheetView
	// Notices are warnings about the run's parameters (a threshold almost
	// surely a slip of units), shown beside the data's warnings.
	Notices []string
}

// Page is a whole report.
type Page struct {
	Title     string
	Label     string // e.g. "simulated market"; shown prominently when set
	Generated time.Time
	Sections  []Section
	// Ranking, with several sections: the ranked-yield chart.
	Ranking *Chart
	// Extra charts and tables (e.g. a sweep's).
	Extra []Chart
	// SweepHTML is a sweep's brief (SweepBrief), shown above Extra.
	SweepHTML template.HTML
	// PortfolioHTML is a portfolio's brief (PortfolioBrief), a section
	// of its own before the sweep's.
	PortfolioHTML template.HTML
}

type row struct{ Name, Value string }

func money(d string) string {
	v, err := decimal.NewFromString(d)
	if err != nil {
		return d
	}
	return v.StringFixed(2)
}

func pct(v analytics.Value) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", v.V*100)
}

func num(v analytics.Value) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.2f", v.V)
}

func when(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// summaryRows is the summary table of a section. Volatility, Sharpe and
// Sortino show the daily-returns figure first (the headline), then the
// per-grid-period one, each named by its frequency; in a short window
// (summary short_window) every annualized figure is marked † (see
// shortWindowNote).
func summaryRows(s backtest.Summary) []row {
	liq := "no"
	if s.Liquidated {
		liq = "yes, at " + when(s.LiquidatedAt)
	}
	ann := func(v string) string {
		if s.ShortWindow && v != "—" {
			return v + " †"
		}
		return v
	}
	both := func(daily, period string) string { return ann(daily) + " · " + ann(period) }
	freq := ": daily returns · per " + s.Period + " period"
	return []row{
		{"Capital", money(string(s.Capital)) + " USDT"},
		{"Final equity", money(string(s.FinalEquity)) + " USDT"},
		{"Total return", pct(s.TotalReturn)},
		{"APR (simple, 365 days)", ann(pct(s.APR))},
		{"APY (compounded, 365 days)", ann(pct(s.APY))},
		{"Volatility (annualized)" + freq, both(pct(s.VolatilityDaily), pct(s.Volatility))},
		{"Sharpe (rf " + fmt.Sprintf("%.2f%%", s.RiskFreeRate*100) + ")" + freq, both(num(s.SharpeDaily), num(s.Sharpe))},
		{"Sortino" + freq, both(num(s.SortinoDaily), num(s.Sortino))},
		{"Calmar", ann(num(s.Calmar))},
		{"Max drawdown (from the capital)", pct(s.MaxDrawdown)},
		{"Max drawdown duration", num(s.DrawdownDays) + " days"},
		{"Funding income", money(string(s.FundingIncome)) + " USDT"},
		{"Basis P&L (slippage inside)", money(string(s.BasisPnL)) + " USDT"},
		{"Fees", money(string(s.Fees)) + " USDT"},
		{"Slippage cost (for information)", money(string(s.SlippageCost)) + " USDT"},
		{"Liquidation forfeit", money(string(s.Forfeit)) + " USDT"},
		{"Funding events received", fmt.Sprint(s.EventsReceived)},
		{"Share of positive events", pct(s.SharePositive)},
		{"Events without mark price", fmt.Sprint(s.MissingMark)},
		{"Events priced by the mark candle at τ (window)", fmt.Sprint(s.MarkFromCandle)},
		{"Time in market", pct(s.TimeInMarket)},
		{"Turnover (traded notional / mean equity, per year)", ann(num(s.Turnover))},
		{"Trades (positions opened)", fmt.Sprint(s.Trades)},
		{"Worst margin ratio", pct(s.WorstMargin) + " at " + when(s.WorstMarginAt)},
		{"Liquidated", liq},
	}
}

// shortWindowNote is the caution shown by a short window's figures, ""
// when the window is not short.
func shortWindowNote(s backtest.Summary) string {
	if !s.ShortWindow {
		return ""
	}
	return fmt.Sprintf("Short window: %.1f days, under %d. Every annualized figure (†: APR, APY, volatility, Sharpe, Sortino, Calmar, turnover) extrapolates a year from it and can mislead.",
		s.Days, s.ShortWindowBelowDays)
}

// shortWindowsNote is the comparison table's note on the runs marked †,
// "" when no window is short.
func shortWindowsNote(sections []Section) string {
	for _, s := range sections {
		if s.Summary.ShortWindow {
			return fmt.Sprintf("† A window under %d days: its annualized figures extrapolate a year from it (see its section).", s.Summary.ShortWindowBelowDays)
		}
	}
	return ""
}

func paramRows(s backtest.Summary) []row {
	opt := func(p *float64) string {
		if p == nil {
			return "off"
		}
		return fmt.Sprintf("%.2f%%/year", *p*100)
	}
	rules := "always in"
	if s.Rules.FundingEnter != nil || s.Rules.BasisEnter != nil || s.Rules.MaxHoldHours != nil {
		var parts []string
		if s.Rules.FundingEnter != nil {
			parts = append(parts, fmt.Sprintf("funding: enter ≥ %s, exit ≤ %s over the last %d events", opt(s.Rules.FundingEnter), opt(s.Rules.FundingExit), s.Rules.FundingLookback))
		}
		if s.Rules.BasisEnter != nil {
			parts = append(parts, fmt.Sprintf("basis: enter ≥ %s, exit ≤ %s", opt(s.Rules.BasisEnter), opt(s.Rules.BasisExit)))
		}
		if s.Rules.MaxHoldHours != nil {
			parts = append(parts, fmt.Sprintf("max hold %.0f h", *s.Rules.MaxHoldHours))
		}
		rules = strings.Join(parts, "; ")
	}
	rows := []row{
		{"Market", s.Symbol + " " + s.Contract + " " + s.Period},
		{"Prices", "futures leg: " + s.FuturesSource + "; spot leg: " + s.SpotSource},
		{"Data window", s.From + " → " + s.To + fmt.Sprintf(" (%d grid points, %.1f days)", s.GridPoints, s.Days)},
		{"Calendar", fmt.Sprintf("%s, %.0f periods per year", s.Calendar, s.PeriodsPerYear)},
	}
	// The engine's parameters with a row of their own (strategy.ParamTable's
	// Report), in the table's order, each as its summary column holds it;
	// parameters sharing a row are joined.
	cols, _, vals, _ := backtest.Columns(s)
	valueOf := make(map[string]string, len(cols))
	for i, c := range cols {
		valueOf[c] = vals[i]
	}
	for _, p := range strategy.ParamTable() {
		if p.Report == "" {
			continue
		}
		v := valueOf[p.Column]
		if p.ReportAs != "" {
			v = fmt.Sprintf(p.ReportAs, v)
		}
		if last := &rows[len(rows)-1]; last.Name == p.Report {
			last.Value += ", " + v
			continue
		}
		rows = append(rows, row{p.Report, v})
	}
	return append(rows, row{"Rules", rules})
}

// marketRows are the window's funding and basis statistics.
func marketRows(s backtest.Summary) []row {
	f, b := s.FundingStats, s.BasisStats
	dist := func(d analytics.Distribution) string {
		return fmt.Sprintf("mean %s, median %s, 5%%–95%% %s to %s, std %s (n = %d)", pct(d.Mean), pct(d.Median), pct(d.P05), pct(d.P95), pct(d.Std), d.Count)
	}
	rows := []row{
		{"Funding, annualized by each event's interval", dist(f.Annualized)},
		{"Funding rate per event", fmt.Sprintf("mean %s, median %s, 5%%–95%% %s to %s", pct4(f.Rates.Mean), pct4(f.Rates.Median), pct4(f.Rates.P05), pct4(f.Rates.P95))},
		{"Share of positive events", pct(f.SharePositive)},
	}
	for _, iv := range f.ByInterval {
		rows = append(rows, row{fmt.Sprintf("Events every %dh", iv.Hours), fmt.Sprintf("%d events, annualized mean %s", iv.Events, pct(iv.AnnualizedMean))})
	}
	return append(rows, row{"Annualized basis", dist(b)})
}

func pct4(v analytics.Value) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.4f%%", v.V*100)
}

// largestPayments are the n funding settlements largest in size.
func largestPayments(r *strategy.Result, n int) []strategy.Settlement {
	out := slices.Clone(r.Settlements)
	slices.SortFunc(out, func(a, b strategy.Settlement) int { return b.Payment.Abs().Cmp(a.Payment.Abs()) })
	if len(out) > n {
		out = out[:n]
	}
	return out
}

func dataURI(c Chart) template.URL {
	mime := "image/png"
	if c.Format == "svg" {
		mime = "image/svg+xml"
	}
	return template.URL("data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(c.Data))
}

// WriteHTML writes the report as one self-contained HTML file: charts
// embedded, no network.
func WriteHTML(w io.Writer, p Page) error {
	t, err := template.New("report.html.tmpl").Funcs(template.FuncMap{
		"summaryRows": summaryRows, "shortWindowNote": shortWindowNote, "shortWindowsNote": shortWindowsNote, "paramRows": paramRows, "marketRows": marketRows, "largest": largestPayments, "dataURI": dataURI,
		"money": func(d decimal.Decimal) string { return d.StringFixed(4) },
		"rate":  func(d decimal.Decimal) string { return d.Mul(decimal.NewFromInt(100)).StringFixed(4) + "%" },
		"when":  when, "pct": pct, "num": num,
		"usd": func(n json.Number) string { return money(string(n)) },
		"ts":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	}).ParseFS(templates, "report.html.tmpl", "tearsheet.html.tmpl", "style.html.tmpl")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, p); err != nil {
		return err
	}
	_, err = w.Write(withTOC(buf.Bytes()))
	return err
}
