package report

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/book"
)

//go:embed portfolio.html.tmpl
//go:embed style.html.tmpl
var portfolioTemplates embed.FS

// PortfolioPage is a book's report.
type PortfolioPage struct {
	Title     string
	Label     string // e.g. "simulated market"; shown prominently when set
	Generated time.Time
	Outcome   *book.Outcome
	// Notices are warnings about the parameters (slips of units).
	Notices []string
}

// portfolioView is what portfolio.html.tmpl shows.
type portfolioView struct {
	PortfolioPage
	Warnings, Skipped []string
	Charts            map[string]Chart
	Params, Summary   []row
	Holdings          []row
	Benchmarks        []benchmarkRow
	Pairs             []book.Contribution
	Files             string
}

type benchmarkRow struct {
	Name                                               string
	FinalEquity, TotalReturn, APR, Sharpe, MaxDD, Corr string
}

// WritePortfolio draws a book's charts (PortfolioCharts) into dir beside
// its files (book.WriteRun) and writes dir/report.html.
func WritePortfolio(dir string, page PortfolioPage, opts ChartOptions) error {
	o := page.Outcome
	charts, err := PortfolioCharts(o, page.Label, opts)
	if err != nil {
		return err
	}
	if err := writeCharts(dir, charts); err != nil {
		return err
	}
	v := portfolioView{PortfolioPage: page, Charts: map[string]Chart{}, Params: portfolioParamRows(o.Summary), Summary: portfolioSummaryRows(o.Summary),
		Holdings: holdingRows(o.Summary), Benchmarks: benchmarkRows(o.Summary), Pairs: o.Pairs, Files: strings.Join(book.Files, ", ")}
	if o.LoadedUniverse != nil {
		v.Warnings, v.Skipped = o.Warnings, o.Skipped
	}
	for _, c := range charts {
		v.Charts[c.Name] = c
	}
	var buf bytes.Buffer
	if err := writePortfolioHTML(&buf, v); err != nil {
		return fmt.Errorf("rendering the portfolio report: %w", err)
	}
	return atomicfile.Write(filepath.Join(dir, ReportHTML), func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err })
}

func writePortfolioHTML(w io.Writer, v portfolioView) error {
	t, err := template.New("portfolio.html.tmpl").Funcs(template.FuncMap{
		"dataURI": dataURI, "pct": pct, "num": num, "usd": func(n fmt.Stringer) string { return money(n.String()) },
		"ts": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
		"shortWindow": func(s book.Summary) string {
			if !s.ShortWindow {
				return ""
			}
			return fmt.Sprintf("Short window: %.1f days, under %d. Every annualized figure (†) extrapolates a year from it and can mislead.", s.Days, s.ShortWindowBelowDays)
		},
	}).ParseFS(portfolioTemplates, "portfolio.html.tmpl", "style.html.tmpl")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return err
	}
	_, err = w.Write(withTOC(buf.Bytes()))
	return err
}

// portfolioParamRows are the book's parameters and window; the pair's
// parameters as strategy.ParamTable reports them.
func portfolioParamRows(s book.Summary) []row {
	selection := fmt.Sprintf("top %d, no threshold", s.Top)
	if s.MinSignal != nil {
		selection = fmt.Sprintf("top %d with a signal of at least %.2f%%/year", s.Top, *s.MinSignal*100)
	}
	signal := "funding: mean annualized rate of the last " + count(s.Lookback, "event")
	if s.Signal == "basis" {
		signal = "basis: annualized (F − S)/S at the rebalance"
	}
	weights := s.Weights
	if s.Weights == "inverse-vol" {
		weights += fmt.Sprintf(" (volatility over %s)", hours(s.VolWindowHours))
	}
	rows := []row{
		{"Universe", s.Universe + fmt.Sprintf(" (%s, %d delisted)", count(s.Members, "pair"), s.Delisted)},
		{"Data window", s.From + " → " + s.To + fmt.Sprintf(" (%d grid points, %.1f days)", s.GridPoints, s.Days)},
		{"Grid", fmt.Sprintf("%s, the union of the pairs' grids; %s calendar, %.0f periods per year", s.Period, s.Calendar, s.PeriodsPerYear)},
		{"Signal", signal},
		{"Selection", selection},
		{"Weights", fmt.Sprintf("%s, capped at %.2f%% a pair", weights, s.Cap*100)},
		{"Rebalance", fmt.Sprintf("%s, no-trade band %.2f%%", s.Rebalance, s.Band*100)},
		{"Filters", fmt.Sprintf("history at least %s; quote volume over 24 h at least %.0f USDT", hours(s.MinHistoryHours), s.MinQuoteVolume)},
	}
	cols := map[string]string{"capital": string(s.Capital), "leverage": string(s.Leverage), "spot_fee": string(s.SpotFee), "perp_fee": string(s.PerpFee),
		"slippage": string(s.Slippage), "maintenance_margin": string(s.Maintenance), "risk_free_rate": fmt.Sprint(s.RiskFreeRate)}
	for _, p := range strategy.ParamTable() {
		v, ok := cols[p.Column]
		if !ok || p.Report == "" {
			continue
		}
		if p.ReportAs != "" {
			v = fmt.Sprintf(p.ReportAs, v)
		}
		if last := &rows[len(rows)-1]; last.Name == p.Report {
			last.Value += ", " + v
			continue
		}
		rows = append(rows, row{p.Report, v})
	}
	return append(rows, row{"Capital", money(string(s.Capital)) + " USDT"})
}

