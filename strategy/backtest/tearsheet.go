package backtest

import (
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// TearSheet is a run's tear sheet, summary.json's "tear_sheet": its
// calendar returns, extremes, drawdown spells, tail and risk figures,
// funding hit rate and a benchmark, every daily figure on the equity at
// 00:00 UTC from the capital (analytics.DailyEquity), 365 days a year.
// docs/model.md "Tear sheet" gives each formula.
type TearSheet struct {
	// Frequency says what the daily figures are computed on.
	Frequency string `json:"frequency"`
	// DailyReturns is how many daily returns there are (partial first and
	// last days included).
	DailyReturns int `json:"daily_returns"`

	MonthlyReturns []analytics.MonthlyRow   `json:"monthly_returns"`
	YearlyReturns  []analytics.PeriodReturn `json:"yearly_returns"`
	// The best and worst day and calendar month (null without one).
	BestDay    *analytics.DayReturn    `json:"best_day"`
	WorstDay   *analytics.DayReturn    `json:"worst_day"`
	BestMonth  *analytics.PeriodReturn `json:"best_month"`
	WorstMonth *analytics.PeriodReturn `json:"worst_month"`

	// WorstDrawdowns are the five deepest spells under water of the daily
	// equity, deepest first.
	WorstDrawdowns        []analytics.DrawdownPeriod `json:"worst_drawdowns"`
	TimeUnderWater        analytics.Value            `json:"time_under_water"`
	LongestUnderWaterDays analytics.Value            `json:"longest_under_water_days"`
	UlcerIndex            analytics.Value            `json:"ulcer_index"`
	RecoveryFactor        analytics.Value            `json:"recovery_factor"`

	Skewness       analytics.Value `json:"skewness"`
	ExcessKurtosis analytics.Value `json:"excess_kurtosis"`
	VaR95          analytics.Value `json:"var_95"`
	CVaR95         analytics.Value `json:"cvar_95"`
	Omega          analytics.Value `json:"omega"`
	TailRatio      analytics.Value `json:"tail_ratio"`
	// ProbabilisticSharpe is the probability that the daily Sharpe ratio
	// exceeds 0 (analytics.ProbabilisticSharpe on the daily returns).
	ProbabilisticSharpe analytics.Value `json:"probabilistic_sharpe"`

	// FundingSettlements and FundingHitRate: the position's settlements and
	// the share it received funding on (payment > 0).
	FundingSettlements int             `json:"funding_settlements"`
	FundingHitRate     analytics.Value `json:"funding_hit_rate"`

	Benchmark Benchmark `json:"benchmark"`

	// Series are what the tear sheet's charts draw (not in summary.json).
	Series TearSheetSeries `json:"-"`
}

// Benchmark sets the run against spot bought with the same capital at the
// window's first spot price and held, and against the risk-free rate.
type Benchmark struct {
	SpotTotalReturn analytics.Value `json:"spot_total_return"`
	SpotAPR         analytics.Value `json:"spot_apr"`
	SpotMaxDrawdown analytics.Value `json:"spot_max_drawdown"`
	// RiskFreeRate is the annual rate; RiskFreeTotalReturn what it earns,
	// simple, over the window's days.
	RiskFreeRate        float64         `json:"risk_free_rate"`
	RiskFreeTotalReturn analytics.Value `json:"risk_free_total_return"`
	// Correlation and Beta are of the run's daily returns to spot's.
	Correlation analytics.Value `json:"correlation"`
	Beta        analytics.Value `json:"beta"`
}

// TearSheetSeries are a run's series for the tear sheet's charts.
type TearSheetSeries struct {
	// Grid: the run's equity after each grid point, spot bought and held
	// with the capital, and the capital at the risk-free rate.
	Times                     []time.Time
	Equity, Spot, RiskFree    []float64
	Capital                   float64
	Days                      []time.Time // DailyEquity's times
	DailyEquity               []float64
	DailyDrawdown             []float64         // of DailyEquity, from its running peak
	ReturnDays                []time.Time       // the end of each daily return
	RollingSharpe, RollingVol []analytics.Value // 30-day, per daily return
	Months                    []analytics.PeriodReturn
	// The window's funding events (perpetuals): times, rates, each
	// annualized by its interval, and the rolling 7- and 30-day APR.
	FundingTimes              []time.Time
	FundingRates              []float64
	FundingAnnualized         []float64
	FundingAPR7, FundingAPR30 []analytics.Value
}

// The tear sheet's windows and levels.
const (
	RollingDays    = 30   // rolling Sharpe and volatility, in daily returns
	WorstDrawdownN = 5    // drawdown spells listed
	TailLevel      = 0.95 // VaR and CVaR confidence
)

// TearSheetOf computes a run's tear sheet; riskFree is the annual rate.
func TearSheetOf(r *strategy.Result, riskFree float64) TearSheet {
	m := r.Market
	capital := r.Params.Capital.InexactFloat64()
	n := len(r.Equity)
	s := TearSheetSeries{Times: make([]time.Time, n), Equity: make([]float64, n), Capital: capital}
	for i, row := range r.Equity {
		s.Times[i], s.Equity[i] = row.Time, row.Equity.InexactFloat64()
	}
	spot := m.Spot
	if len(spot) != n {
		spot = nil
	}
	s.Spot = analytics.BuyAndHold(spot, capital)
	s.RiskFree = analytics.RiskFreeLine(s.Times, capital, riskFree)
	s.Days, s.DailyEquity = analytics.DailyEquity(s.Times, s.Equity, capital)
	s.DailyDrawdown = analytics.Drawdowns(s.DailyEquity)
	daily := analytics.Returns(s.DailyEquity)
	if len(s.Days) > 1 {
		s.ReturnDays = s.Days[1:]
	}
	s.RollingSharpe = analytics.RollingSharpe(daily, RollingDays, riskFree, analytics.DaysPerYear)
	s.RollingVol = analytics.RollingVolatility(daily, RollingDays, analytics.DaysPerYear)
	s.Months = analytics.MonthlyReturns(s.Days, s.DailyEquity)
	years := analytics.YearlyReturns(s.Days, s.DailyEquity)

	t := TearSheet{
		Frequency:           "daily: equity at 00:00 UTC each day from the capital at the window's start; 365 days a year",
		DailyReturns:        len(daily),
		MonthlyReturns:      analytics.MonthlyTable(s.Months, years),
		YearlyReturns:       years,
		WorstDrawdowns:      analytics.WorstDrawdowns(s.Days, s.DailyEquity, WorstDrawdownN),
		UlcerIndex:          analytics.UlcerIndex(s.DailyEquity),
		RecoveryFactor:      analytics.RecoveryFactor(s.DailyEquity),
		Skewness:            analytics.Skewness(daily),
		ExcessKurtosis:      analytics.ExcessKurtosis(daily),
		VaR95:               analytics.ValueAtRisk(daily, TailLevel),
		CVaR95:              analytics.ConditionalValueAtRisk(daily, TailLevel),
		Omega:               analytics.Omega(daily, 0),
		TailRatio:           analytics.TailRatio(daily),
		ProbabilisticSharpe: analytics.ProbabilisticSharpe(analytics.ExcessReturns(daily, riskFree/analytics.DaysPerYear), 0),
		FundingSettlements:  len(r.Settlements),
	}
	if t.MonthlyReturns == nil {
		t.MonthlyReturns = []analytics.MonthlyRow{}
	}
	if t.YearlyReturns == nil {
		t.YearlyReturns = []analytics.PeriodReturn{}
	}
	if t.WorstDrawdowns == nil {
		t.WorstDrawdowns = []analytics.DrawdownPeriod{}
	}
	if best, worst := analytics.BestWorstDays(s.Days, s.DailyEquity); best.Return.Valid {
		t.BestDay, t.WorstDay = &best, &worst
	}
	if best, worst := analytics.BestWorstPeriods(s.Months); best.Return.Valid {
		t.BestMonth, t.WorstMonth = &best, &worst
	}
	t.TimeUnderWater, t.LongestUnderWaterDays = analytics.TimeUnderWater(s.Days, s.DailyEquity)

	payments := make([]float64, len(r.Settlements))
	for i, st := range r.Settlements {
		payments[i] = st.Payment.InexactFloat64()
	}
	t.FundingHitRate = analytics.FundingHitRate(payments)

	t.Benchmark = benchmarkOf(s, riskFree, daily)
	s.FundingTimes, s.FundingRates, s.FundingAnnualized = windowFunding(m)
	s.FundingAPR7 = analytics.RollingFundingAPR(s.FundingTimes, s.FundingRates, 7*24*time.Hour, m.Times[0])
	s.FundingAPR30 = analytics.RollingFundingAPR(s.FundingTimes, s.FundingRates, 30*24*time.Hour, m.Times[0])
	t.Series = s
	return t
}

// benchmarkOf compares the run's daily returns with spot bought and held.
func benchmarkOf(s TearSheetSeries, riskFree float64, daily []float64) Benchmark {
	b := Benchmark{RiskFreeRate: riskFree}
	n := len(s.Times)
	if n == 0 {
		return b
	}
	days := s.Times[n-1].Sub(s.Times[0]).Hours() / 24
	b.RiskFreeTotalReturn = analytics.Of(riskFree * days / analytics.DaysPerYear)
	if len(s.Spot) != n {
		return b
	}
	// Spot held is a run of its own: its figures as a run's, from C.
	if perf, err := analytics.PerformanceOf(s.Times, s.Spot, s.Capital, analytics.DaysPerYear, riskFree); err == nil {
		b.SpotTotalReturn, b.SpotAPR, b.SpotMaxDrawdown = perf.TotalReturn, perf.APR, perf.Drawdown.Max
	}
	_, spotDaily := analytics.DailyEquity(s.Times, s.Spot, s.Capital)
	spotReturns := analytics.Returns(spotDaily)
	b.Correlation = analytics.Correlation(daily, spotReturns)
	b.Beta = analytics.Beta(daily, spotReturns)
	return b
}

// windowFunding are the market's funding events with τ in the window:
// times, rates and rates annualized by each event's interval.
func windowFunding(m *strategy.Market) (times []time.Time, rates, annualized []float64) {
	first, last := m.Times[0], m.Times[len(m.Times)-1]
	for _, ev := range m.Funding {
		if ev.Instant.Before(first) || ev.Instant.After(last) {
			continue
		}
		times, rates = append(times, ev.Instant), append(rates, ev.Rate)
		annualized = append(annualized, data.AnnualizedFunding(ev.Rate, ev.IntervalHours))
	}
	return times, rates, annualized
}

// summaryFile is summary.json: the summary's keys, then "tear_sheet".
type summaryFile struct {
	Summary
	TearSheet TearSheet `json:"tear_sheet"`
}

// summaryWithTearSheet is what WriteRun writes as summary.json.
func summaryWithTearSheet(r *strategy.Result, s Summary) summaryFile {
	return summaryFile{Summary: s, TearSheet: TearSheetOf(r, s.RiskFreeRate)}
}
