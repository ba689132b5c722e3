package backtestcmd

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/spf13/pflag"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// ParamFlags are the engine's parameters as flags, shared by every command
// that runs the engine.
type ParamFlags struct {
	Capital, Leverage, SpotFee, PerpFee, Slippage, Maintenance, RebalanceBelow string
	OnDelivery                                                                 string
	FundingLookback                                                            int
	FundingEnter, FundingExit, BasisEnter, BasisExit                           string
	MaxHold                                                                    string
	RiskFree                                                                   string
}

// Add binds the flags with the model's defaults (docs/model.md).
func (f *ParamFlags) Add(fs *pflag.FlagSet) {
	fs.StringVar(&f.Capital, "capital", "10000", "starting capital C (USDT)")
	fs.StringVar(&f.Leverage, "leverage", "1", "leverage L of the short leg (1/L must exceed --maintenance)")
	fs.StringVar(&f.SpotFee, "spot-fee", "0.001", "spot fee per fill (fraction or %, e.g. 0.1%)")
	fs.StringVar(&f.PerpFee, "perp-fee", "0.0005", "futures fee per fill (taker)")
	fs.StringVar(&f.Slippage, "slippage", "0.0001", "slippage per fill (1 bp = 0.0001)")
	fs.StringVar(&f.Maintenance, "maintenance", "0.004", "maintenance margin rate m")
	fs.StringVar(&f.RebalanceBelow, "rebalance-below", "0", "rebalance when the margin ratio falls below this (0: never)")
	fs.StringVar(&f.OnDelivery, "on-delivery", "flat", "dated contracts at delivery: flat or roll")
	fs.IntVar(&f.FundingLookback, "funding-lookback", 3, "N: events in the funding signal")
	fs.StringVar(&f.FundingEnter, "funding-enter", "", "enter when the mean annualized funding of the last N events ≥ this (e.g. 10%); needs --funding-exit")
	fs.StringVar(&f.FundingExit, "funding-exit", "", "exit when it is ≤ this")
	fs.StringVar(&f.BasisEnter, "basis-enter", "", "enter when the annualized basis ≥ this; needs --basis-exit")
	fs.StringVar(&f.BasisExit, "basis-exit", "", "exit when it is ≤ this")
	fs.StringVar(&f.MaxHold, "max-hold", "", "exit a position held this long (e.g. 72h, 14d)")
	fs.StringVar(&f.RiskFree, "risk-free", "0", "annual risk-free rate for Sharpe and Sortino")
}

// fraction parses "0.001", "0.1%" or "10%".
func fraction(flag, s string) (decimal.Decimal, error) {
	s = strings.TrimSpace(s)
	scale := decimal.NewFromInt(1)
	if strings.HasSuffix(s, "%") {
		s, scale = strings.TrimSuffix(s, "%"), decimal.RequireFromString("0.01")
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("--%s %q: not a number", flag, s)
	}
	return d.Mul(scale), nil
}

func optional(flag, s string) (*float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	d, err := fraction(flag, s)
	if err != nil {
		return nil, err
	}
	v := d.InexactFloat64()
	return &v, nil
}

// Params converts and validates the flags.
func (f *ParamFlags) Params() (strategy.Params, float64, error) {
	p := strategy.DefaultParams()
	if err := f.checkBounds(); err != nil {
		return p, 0, err
	}
	for _, x := range []struct {
		flag string
		src  string
		dst  *decimal.Decimal
	}{{"capital", f.Capital, &p.Capital}, {"leverage", f.Leverage, &p.Leverage}, {"spot-fee", f.SpotFee, &p.SpotFee},
		{"perp-fee", f.PerpFee, &p.PerpFee}, {"slippage", f.Slippage, &p.Slippage}, {"maintenance", f.Maintenance, &p.Maintenance},
		{"rebalance-below", f.RebalanceBelow, &p.RebalanceBelow}} {
		v, err := fraction(x.flag, x.src)
		if err != nil {
			return p, 0, err
		}
		*x.dst = v
	}
	p.OnDelivery = strategy.OnDelivery(f.OnDelivery)
	p.Rules.FundingLookback = f.FundingLookback
	var err error
	for _, x := range []struct {
		flag, src string
		dst       **float64
	}{{"funding-enter", f.FundingEnter, &p.Rules.FundingEnter}, {"funding-exit", f.FundingExit, &p.Rules.FundingExit},
		{"basis-enter", f.BasisEnter, &p.Rules.BasisEnter}, {"basis-exit", f.BasisExit, &p.Rules.BasisExit}} {
		if *x.dst, err = optional(x.flag, x.src); err != nil {
			return p, 0, err
		}
	}
	if f.MaxHold != "" {
		if p.Rules.MaxHold, err = data.ParseDuration(f.MaxHold); err != nil || p.Rules.MaxHold <= 0 {
			return p, 0, fmt.Errorf("--max-hold %q: want a positive duration such as 72h or 14d", f.MaxHold)
		}
	}
	rf, err := fraction("risk-free", f.RiskFree)
	if err != nil {
		return p, 0, err
	}
	if err := p.Validate(); err != nil {
		return p, 0, err
	}
	return p, rf.InexactFloat64(), nil
}