func hours(h float64) string {
	if h == 0 {
		return "0"
	}
	if h >= 24 && h == float64(int(h/24))*24 {
		return fmt.Sprintf("%dd", int(h/24))
	}
	return fmt.Sprintf("%gh", h)
}

// portfolioSummaryRows are the book's statistics as the run report shows a
// pair's (summaryRows), then the book's own.
func portfolioSummaryRows(s book.Summary) []row {
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
		{"Max drawdown (from the capital)", pct(s.MaxDrawdown) + " (" + when(s.DrawdownPeak) + " to " + when(s.DrawdownLow) + ", recovered " + when(s.DrawdownRec) + ")"},
		{"Max drawdown duration", num(s.DrawdownDays) + " days"},
		{"Funding income", money(string(s.FundingIncome)) + " USDT"},
		{"Basis P&L (slippage inside)", money(string(s.BasisPnL)) + " USDT"},
		{"Fees", money(string(s.Fees)) + " USDT"},
		{"Slippage cost (for information)", money(string(s.SlippageCost)) + " USDT"},
		{"Liquidation forfeit", money(string(s.Forfeit)) + " USDT"},
		{"Traded notional (both legs)", money(string(s.Traded)) + " USDT"},
		{"Turnover (traded / mean equity): window · per year", num(s.Turnover) + " · " + ann(num(s.TurnoverAnnualized))},
		{"Funding APR of the book (funding / mean equity)", ann(pct(s.BookFundingAPR))},
		{"Median funding APR of the universe's pairs", pct(s.UniverseFundingAPR)},
		{"Funding settlements (share positive)", fmt.Sprintf("%d (%s)", s.FundingSettlements, pct(s.SharePositive))},
		{"Rebalances", fmt.Sprint(s.Rebalances)},
		{"Entries · fills", fmt.Sprintf("%d · %d", s.Entries, s.Fills)},
		{"Liquidations", fmt.Sprint(s.Liquidations)},
		{"Pairs closed at their delisting", fmt.Sprint(s.Delistings)},
	}
}

// holdingRows are how many pairs the book held and how concentrated.
func holdingRows(s book.Summary) []row {
	return []row{
		{"Average pairs held (over the grid's intervals)", num(s.AverageHoldings)},
		{"Most pairs held at once", fmt.Sprint(s.MaxHoldings)},
		{"Time with at least one pair held", pct(s.TimeInMarket)},
		{"Concentration: mean Herfindahl index Σ(w/Σw)² of the held weights", num3(s.Concentration)},
		{"Effective number of pairs (1 / concentration)", num(s.EffectiveHoldings)},
		{"Largest weight of one pair (of the book's equity)", pct(s.MaxWeight)},
	}
}

func num3(v analytics.Value) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.3f", v.V)
}

// benchmarkRows set the book beside BTC carry and BTC spot held.
func benchmarkRows(s book.Summary) []benchmarkRow {
	rows := []benchmarkRow{{Name: "Book", FinalEquity: money(string(s.FinalEquity)), TotalReturn: pct(s.TotalReturn), APR: pct(s.APR), Sharpe: num(s.SharpeDaily), MaxDD: pct(s.MaxDrawdown), Corr: "1"}}
	if !s.BTCCarry.Available {
		return rows
	}
	c, sp := s.BTCCarry, s.BTCSpot
	return append(rows,
		benchmarkRow{Name: "BTCUSDT carry (always in)", FinalEquity: money(string(c.FinalEquity)), TotalReturn: pct(c.TotalReturn), APR: pct(c.APR), Sharpe: num(c.SharpeDaily), MaxDD: pct(c.MaxDrawdown), Corr: num(c.Correlation)},
		benchmarkRow{Name: "BTC spot held", FinalEquity: moneyOr(string(sp.FinalEquity)), TotalReturn: pct(sp.TotalReturn), APR: pct(sp.APR), Sharpe: num(sp.SharpeDaily), MaxDD: pct(sp.MaxDrawdown), Corr: num(sp.Correlation)})
}

// moneyOr is money, or "—" for an empty figure.
func moneyOr(s string) string {
	if s == "" {
		return "—"
	}
	return money(s)
}

// count is n nouns, singular for one: "1 pair", "3 pairs".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
