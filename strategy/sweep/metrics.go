package sweep

import (
	"encoding/json"
	"math"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/backtest"
)

// DefaultMetric is the metric a sweep ranks by unless told otherwise: the
// Sharpe ratio of daily returns (equity at 00:00 UTC from the capital, 365
// a year), the figure researchers compare across tools; "sharpe" is the
// one per grid period.
const DefaultMetric = "sharpe_daily"

// Metric is a figure combinations can be ranked by: a numeric column of
// results.csv, read from a typed summary by Of.
type Metric struct {
	Name          string // the results.csv column
	LowerIsBetter bool   // else larger is better
	// Of is the metric's value in a summary; NaN when null.
	Of func(*backtest.Summary) float64
}

// Metrics is the metric table: every numeric column of results.csv, in
// the file's order. A test holds it to backtest.Columns.
func Metrics() []Metric {
	type s = backtest.Summary
	ms := []Metric{
		{"grid_points", false, func(s *s) float64 { return float64(s.GridPoints) }},
		{"periods_per_year", false, func(s *s) float64 { return s.PeriodsPerYear }},
		{"days", false, func(s *s) float64 { return s.Days }},
		{"capital", false, func(s *s) float64 { return moneyOf(s.Capital) }},
		{"leverage", false, func(s *s) float64 { return moneyOf(s.Leverage) }},
		{"spot_fee", false, func(s *s) float64 { return moneyOf(s.SpotFee) }},
		{"perp_fee", false, func(s *s) float64 { return moneyOf(s.PerpFee) }},
		{"slippage", false, func(s *s) float64 { return moneyOf(s.Slippage) }},
		{"maintenance_margin", false, func(s *s) float64 { return moneyOf(s.Maintenance) }},
		{"rebalance_below", false, func(s *s) float64 { return moneyOf(s.RebalanceBelow) }},
		{"rules_funding_lookback", false, func(s *s) float64 { return float64(s.Rules.FundingLookback) }},
		{"rules_funding_enter", false, func(s *s) float64 { return optional(s.Rules.FundingEnter) }},
		{"rules_funding_exit", false, func(s *s) float64 { return optional(s.Rules.FundingExit) }},
		{"rules_basis_enter", false, func(s *s) float64 { return optional(s.Rules.BasisEnter) }},
		{"rules_basis_exit", false, func(s *s) float64 { return optional(s.Rules.BasisExit) }},
		{"rules_max_hold_hours", false, func(s *s) float64 { return optional(s.Rules.MaxHoldHours) }},
		{"risk_free_rate", false, func(s *s) float64 { return s.RiskFreeRate }},
		{"final_equity", false, func(s *s) float64 { return moneyOf(s.FinalEquity) }},
		{"total_return", false, func(s *s) float64 { return valueOf(s.TotalReturn) }},
		{"apr", false, func(s *s) float64 { return valueOf(s.APR) }},
		{"apy", false, func(s *s) float64 { return valueOf(s.APY) }},
		{"volatility", true, func(s *s) float64 { return valueOf(s.Volatility) }},
		{"sharpe", false, func(s *s) float64 { return valueOf(s.Sharpe) }},
		{"sortino", false, func(s *s) float64 { return valueOf(s.Sortino) }},
		{"calmar", false, func(s *s) float64 { return valueOf(s.Calmar) }},
		{"max_drawdown", false, func(s *s) float64 { return valueOf(s.MaxDrawdown) }}, // negative: larger is shallower
		{"max_drawdown_duration_days", true, func(s *s) float64 { return valueOf(s.DrawdownDays) }},
		{"volatility_daily", true, func(s *s) float64 { return valueOf(s.VolatilityDaily) }},
		{"sharpe_daily", false, func(s *s) float64 { return valueOf(s.SharpeDaily) }},
		{"sortino_daily", false, func(s *s) float64 { return valueOf(s.SortinoDaily) }},
		{"short_window_below_days", false, func(s *s) float64 { return float64(s.ShortWindowBelowDays) }},
		{"funding_income", false, func(s *s) float64 { return moneyOf(s.FundingIncome) }},
		{"basis_pnl", false, func(s *s) float64 { return moneyOf(s.BasisPnL) }},
		{"fees", true, func(s *s) float64 { return moneyOf(s.Fees) }},
		{"slippage_cost", true, func(s *s) float64 { return moneyOf(s.SlippageCost) }},
		{"liquidation_forfeit", true, func(s *s) float64 { return moneyOf(s.Forfeit) }},
		{"funding_events_received", false, func(s *s) float64 { return float64(s.EventsReceived) }},
		{"share_positive_events", false, func(s *s) float64 { return valueOf(s.SharePositive) }},
		{"events_missing_mark_price", true, func(s *s) float64 { return float64(s.MissingMark) }},
		{"events_mark_from_candle", false, func(s *s) float64 { return float64(s.MarkFromCandle) }},
		{"time_in_market", false, func(s *s) float64 { return valueOf(s.TimeInMarket) }},
		{"trades", false, func(s *s) float64 { return float64(s.Trades) }},
		{"fills", false, func(s *s) float64 { return float64(s.Fills) }},
		{"turnover", true, func(s *s) float64 { return valueOf(s.Turnover) }},
		{"worst_margin_ratio", false, func(s *s) float64 { return valueOf(s.WorstMargin) }},
	}
	ms = append(ms, distributionMetrics("funding_stats_rates_", func(s *s) analytics.Distribution { return s.FundingStats.Rates })...)
	ms = append(ms, distributionMetrics("funding_stats_annualized_", func(s *s) analytics.Distribution { return s.FundingStats.Annualized })...)
	ms = append(ms, Metric{"funding_stats_share_positive", false, func(s *s) float64 { return valueOf(s.FundingStats.SharePositive) }})
	ms = append(ms, intervalMetrics()...)
	return append(ms, distributionMetrics("basis_stats_", func(s *s) analytics.Distribution { return s.BasisStats })...)
}

