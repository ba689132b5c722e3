package backtest

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// Summary is summary.json (and the one row of summary.csv): a run's
// parameters, data window and results. Money is exact decimal.
type Summary struct {
	Symbol   string `json:"symbol"`
	Contract string `json:"contract"`
	Period   string `json:"period"`
	// FuturesSource and SpotSource say which data priced each leg: "basis"
	// and "basis index", or the klines ("klines futures 1h", "klines
	// continuous CURRENT_QUARTER 1h"; "klines index 1h", "klines spot 1h").
	FuturesSource  string  `json:"futures_source"`
	SpotSource     string  `json:"spot_source"`
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

	// The volatility, Sharpe and Sortino of daily returns (equity at 00:00
	// UTC from C), 365 a year; those above are per grid period (from C),
	// periods_per_year a year.
	VolatilityDaily analytics.Value `json:"volatility_daily"`
	SharpeDaily     analytics.Value `json:"sharpe_daily"`
	SortinoDaily    analytics.Value `json:"sortino_daily"`
	// ShortWindow: days < ShortWindowBelowDays (analytics.ShortWindowDays,
	// 90), and every annualized figure (APR, APY, the volatilities,
	// Sharpes, Sortinos, Calmar, turnover) extrapolates a year from it.
	ShortWindow          bool `json:"short_window"`
	ShortWindowBelowDays int  `json:"short_window_below_days"`

	FundingIncome  json.Number     `json:"funding_income"`
	BasisPnL       json.Number     `json:"basis_pnl"`
	Fees           json.Number     `json:"fees"`
	SlippageCost   json.Number     `json:"slippage_cost"`
	Forfeit        json.Number     `json:"liquidation_forfeit"`
	EventsReceived int             `json:"funding_events_received"`
	SharePositive  analytics.Value `json:"share_positive_events"`
	MissingMark    int             `json:"events_missing_mark_price"`
	// MarkFromCandle counts the window's funding events sent without a mark
	// price whose mark was read from the mark-price candle at τ (klines
	// markets; a market figure, like funding_stats).
	MarkFromCandle int             `json:"events_mark_from_candle"`
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

// MarketStats are the statistics of a run's market in its window, the same
// for every run on it: computed once per market in sweeps.
type MarketStats struct {
	Funding        analytics.FundingStats
	Basis          analytics.Distribution
	MarkFromCandle int // funding events in the window priced by a mark candle
	// DayEnds are the grid points the daily statistics read equity at
	// (analytics.DailyIndices of the grid).
	DayEnds []int
}

// MarketStatsOf computes the market's statistics over its grid: funding
// events with τ in the window, annualized basis at each grid point.
func MarketStatsOf(m *strategy.Market) MarketStats {
	first, last := m.Times[0], m.Times[len(m.Times)-1]
	var rates []float64
	var hours []int
	fromCandle := 0
	for _, ev := range m.Funding {
		if !ev.Instant.Before(first) && !ev.Instant.After(last) {
			rates, hours = append(rates, ev.Rate), append(hours, ev.IntervalHours)
			if ev.MarkFromCandle {
				fromCandle++
			}
		}
	}
	basis := make([]float64, len(m.Times))
	for i, ts := range m.Times {
		var d time.Time
		if m.Dated() {
			d = m.Delivery[i]
		}
		basis[i] = data.AnnualizedBasis(m.Futures[i], m.Spot[i], ts, d)
	}
	days, _ := analytics.DailyIndices(m.Times)
	return MarketStats{Funding: analytics.Funding(rates, hours), Basis: analytics.Describe(basis), MarkFromCandle: fromCandle, DayEnds: days}
}

// figures are a run's results, from either implementation.
type figures struct {
	final, funding, basis, fees, slip, forfeit json.Number
	notional                                   float64
	events, positive, missing, trades, fills   int
	inMarket                                   int
	worst                                      analytics.Value
	worstAt, liquidatedAt                      time.Time
	liquidated                                 bool
}

// SummaryOf builds the summary of an exact run.
func SummaryOf(r *strategy.Result, riskFree float64) (Summary, error) {
	t := r.Totals
	equity := make([]float64, len(r.Equity))
	for i, row := range r.Equity {
		equity[i] = row.Equity.InexactFloat64()
	}
	f := figures{final: num(t.FinalEquity), funding: num(t.Funding), basis: num(t.BasisPnL), fees: num(t.Fees), slip: num(t.SlippageCost),
		forfeit: num(t.Forfeit), events: t.EventsReceived, positive: t.PositiveEvents, missing: t.MissingMark, trades: t.Trades, fills: len(r.Trades),
		inMarket: t.InMarket, worstAt: t.WorstMarginAt, liquidated: t.Liquidated, liquidatedAt: t.LiquidatedAt}
	for _, tr := range r.Trades {
		f.notional += tr.Quantity.Mul(tr.Price).InexactFloat64()
	}
	if t.WorstMarginRatio.Valid {
		f.worst = analytics.Of(t.WorstMarginRatio.Decimal.InexactFloat64())
	}
	return build(r.Market, r.Params, riskFree, equity, f, MarketStatsOf(r.Market))
}

// SummaryOfKernel builds the summary of a kernel run, identical in shape to
// SummaryOf's (money from float64, to the kernel's 1e-9 agreement).
func SummaryOfKernel(m *strategy.Market, p strategy.Params, riskFree float64, kt strategy.KernelTotals, equity []float64, ms MarketStats) (Summary, error) {
	return build(m, p, riskFree, equity, kernelFigures(m, kt), ms)
}

// SummaryOfKernelStats is SummaryOfKernel with the equity's statistics
// given, st = strategy.EquityStatsOf(equity, capital) (one pass over the
// equity instead of analytics' separate walks), and the daily returns read
// at ms.DayEnds (found once per market): bit for bit the same summary (a
// test holds it). Sweeps call it millions of times.
func SummaryOfKernelStats(m *strategy.Market, p strategy.Params, riskFree float64, kt strategy.KernelTotals, equity []float64, st strategy.EquityStats, ms MarketStats) (Summary, error) {
	perf, err := performanceOfStats(m.Times, equity, p.Capital.InexactFloat64(), analytics.PeriodsPerYear(m.Period.Duration()), riskFree, &st, ms.DayEnds)
	if err != nil {
		return Summary{}, err
	}
	return summaryOf(m, p, riskFree, equity, kernelFigures(m, kt), ms, perf), nil
}

// performanceOfStats is analytics.PerformanceOf with the moments and the
// drawdown taken from st (EquityStats holds them bit for bit as
// PerformanceOf's passes compute them) and the daily moments from the
// precomputed day ends (analytics.DailyIndices of times).
func performanceOfStats(times []time.Time, equity []float64, capital, periodsPerYear, riskFree float64, st *strategy.EquityStats, dayEnds []int) (analytics.Performance, error) {
	m := analytics.ReturnMoments{N: st.N, Mean: st.Mean, SD: st.SD, Down: st.Down}
	var dd analytics.Drawdown
	var daily analytics.ReturnMoments
	if len(times) == len(equity) && len(equity) > 0 {
		dd = analytics.DrawdownAt(times, st.MaxDrawdown, st.Peak, st.Trough, st.Recovery)
		daily = analytics.DailyReturnMoments(equity, capital, dayEnds)
	}
	return analytics.PerformanceFrom(times, equity, capital, periodsPerYear, riskFree, m, daily, dd)
}

// kernelFigures are a kernel run's results as a summary takes them.
func kernelFigures(m *strategy.Market, kt strategy.KernelTotals) figures {
	fl := func(v float64) json.Number { return json.Number(strconv.FormatFloat(v, 'g', -1, 64)) }
	f := figures{final: fl(kt.FinalEquity), funding: fl(kt.Funding), basis: fl(kt.BasisPnL), fees: fl(kt.Fees), slip: fl(kt.SlippageCost),
		forfeit: fl(kt.Forfeit), notional: kt.Notional, events: kt.EventsReceived, positive: kt.PositiveEvents, missing: kt.MissingMark,
		trades: kt.Trades, fills: kt.Fills, inMarket: kt.InMarket, worst: analytics.Of(kt.WorstMarginRatio), liquidated: kt.Liquidated}
	if kt.WorstMarginAt >= 0 {
		f.worstAt = m.Times[kt.WorstMarginAt]
	}
	if kt.LiquidatedAt >= 0 {
		f.liquidatedAt = m.Times[kt.LiquidatedAt]
	}
	return f
}

func build(m *strategy.Market, p strategy.Params, riskFree float64, equity []float64, f figures, ms MarketStats) (Summary, error) {
	perf, err := analytics.PerformanceOf(m.Times, equity, p.Capital.InexactFloat64(), analytics.PeriodsPerYear(m.Period.Duration()), riskFree)
	if err != nil {
		return Summary{}, err
	}
	return summaryOf(m, p, riskFree, equity, f, ms, perf), nil
}

// summaryOf assembles the summary from the run's figures and statistics.
func summaryOf(m *strategy.Market, p strategy.Params, riskFree float64, equity []float64, f figures, ms MarketStats, perf analytics.Performance) Summary {
	times := m.Times
	ppy := perf.PeriodsPerYear
	s := Summary{
		Symbol: m.Symbol, Contract: string(m.ContractType), Period: string(m.Period), FuturesSource: m.FuturesSource, SpotSource: m.SpotSource,
		From: times[0].Format(time.RFC3339), To: times[len(times)-1].Format(time.RFC3339), GridPoints: len(times),
		Calendar: "365-day", PeriodsPerYear: ppy, Days: perf.Days,
		Capital: num(p.Capital), Leverage: num(p.Leverage), SpotFee: num(p.SpotFee), PerpFee: num(p.PerpFee),
		Slippage: num(p.Slippage), Maintenance: num(p.Maintenance), RebalanceBelow: num(p.RebalanceBelow),
		OnDelivery: string(p.OnDelivery), RiskFreeRate: riskFree,
		Rules: RulesJSON{FundingLookback: p.Rules.FundingLookback, FundingEnter: p.Rules.FundingEnter, FundingExit: p.Rules.FundingExit,
			BasisEnter: p.Rules.BasisEnter, BasisExit: p.Rules.BasisExit},
		FinalEquity: f.final, TotalReturn: perf.TotalReturn, APR: perf.APR, APY: perf.APY,
		Volatility: perf.Volatility, Sharpe: perf.Sharpe, Sortino: perf.Sortino, Calmar: perf.Calmar,
		VolatilityDaily: perf.VolatilityDaily, SharpeDaily: perf.SharpeDaily, SortinoDaily: perf.SortinoDaily,
		ShortWindow: perf.ShortWindow, ShortWindowBelowDays: analytics.ShortWindowDays,
		MaxDrawdown: perf.Drawdown.Max, DrawdownDays: perf.Drawdown.DurationDays,
		DrawdownPeak: perf.Drawdown.Peak, DrawdownLow: perf.Drawdown.Trough, DrawdownRec: perf.Drawdown.Recovery,
		FundingIncome: f.funding, BasisPnL: f.basis, Fees: f.fees, SlippageCost: f.slip, Forfeit: f.forfeit,
		EventsReceived: f.events, MissingMark: f.missing, MarkFromCandle: ms.MarkFromCandle, Trades: f.trades, Fills: f.fills, WorstMargin: f.worst,
		WorstMarginAt: timePtr(f.worstAt), Liquidated: f.liquidated, LiquidatedAt: timePtr(f.liquidatedAt),
		Turnover: analytics.Turnover(f.notional, equity, perf.Days), FundingStats: ms.Funding, BasisStats: ms.Basis,
	}
	if p.Rules.MaxHold > 0 {
		h := p.Rules.MaxHold.Hours()
		s.Rules.MaxHoldHours = &h
	}
	if f.events > 0 {
		s.SharePositive = analytics.Of(float64(f.positive) / float64(f.events))
	}
	if n := len(times) - 1; n > 0 {
		s.TimeInMarket = analytics.Of(float64(f.inMarket) / float64(n))
	}
	return s
}
