package report

import (
	"fmt"
	"html/template"
	"math"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// TearSheetView is a run's tear sheet as its report section shows it: the
// figures (backtest.TearSheetOf), its tables laid out, and its charts.
type TearSheetView struct {
	backtest.TearSheet
	Monthly   []monthlyRowView
	Yearly    []row
	Extremes  []row
	Drawdowns []drawdownView
	Risk      []row
	Benchmark []row
	Charts    []Chart
	Notes     []string
}

type cellView struct {
	Text  string
	Style template.CSS
}

type monthlyRowView struct {
	Year   int
	Months []cellView
	Total  cellView
}

type drawdownView struct {
	Rank                           int
	Depth, Start, Trough, Recovery string
	Days                           string
}

// TearSheetOf is the tear sheet of a section's run, with its charts.
func TearSheetOf(s *Section, label string, o ChartOptions) (*TearSheetView, error) {
	ts := backtest.TearSheetOf(s.Result, s.Summary.RiskFreeRate)
	v := &TearSheetView{TearSheet: ts}
	v.layout()
	charts, notes, err := tearSheetCharts(s.Result, ts, label, o)
	if err != nil {
		return nil, err
	}
	v.Charts, v.Notes = charts, notes
	return v, nil
}

// heat is a cell's background: green for gains, red for losses, its
// strength |v|/scale (white at zero) — the chart's colours, mixed to at
// most three quarters so that the table's black text stays readable.
func heat(v analytics.Value, scale float64) cellView {
	if !v.Valid {
		return cellView{Text: "—"}
	}
	f := 0.0
	if scale > 0 {
		f = math.Min(1, math.Abs(v.V)/scale)
	}
	r, g, b := 44, 160, 44
	if v.V < 0 {
		r, g, b = 214, 39, 40
	}
	mix := func(c int) int { return int(math.Round(255 + float64(c-255)*f*0.75)) }
	return cellView{Text: pct(v), Style: template.CSS(fmt.Sprintf("background-color: rgb(%d, %d, %d)", mix(r), mix(g), mix(b)))}
}

func (v *TearSheetView) layout() {
	t := v.TearSheet
	scale := 0.0
	for _, r := range t.MonthlyReturns {
		for _, m := range r.Months {
			if m.Valid {
				scale = math.Max(scale, math.Abs(m.V))
			}
		}
	}
	yearScale := 0.0
	for _, r := range t.MonthlyReturns {
		if r.YearReturn.Valid {
			yearScale = math.Max(yearScale, math.Abs(r.YearReturn.V))
		}
	}
	for _, r := range t.MonthlyReturns {
		mv := monthlyRowView{Year: r.Year, Total: heat(r.YearReturn, yearScale)}
		for _, m := range r.Months {
			mv.Months = append(mv.Months, heat(m, scale))
		}
		v.Monthly = append(v.Monthly, mv)
	}
	for _, y := range t.YearlyReturns {
		name := fmt.Sprint(y.Year)
		if y.Partial {
			name += " (part of the year)"
		}
		v.Yearly = append(v.Yearly, row{name, pct(y.Return)})
	}
	day := func(d *analytics.DayReturn) string {
		if d == nil {
			return "—"
		}
		return pct(d.Return) + " on " + d.Day
	}
	month := func(p *analytics.PeriodReturn) string {
		if p == nil {
			return "—"
		}
		s := pct(p.Return) + " in " + fmt.Sprintf("%d-%02d", p.Year, p.Month)
		if p.Partial {
			s += " (part of the month)"
		}
		return s
	}
	v.Extremes = []row{{"Best day", day(t.BestDay)}, {"Worst day", day(t.WorstDay)},
		{"Best month", month(t.BestMonth)}, {"Worst month", month(t.WorstMonth)}}
	for i, d := range t.WorstDrawdowns {
		start, trough := d.Start, d.Trough
		v.Drawdowns = append(v.Drawdowns, drawdownView{Rank: i + 1, Depth: pct(d.Depth), Start: day0(&start), Trough: day0(&trough),
			Recovery: recovered(d.Recovery), Days: fmt.Sprintf("%.1f", d.Days)})
	}
	num3 := func(x analytics.Value) string {
		if !x.Valid {
			return "—"
		}
		return fmt.Sprintf("%.3f", x.V)
	}
	v.Risk = []row{
		{"Daily returns (from the capital, 00:00 UTC)", fmt.Sprint(t.DailyReturns)},
		{"Probabilistic Sharpe ratio (P[daily Sharpe > 0])", pct(t.ProbabilisticSharpe)},
		{"Skewness of daily returns", num3(t.Skewness)},
		{"Excess kurtosis of daily returns", num3(t.ExcessKurtosis)},
		{"Daily VaR 95 % (historical)", pct4(t.VaR95)},
		{"Daily CVaR 95 % (mean of the worst 5 % of days)", pct4(t.CVaR95)},
		{"Omega ratio (threshold 0)", num(t.Omega)},
		{"Tail ratio (|95th| / |5th percentile|)", num(t.TailRatio)},
		{"Time under water (share of days)", pct(t.TimeUnderWater)},
		{"Longest time under water", num(t.LongestUnderWaterDays) + " days"},
		{"Ulcer index (RMS of daily drawdowns)", pct4(t.UlcerIndex)},
		{"Recovery factor (total return / |max daily drawdown|)", num(t.RecoveryFactor)},
		{"Funding hit rate (settlements received / all)", pct(t.FundingHitRate) + fmt.Sprintf(" of %d", t.FundingSettlements)},
	}
	b := t.Benchmark
	v.Benchmark = []row{
		{"Spot buy-and-hold, total return", pct(b.SpotTotalReturn)},
		{"Spot buy-and-hold, APR (simple, 365 days)", pct(b.SpotAPR)},
		{"Spot buy-and-hold, max drawdown", pct(b.SpotMaxDrawdown)},
		{fmt.Sprintf("Risk-free (%.2f%%/year), total return", b.RiskFreeRate*100), pct(b.RiskFreeTotalReturn)},
		{"Correlation of daily returns to spot's", num3(b.Correlation)},
		{"Beta of daily returns to spot's", num3(b.Beta)},
	}
}

func day0(t *time.Time) string {
	if t == nil {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func recovered(t *time.Time) string {
	if t == nil {
		return "not recovered"
	}
	return day0(t)
}

// floats are Values as plotted numbers, NaN where null.
func floats(vs []analytics.Value) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = math.NaN()
		if v.Valid {
			out[i] = v.V
		}
	}
	return out
}

// tearSheetCharts draws the tear sheet's charts: monthly returns, rolling
// Sharpe and volatility, underwater curve, benchmark, funding APR; notes
// say which could not be drawn and why.
func tearSheetCharts(r *strategy.Result, ts backtest.TearSheet, label string, o ChartOptions) ([]Chart, []string, error) {
	meta := metaOf(r, label)
	s := ts.Series
	format := formatOf(o)
	var out []Chart
	var notes []string
	add := func(name, caption string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("drawing the %s chart: %w", name, err)
		}
		out = append(out, Chart{Name: name, Caption: caption, Format: format, Data: b})
		return nil
	}
	if len(ts.MonthlyReturns) > 0 {
		d := chart.MonthlyReturnsData{}
		for _, row := range ts.MonthlyReturns {
			var ms [12]float64
			copy(ms[:], floats(row.Months[:]))
			d.Years, d.Months = append(d.Years, row.Year), append(d.Months, ms)
			d.Yearly = append(d.Yearly, floats([]analytics.Value{row.YearReturn})[0])
		}
		b, err := chart.MonthlyReturns(meta, d, o)
		if err := add("monthly_returns", "Monthly returns (rows years, columns months, last column the year), compounded from the daily equity from the capital; green gains, red losses, white zero, months on the colour bar's scale and the year column on its own (the largest |yearly return|); the first and last months may cover only part of the month.", b, err); err != nil {
			return nil, nil, err
		}
	}
	if len(s.DailyEquity) > backtest.RollingDays {
		b, err := chart.RollingRisk(meta, s.ReturnDays, floats(s.RollingSharpe), floats(s.RollingVol), backtest.RollingDays, o)
		if err := add("rolling_risk", fmt.Sprintf("Sharpe ratio and volatility of the last %d daily returns, annualized (365 a year), at each day's end.", backtest.RollingDays), b, err); err != nil {
			return nil, nil, err
		}
	} else {
		notes = append(notes, fmt.Sprintf("The rolling %d-day Sharpe and volatility need at least %d daily returns: the window has %d.", backtest.RollingDays, backtest.RollingDays, ts.DailyReturns))
	}
	if len(s.Days) >= 2 {
		b, err := chart.Underwater(meta, s.Days, s.DailyDrawdown, o)
		if err := add("underwater", "Drawdown of the daily equity (00:00 UTC, from the capital) from its running peak.", b, err); err != nil {
			return nil, nil, err
		}
	}
	b, err := chart.Benchmark(meta, chart.BenchmarkData{Times: s.Times, Equity: s.Equity, Spot: s.Spot, RiskFree: s.RiskFree,
		RiskFreeRate: ts.Benchmark.RiskFreeRate, Capital: s.Capital}, o)
	if err := add("benchmark", "The strategy's equity against the same capital in spot bought at the window's first spot price and held (no fees), and against the capital at the risk-free rate (simple).", b, err); err != nil {
		return nil, nil, err
	}
	if len(s.FundingTimes) > 0 {
		b, err := chart.FundingAPR(meta, chart.FundingAPRData{Times: s.FundingTimes, Annualized: s.FundingAnnualized,
			APR7: floats(s.FundingAPR7), APR30: floats(s.FundingAPR30)}, o)
		if err := add("funding_apr", "Rolling 7- and 30-day funding APR (the window's per-event rates summed × 365/window days) at each event, beside each event's rate annualized by its own interval; a rolling line starts once its window is inside the data.", b, err); err != nil {
			return nil, nil, err
		}
	}
	return out, notes, nil
}
