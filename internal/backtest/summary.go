package backtest

import (
	"encoding/json"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy"
)

// Summary is summary.json (and the one row of summary.csv): a run's
// parameters, data window and results. Money is exact decimal.
type Summary struct {
	Symbol         string  `json:"symbol"`
	Contract       string  `json:"contract"`
	Period         string  `json:"period"`
	From           string  `json:"from"`
	To             string  `json:"to"`
	GridPoints     int     `json:"grid_points"`
	Calendar       string  `json:"calendar"`
	PeriodsPerYear float64 `json:"periods_per_year"`
	Days           float64 `json:"days"`

	Capital        json.Number `json:"capital"`
	Leverage       json.Number `json:"leverage"`
	SpotFee        json.Number `json:"spot_fee"`
	PerpFee        json.Number `json:"perp_fee"`
	Slippage       json.Number `json:"slippage"`
	Maintenance    json.Number `json:"maintenance_margin"`
	RebalanceBelow json.Number `json:"rebalance_below"`
	OnDelivery     string      `json:"on_delivery"`
	Rules          RulesJSON   `json:"rules"`
	RiskFreeRate   float64     `json:"risk_free_rate"`

	FinalEquity  json.Number     `json:"final_equity"`
	TotalReturn  analytics.Value `json:"total_return"`
	APR          analytics.Value `json:"apr"`
	APY          analytics.Value `json:"apy"`
	Volatility   analytics.Value `json:"volatility"`
	Sharpe       analytics.Value `json:"sharpe"`
	Sortino      analytics.Value `json:"sortino"`
	Calmar       analytics.Value `json:"calmar"`
	MaxDrawdown  analytics.Value `json:"max_drawdown"`
	DrawdownDays analytics.Value `json:"max_drawdown_duration_days"`
	DrawdownPeak *time.Time      `json:"max_drawdown_peak"`
	DrawdownLow  *time.Time      `json:"max_drawdown_trough"`
	DrawdownRec  *time.Time      `json:"max_drawdown_recovery"`

	FundingIncome  json.Number     `json:"funding_income"`
	BasisPnL       json.Number     `json:"basis_pnl"`
	Fees           json.Number     `json:"fees"`
	SlippageCost   json.Number     `json:"slippage_cost"`
	Forfeit        json.Number     `json:"liquidation_forfeit"`
	EventsReceived int             `json:"funding_events_received"`
	SharePositive  analytics.Value `json:"share_positive_events"`
	MissingMark    int             `json:"events_missing_mark_price"`
	TimeInMarket   analytics.Value `json:"time_in_market"`
	Trades         int             `json:"trades"`
	Fills          int             `json:"fills"`
	Turnover       analytics.Value `json:"turnover"`
	WorstMargin    analytics.Value `json:"worst_margin_ratio"`
	WorstMarginAt  *time.Time      `json:"worst_margin_ratio_at"`
	Liquidated     bool            `json:"liquidated"`
	LiquidatedAt   *time.Time      `json:"liquidated_at"`

	// Of the market in the window, whether or not a position was open:
	// funding events with τ in the window, annualized basis at each grid
	// point (perpetual: (F/S − 1)·365; dated: ·365/days to delivery).
	FundingStats analytics.FundingStats `json:"funding_stats"`
	BasisStats   analytics.Distribution `json:"basis_stats"`
}

// RulesJSON are the rules as summary.json writes them (null: off).
type RulesJSON struct {
	FundingLookback int      `json:"funding_lookback"`
	FundingEnter    *float64 `json:"funding_enter"`
	FundingExit     *float64 `json:"funding_exit"`
	BasisEnter      *float64 `json:"basis_enter"`
	BasisExit       *float64 `json:"basis_exit"`
	MaxHoldHours    *float64 `json:"max_hold_hours"`
}

