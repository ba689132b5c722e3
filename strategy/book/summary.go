package book

import (
	"encoding/json"
	"math"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/portfolio"
)

// Summary is summary.json (with "contributions" beside it) and
// the one row of summary.csv: a book's parameters, window and results,
// with the single-pair statistics (strategy/backtest's Summary) and the
// book's own. Money is exact decimal.
type Summary struct {
	Universe   string `json:"universe"` // "all-history" or the symbols, comma separated
	Members    int    `json:"members"`  // pairs in the universe
	Delisted   int    `json:"delisted_members"`
	Period     string `json:"period"`
	From       string `json:"from"`
	To         string `json:"to"`
	GridPoints int    `json:"grid_points"` // the book's grid: the union of the members'
	Calendar   string `json:"calendar"`
	// PeriodsPerYear is of the --period: the book's grid is its members'
	// union, on that period.
	PeriodsPerYear float64 `json:"periods_per_year"`
	Days           float64 `json:"days"`

	Signal          string   `json:"signal"`
	Lookback        int      `json:"lookback"`
	Top             int      `json:"top"`
	MinSignal       *float64 `json:"min_signal"`
	Weights         string   `json:"weights"`
	Cap             float64  `json:"cap"`
	Rebalance       string   `json:"rebalance"`
	Band            float64  `json:"band"`
	MinHistoryHours float64  `json:"min_history_hours"`
	MinQuoteVolume  float64  `json:"min_quote_volume"`
	VolWindowHours  float64  `json:"vol_window_hours"`

	Capital      json.Number `json:"capital"`
	Leverage     json.Number `json:"leverage"`
	SpotFee      json.Number `json:"spot_fee"`
	PerpFee      json.Number `json:"perp_fee"`
	Slippage     json.Number `json:"slippage"`
	Maintenance  json.Number `json:"maintenance_margin"`
	RiskFreeRate float64     `json:"risk_free_rate"`

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
	// Of daily returns (equity at 00:00 UTC from C), 365 a year; those
	// above are per grid period, periods_per_year a year.
	VolatilityDaily      analytics.Value `json:"volatility_daily"`
	SharpeDaily          analytics.Value `json:"sharpe_daily"`
	SortinoDaily         analytics.Value `json:"sortino_daily"`
	ShortWindow          bool            `json:"short_window"`
	ShortWindowBelowDays int             `json:"short_window_below_days"`

	FundingIncome json.Number `json:"funding_income"`
	BasisPnL      json.Number `json:"basis_pnl"`
	Fees          json.Number `json:"fees"`
	SlippageCost  json.Number `json:"slippage_cost"`
	Forfeit       json.Number `json:"liquidation_forfeit"`
	Traded        json.Number `json:"traded_notional"`

	FundingSettlements int             `json:"funding_settlements"`
	SharePositive      analytics.Value `json:"share_positive_settlements"`
	Rebalances         int             `json:"rebalances"`
	Entries            int             `json:"entries"`
	Fills              int             `json:"fills"`
	Liquidations       int             `json:"liquidations"`
	Delistings         int             `json:"delistings"` // held pairs closed at their delisting

	// Turnover is traded notional / mean equity over the window;
	// TurnoverAnnualized the same per 365 days (analytics.Turnover).
	Turnover           analytics.Value `json:"turnover"`
	TurnoverAnnualized analytics.Value `json:"turnover_annualized"`
	// AverageHoldings is the mean number of pairs held over the grid's
	// intervals (the state after each point but the last); MaxHoldings
	// the most at once; TimeInMarket the share of intervals with one.
	AverageHoldings analytics.Value `json:"average_holdings"`
	MaxHoldings     int             `json:"max_holdings"`
	TimeInMarket    analytics.Value `json:"time_in_market"`
	// Concentration is the mean over intervals with a holding of the
	// Herfindahl index Σ (w_j/Σw)² of the held weights (1: one pair; 1/n:
	// n equal pairs); EffectiveHoldings its reciprocal; MaxWeight the
	// largest weight (of the book's equity) any pair had after a point.
	Concentration     analytics.Value `json:"concentration_hhi"`
	EffectiveHoldings analytics.Value `json:"effective_holdings"`
	MaxWeight         analytics.Value `json:"max_weight"`

	// BookFundingAPR is the funding received per unit of the book's mean
	// equity, annualized; UniverseFundingAPR the median over the members
	// of each one's mean annualized funding rate (events in its window).
	BookFundingAPR     analytics.Value `json:"book_funding_apr"`
	UniverseFundingAPR analytics.Value `json:"universe_median_funding_apr"`

	BTCCarry BTCCarry `json:"btc_carry"`
	BTCSpot  BTCSpot  `json:"btc_spot"`
}

