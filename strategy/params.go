package strategy

import (
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// OnDelivery says what a dated position does when its contract delivers.
type OnDelivery string

// What happens at delivery.
const (
	DeliverFlat OnDelivery = "flat" // sell the spot, stay flat until a rule enters again
	DeliverRoll OnDelivery = "roll" // keep the spot, short the next contract at the same grid point
)

// Params are a run's parameters. Zero values are not defaults: start from
// DefaultParams.
type Params struct {
	Capital     decimal.Decimal // C, quote currency (USDT)
	Leverage    decimal.Decimal // L of the short leg; 1/L must exceed Maintenance
	SpotFee     decimal.Decimal // per spot fill, as a fraction of notional
	PerpFee     decimal.Decimal // per futures fill (taker)
	Slippage    decimal.Decimal // s: buys fill at price·(1+s), sells at price·(1−s)
	Maintenance decimal.Decimal // m: maintenance margin rate
	// RebalanceBelow, when positive, rebalances when the margin ratio falls
	// below it (see docs/model.md).
	RebalanceBelow decimal.Decimal
	OnDelivery     OnDelivery
	Rules          Rules
}

// Rules decide entries and exits: a flat run enters when every enabled
// entry condition holds; an open position exits when any enabled exit
// condition holds. With no entry condition enabled the run is always in.
type Rules struct {
	// FundingLookback is N: the funding signal is the mean of the
	// annualized rates of the last N known events.
	FundingLookback int
	// FundingEnter and FundingExit enable the funding rule (annualized,
	// e.g. 0.10 = 10%/year): enter when the signal ≥ FundingEnter, exit
	// when ≤ FundingExit. A threshold is the exact decimal ExactThreshold
	// reads from the float64 (the decimal written, for up to 15
	// significant digits); signals are compared with it exactly, so a tie
	// enters and exits.
	FundingEnter, FundingExit *float64
	// BasisEnter and BasisExit enable the basis rule on the annualized
	// basis of the traded contract, compared likewise.
	BasisEnter, BasisExit *float64
	// MaxHold, when positive, exits a position held that long.
	MaxHold time.Duration
}

// DefaultParams are Binance's regular-tier fees (spot 0.1% per fill,
// USDⓈ-M futures taker 0.05%), 1 bp slippage, leverage 1, 10,000 USDT,
// maintenance 0.4%, funding lookback 3, always in, flat at delivery.
func DefaultParams() Params {
	return Params{
		Capital:     decimal.NewFromInt(10_000),
		Leverage:    decimal.NewFromInt(1),
		SpotFee:     decimal.RequireFromString("0.001"),
		PerpFee:     decimal.RequireFromString("0.0005"),
		Slippage:    decimal.RequireFromString("0.0001"),
		Maintenance: decimal.RequireFromString("0.004"),
		OnDelivery:  DeliverFlat,
		Rules:       Rules{FundingLookback: 3},
	}
}

// Validate refuses parameters the model cannot run, naming the parameter.
func (p Params) Validate() error {
	var errs []error
	if !p.Capital.IsPositive() {
		errs = append(errs, fmt.Errorf("capital %s: must be positive", p.Capital))
	}
	if !p.Leverage.IsPositive() {
		errs = append(errs, fmt.Errorf("leverage %s: must be positive", p.Leverage))
	} else if p.Maintenance.GreaterThanOrEqual(decimal.NewFromInt(1).Div(p.Leverage)) {
		errs = append(errs, fmt.Errorf("leverage %s: 1/L = %s must exceed the maintenance rate %s, or the short is liquidated at entry",
			p.Leverage, decimal.NewFromInt(1).DivRound(p.Leverage, 8), p.Maintenance))
	}
	for _, f := range []struct {
		name string
		v    decimal.Decimal
	}{{"spot fee", p.SpotFee}, {"perp fee", p.PerpFee}, {"slippage", p.Slippage}, {"maintenance", p.Maintenance}} {
		if f.v.IsNegative() || f.v.GreaterThanOrEqual(decimal.NewFromFloat(0.5)) {
			errs = append(errs, fmt.Errorf("%s %s: want a fraction in [0, 0.5)", f.name, f.v))
		}
	}
	if p.RebalanceBelow.IsNegative() {
		errs = append(errs, fmt.Errorf("rebalance threshold %s: must not be negative", p.RebalanceBelow))
	}
	if p.RebalanceBelow.IsPositive() && p.RebalanceBelow.LessThanOrEqual(p.Maintenance) {
		errs = append(errs, fmt.Errorf("rebalance threshold %s: must exceed the maintenance rate %s, or liquidation comes first", p.RebalanceBelow, p.Maintenance))
	}
	if p.OnDelivery != DeliverFlat && p.OnDelivery != DeliverRoll {
		errs = append(errs, fmt.Errorf("on-delivery %q: want flat or roll", p.OnDelivery))
	}
	r := p.Rules
	if r.FundingLookback < 1 {
		errs = append(errs, fmt.Errorf("funding lookback %d: want at least 1", r.FundingLookback))
	}
	if (r.FundingEnter == nil) != (r.FundingExit == nil) {
		errs = append(errs, errors.New("funding rule: set both the entry and the exit threshold"))
	} else if r.FundingEnter != nil && *r.FundingExit > *r.FundingEnter {
		errs = append(errs, fmt.Errorf("funding rule: exit threshold %v above entry threshold %v", *r.FundingExit, *r.FundingEnter))
	}
	if (r.BasisEnter == nil) != (r.BasisExit == nil) {
		errs = append(errs, errors.New("basis rule: set both the entry and the exit threshold"))
	} else if r.BasisEnter != nil && *r.BasisExit > *r.BasisEnter {
		errs = append(errs, fmt.Errorf("basis rule: exit threshold %v above entry threshold %v", *r.BasisExit, *r.BasisEnter))
	}
	for _, th := range []struct {
		name string
		x    *float64
	}{{"funding entry", r.FundingEnter}, {"funding exit", r.FundingExit}, {"basis entry", r.BasisEnter}, {"basis exit", r.BasisExit}} {
		if _, err := thresholdOf(th.x); err != nil {
			errs = append(errs, fmt.Errorf("%s %w", th.name, err))
		}
	}
	if r.MaxHold < 0 {
		errs = append(errs, fmt.Errorf("max hold %s: must not be negative", r.MaxHold))
	}
	return errors.Join(errs...)
}