func num(d decimal.Decimal) json.Number { return json.Number(d.String()) }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// Summarize builds a run's summary: the engine's totals and the statistics
// of its equity (analytics.Summarize) on a 365-day calendar.
func Summarize(r *strategy.Result, riskFree float64) (Summary, error) {
	m, p, t := r.Market, r.Params, r.Totals
	times := make([]time.Time, len(r.Equity))
	equity := make([]float64, len(r.Equity))
	for i, row := range r.Equity {
		times[i], equity[i] = row.Time, row.Equity.InexactFloat64()
	}
	ppy := analytics.PeriodsPerYear(m.Period.Duration())
	perf, err := analytics.Summarize(times, equity, p.Capital.InexactFloat64(), ppy, riskFree)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{
		Symbol: m.Symbol, Contract: string(m.ContractType), Period: string(m.Period),
		From: times[0].Format(time.RFC3339), To: times[len(times)-1].Format(time.RFC3339), GridPoints: len(times),
		Calendar: "365-day", PeriodsPerYear: ppy, Days: perf.Days,
		Capital: num(p.Capital), Leverage: num(p.Leverage), SpotFee: num(p.SpotFee), PerpFee: num(p.PerpFee),
		Slippage: num(p.Slippage), Maintenance: num(p.Maintenance), RebalanceBelow: num(p.RebalanceBelow),
		OnDelivery: string(p.OnDelivery), RiskFreeRate: riskFree,
		Rules: RulesJSON{FundingLookback: p.Rules.FundingLookback, FundingEnter: p.Rules.FundingEnter, FundingExit: p.Rules.FundingExit,
			BasisEnter: p.Rules.BasisEnter, BasisExit: p.Rules.BasisExit},
		FinalEquity: num(t.FinalEquity), TotalReturn: perf.TotalReturn, APR: perf.APR, APY: perf.APY,
		Volatility: perf.Volatility, Sharpe: perf.Sharpe, Sortino: perf.Sortino, Calmar: perf.Calmar,
		MaxDrawdown: perf.Drawdown.Max, DrawdownDays: perf.Drawdown.DurationDays,
		DrawdownPeak: perf.Drawdown.Peak, DrawdownLow: perf.Drawdown.Trough, DrawdownRec: perf.Drawdown.Recovery,
		FundingIncome: num(t.Funding), BasisPnL: num(t.BasisPnL), Fees: num(t.Fees), SlippageCost: num(t.SlippageCost), Forfeit: num(t.Forfeit),
		EventsReceived: t.EventsReceived, MissingMark: t.MissingMark, Trades: t.Trades, Fills: len(r.Trades),
		WorstMarginAt: timePtr(t.WorstMarginAt), Liquidated: t.Liquidated, LiquidatedAt: timePtr(t.LiquidatedAt),
	}
	if p.Rules.MaxHold > 0 {
		h := p.Rules.MaxHold.Hours()
		s.Rules.MaxHoldHours = &h
	}
	if t.EventsReceived > 0 {
		s.SharePositive = analytics.Of(float64(t.PositiveEvents) / float64(t.EventsReceived))
	}
	if n := len(times) - 1; n > 0 {
		s.TimeInMarket = analytics.Of(float64(t.InMarket) / float64(n))
	}
	notional := 0.0
	for _, tr := range r.Trades {
		notional += tr.Quantity.Mul(tr.Price).InexactFloat64()
	}
	s.Turnover = analytics.Turnover(notional, equity, perf.Days)
	var rates []float64
	var hours []int
	for _, ev := range m.Funding {
		if !ev.Instant.Before(times[0]) && !ev.Instant.After(times[len(times)-1]) {
			rates, hours = append(rates, ev.Rate), append(hours, ev.IntervalHours)
		}
	}
	s.FundingStats = analytics.Funding(rates, hours)
	basis := make([]float64, len(m.Times))
	for i, ts := range m.Times {
		var d time.Time
		if m.Dated() {
			d = m.Delivery[i]
		}
		basis[i] = strategy.AnnualizeBasis(m.Futures[i], m.Spot[i], ts, d)
	}
	s.BasisStats = analytics.Describe(basis)
	if t.WorstMarginRatio.Valid {
		s.WorstMargin = analytics.Of(t.WorstMarginRatio.Decimal.InexactFloat64())
	}
	return s, nil
}