// BTCCarry is the single-pair benchmark: BTCUSDT long spot / short
// perpetual, always in, with the book's pair parameters and capital, over
// the book's window (strategy.Run).
type BTCCarry struct {
	// Available says the lake had BTCUSDT over the window; Note says why
	// not, or what differs.
	Available bool   `json:"available"`
	Note      string `json:"note"`
	// Partial says the benchmark's data miss more than a day (or a grid
	// period) of the book's window at either end: Note is a warning, not
	// a remark.
	Partial     bool            `json:"partial"`
	FinalEquity json.Number     `json:"final_equity"`
	TotalReturn analytics.Value `json:"total_return"`
	APR         analytics.Value `json:"apr"`
	SharpeDaily analytics.Value `json:"sharpe_daily"`
	MaxDrawdown analytics.Value `json:"max_drawdown"`
	// Correlation of the book's daily returns with the benchmark's.
	Correlation analytics.Value `json:"correlation"`
}

// BTCSpot is BTC bought with the capital at the window's first spot price
// and held.
type BTCSpot struct {
	// FinalEquity is C · S_end / S_start (no fees), rounded to 8 decimals;
	// empty without a positive first price.
	FinalEquity json.Number     `json:"final_equity"`
	TotalReturn analytics.Value `json:"total_return"`
	APR         analytics.Value `json:"apr"`
	SharpeDaily analytics.Value `json:"sharpe_daily"`
	MaxDrawdown analytics.Value `json:"max_drawdown"`
	Correlation analytics.Value `json:"correlation"`
}

// Contribution is one pair's share of the book, a row of
// contributions.csv and of summary.json's "contributions".
type Contribution struct {
	Symbol       string      `json:"symbol"`
	Funding      json.Number `json:"funding"`
	BasisPnL     json.Number `json:"basis_pnl"`
	Fees         json.Number `json:"fees"`
	SlippageCost json.Number `json:"slippage_cost"`
	Forfeit      json.Number `json:"liquidation_forfeit"`
	// Net = funding + basis P&L − fees − forfeit: the pair's part of E − C.
	Net json.Number `json:"net"`
	// Share is Net over the book's E − C (null when E = C).
	Share        analytics.Value `json:"share"`
	Traded       json.Number     `json:"traded_notional"`
	Entries      int             `json:"entries"`
	HeldShare    analytics.Value `json:"held_share"` // share of the book's intervals held
	MeanWeight   analytics.Value `json:"mean_weight"`
	Liquidations int             `json:"liquidations"`
	Delisted     bool            `json:"delisted"`
}

func num(d decimal.Decimal) json.Number { return json.Number(d.String()) }

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// universeName is how summaries name a universe.
func universeName(s UniverseSpec, u *portfolio.Universe) string {
	if s.AllHistory {
		return "all-history"
	}
	if len(s.Symbols) > 0 {
		return strings.Join(s.Symbols, ",")
	}
	var syms []string
	for _, m := range u.Members {
		syms = append(syms, m.Market.Symbol)
	}
	return strings.Join(syms, ",")
}

// scheduleName is a rebalance schedule as the --rebalance flag writes it.
func scheduleName(s portfolio.Schedule) string {
	var parts []string
	if s.Every > 0 {
		parts = append(parts, portfolio.DurationName(s.Every))
	}
	if s.OnFunding {
		parts = append(parts, "funding")
	}
	if len(parts) == 0 {
		return "once"
	}
	return strings.Join(parts, "+")
}

// valueOr is v as a Value, null when not finite.
func valueOr(v float64) analytics.Value {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return analytics.Null
	}
	return analytics.Of(v)
}