// distributionMetrics are the columns of a distribution in a summary.
func distributionMetrics(prefix string, of func(*backtest.Summary) analytics.Distribution) []Metric {
	stat := func(name string, get func(analytics.Distribution) analytics.Value) Metric {
		return Metric{Name: prefix + name, Of: func(s *backtest.Summary) float64 { return valueOf(get(of(s))) }}
	}
	return []Metric{
		{Name: prefix + "count", Of: func(s *backtest.Summary) float64 { return float64(of(s).Count) }},
		stat("mean", func(d analytics.Distribution) analytics.Value { return d.Mean }),
		stat("std", func(d analytics.Distribution) analytics.Value { return d.Std }),
		stat("min", func(d analytics.Distribution) analytics.Value { return d.Min }),
		stat("p05", func(d analytics.Distribution) analytics.Value { return d.P05 }),
		stat("p25", func(d analytics.Distribution) analytics.Value { return d.P25 }),
		stat("median", func(d analytics.Distribution) analytics.Value { return d.Median }),
		stat("p75", func(d analytics.Distribution) analytics.Value { return d.P75 }),
		stat("p95", func(d analytics.Distribution) analytics.Value { return d.P95 }),
		stat("max", func(d analytics.Distribution) analytics.Value { return d.Max }),
	}
}

// MetricNames are the names of the metric table's metrics.
func MetricNames() []string {
	ms := Metrics()
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return names
}

// metricNamed is the metric called name.
func metricNamed(name string) (Metric, bool) {
	for _, m := range Metrics() {
		if m.Name == name {
			return m, true
		}
	}
	return Metric{}, false
}

func valueOf(v analytics.Value) float64 {
	if !v.Valid {
		return math.NaN()
	}
	return v.V
}

func optional(p *float64) float64 {
	if p == nil {
		return math.NaN()
	}
	return *p
}

// moneyOf is exact decimal money as a float (as results.csv's readers
// parse it).
func moneyOf(n json.Number) float64 {
	v, err := n.Float64()
	if err != nil {
		panic("summary money " + string(n) + " is not a number: " + err.Error())
	}
	return v
}
