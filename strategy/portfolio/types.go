package portfolio

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
)

// Member is one pair of the universe.
type Member struct {
	// Market is the pair's perpetual market on its own grid (its first and
	// last grid points are when it enters and leaves the universe).
	Market *strategy.Market
	// QuoteVolume[i] is the quote volume traded in the period that ended
	// at Market.Times[i] (the futures candle that closed there: nothing
	// from after the grid point); NaN where unknown. nil: the lake has no
	// volume for the pair (a pair priced by the basis, without futures
	// candles), and under a liquidity filter it is never eligible
	// (WithoutQuoteVolume lists such members, for a warning).
	QuoteVolume []float64
	// Delisted says the pair's data ends because the exchange delisted it
	// (its last grid point closes the position, reason delist) rather
	// than because the window ends.
	Delisted bool
	// Since is the first time the lake has data of the pair (its listing,
	// as far as the lake knows), at or before Market.Times[0]; zero means
	// Market.Times[0]. MinHistory counts from it, so a pair listed long
	// before the window is not held back at the window's start. It is
	// data stamped before every grid point: no look-ahead.
	Since time.Time
}

// Listed is the time MinHistory counts from: Since, or the member's first
// grid point when Since is zero.
func (m Member) Listed() time.Time {
	if m.Since.IsZero() {
		return m.Market.Times[0]
	}
	return m.Since
}

// Universe is the pairs a book may hold, sorted by symbol.
type Universe struct {
	Members []Member
}

// Signal is what ranks the pairs.
type Signal string

// Signals.
const (
	// SignalFunding: the mean annualized rate of the last Lookback known
	// funding events, each annualized by its own interval.
	SignalFunding Signal = "funding"
	// SignalBasis: the annualized basis (F − S)/S at the grid point.
	SignalBasis Signal = "basis"
)

// Weighting says how the selected pairs share the book.
type Weighting string

// Weightings.
const (
	WeightEqual      Weighting = "equal"       // 1/K each
	WeightSignal     Weighting = "signal"      // proportional to the signal
	WeightInverseVol Weighting = "inverse-vol" // proportional to 1/σ of the pair's carry P&L
)

// Schedule says when the book rebalances: the first grid point of the
// book, then every instant that is a multiple of Every since the Unix
// epoch (1d: 00:00 UTC), and with OnFunding every funding instant of a
// member; each instant is acted on at the first grid point at or after it.
type Schedule struct {
	Every     time.Duration
	OnFunding bool
}

// Params are a book's parameters. Start from DefaultParams.
type Params struct {
	// Pair are the single-pair parameters every pair trades with:
	// capital (the book's C), leverage, fees, slippage and maintenance.
	// Its rules, rebalance-below and on-delivery are not used.
	Pair      strategy.Params
	Signal    Signal
	Lookback  int       // N: funding events in the funding signal
	Top       int       // K: at most this many pairs held
	MinSignal *float64  // annualized; nil: no threshold (compared exactly, a tie qualifies)
	Weights   Weighting // equal, signal or inverse-vol
	Cap       float64   // most weight one pair may have, (0, 1]
	Rebalance Schedule
	// Band is the no-trade band: a held pair is resized only when its
	// weight differs from its target by more than Band (entries and
	// exits always trade).
	Band float64
	// MinHistory: a pair is eligible only once its data began (Member.
	// Listed: its first data in the lake, not the window's start) at least
	// this long before the rebalance instant.
	MinHistory time.Duration
	// MinQuoteVolume: a pair is eligible only if its quote volume over the
	// trailing 24 hours is at least this (0: no filter).
	MinQuoteVolume float64
	// VolWindow is the trailing window of the inverse-volatility weights.
	VolWindow time.Duration
}

// DefaultParams are strategy.DefaultParams for every pair, the funding
// signal over 3 events, top 5, no threshold, equal weights capped at 1,
// rebalanced daily with a band of 0.05, no history or liquidity filter,
// a 30-day volatility window.
func DefaultParams() Params {
	return Params{
		Pair: strategy.DefaultParams(), Signal: SignalFunding, Lookback: 3, Top: 5,
		Weights: WeightEqual, Cap: 1, Rebalance: Schedule{Every: 24 * time.Hour},
		Band: 0.05, VolWindow: 30 * 24 * time.Hour,
	}
}

// Reasons a portfolio adds to strategy's.
const (
	ReasonResize strategy.Reason = "resize" // a held pair's size changed at a rebalance
	ReasonDelist strategy.Reason = "delist" // the pair's last grid point: closed at its last prices
)

// Trade is one fill of one pair.
type Trade struct {
	Symbol string
	strategy.Trade
}

// BookRow is the book after a grid point's actions. The book's grid is
// the union of its members' grids; a pair without a point at Time is
// marked at its last prices.
type BookRow struct {
	Time       time.Time
	Equity     decimal.Decimal // cash + Σ pairs' equity
	Cash       decimal.Decimal
	CumFunding decimal.Decimal
	CumFees    decimal.Decimal
	BasisPnL   decimal.Decimal // realized and unrealized, all pairs
	Forfeit    decimal.Decimal // cumulative liquidation forfeits
	Traded     decimal.Decimal // notional filled at this point, both legs
	// Weights[j] is member j's weight after the point's actions: the pair's
	// equity (q·S + margin balance) over the book's equity; 0 when flat.
	Weights  []float64
	Holdings int // pairs held
}

// PairTotals are one pair's money over the run; for each pair
// Funding + BasisPnL − Fees − Forfeit is its contribution to E − C.
type PairTotals struct {
	Symbol       string
	Funding      decimal.Decimal
	BasisPnL     decimal.Decimal
	Fees         decimal.Decimal
	SlippageCost decimal.Decimal
	Forfeit      decimal.Decimal
	Traded       decimal.Decimal // notional filled, both legs
	Entries      int             // times the pair went from flat to held
	HeldPoints   int             // book grid intervals it was held in
	Liquidated   int             // liquidations
	Delisted     bool            // closed at delisting
}

// Result is a book's full record.
type Result struct {
	Universe    *Universe
	Params      Params
	Capital     decimal.Decimal
	FinalEquity decimal.Decimal
	Rows        []BookRow
	Trades      []Trade
	Settlements []strategy.Settlement // Symbol says whose
	Pairs       []PairTotals          // in Universe order
	// Rebalances are the grid indexes where the book rebalanced.
	Rebalances []int
}
