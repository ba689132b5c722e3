package strategy

import (
	"time"

	"github.com/shopspring/decimal"
)

// Leg names a trade's leg.
type Leg string

// The legs.
const (
	LegSpot Leg = "spot"
	LegPerp Leg = "perp" // the short futures leg, perpetual or dated
)

// Reason says why a fill happened.
type Reason string

// Fill reasons.
const (
	ReasonEntry       Reason = "entry"
	ReasonExit        Reason = "exit"
	ReasonEnd         Reason = "end"
	ReasonRebalance   Reason = "rebalance"
	ReasonLiquidation Reason = "liquidation"
	ReasonDelivery    Reason = "delivery"
	ReasonRoll        Reason = "roll"
)

// Trade is one fill.
type Trade struct {
	Time       time.Time
	PositionID int
	Leg        Leg
	Side       string // buy or sell
	Quantity   decimal.Decimal
	Price      decimal.Decimal
	Fee        decimal.Decimal
	Reason     Reason
}

// Settlement is one funding payment the position received (or paid).
type Settlement struct {
	ID           int
	Symbol       string
	PositionID   int
	FundingRate  decimal.Decimal
	PositionSize decimal.Decimal // q × mark price, positive
	Payment      decimal.Decimal // signed from the position's view: positive = received
	SettledAt    time.Time       // τ
	MarkPrice    decimal.Decimal
	MarkMissing  bool // mark price absent: F at the last grid point at or before τ was used
	Quantity     decimal.Decimal
	FundingTime  time.Time // as sent
}

// EquityRow is the state after a grid point's actions.
type EquityRow struct {
	Time             time.Time
	IndexPrice       float64
	FuturesPrice     float64
	Quantity         decimal.Decimal
	Equity           decimal.Decimal
	CumFunding       decimal.Decimal
	CumFees          decimal.Decimal
	BasisPnL         decimal.Decimal // realized and unrealized
	Forfeit          decimal.Decimal // cumulative liquidation forfeit
	MarginRatio      decimal.NullDecimal
	InMarketInterval bool // a position was held during the interval ending here
}

// Totals are a run's money and event counts.
type Totals struct {
	Capital          decimal.Decimal
	FinalEquity      decimal.Decimal
	Funding          decimal.Decimal
	BasisPnL         decimal.Decimal
	Fees             decimal.Decimal
	SlippageCost     decimal.Decimal
	Forfeit          decimal.Decimal
	EventsReceived   int
	PositiveEvents   int
	MissingMark      int
	Trades           int // positions opened
	InMarket         int // grid intervals with a position held
	WorstMarginRatio decimal.NullDecimal
	WorstMarginAt    time.Time
	Liquidated       bool
	LiquidatedAt     time.Time
}

// Result is a run's full record.
type Result struct {
	Market      *Market
	Params      Params
	Totals      Totals
	Equity      []EquityRow
	Trades      []Trade
	Settlements []Settlement
}
