package backtest

import (
	"fmt"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
)

// Outcome is what one backtest produced: the data it read, the engine's
// full record and its summary.
type Outcome struct {
	*Loaded
	Result  *strategy.Result
	Summary Summary
}

// Simulate loads spec from the lake, runs the exact engine with p and
// summarizes the result with the annual risk-free rate: what `carry
// backtest` does for each symbol, as a library call for notebooks and
// scripts.
func Simulate(lake *lake.Lake, spec Spec, p strategy.Params, riskFree float64) (*Outcome, error) {
	ld, err := Load(lake, spec)
	if err != nil {
		return nil, err
	}
	res, err := strategy.Run(ld.Market, p)
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: %w", spec.Symbol, spec.Contract, spec.Period, err)
	}
	sum, err := SummaryOf(res, riskFree)
	if err != nil {
		return nil, err
	}
	return &Outcome{Loaded: ld, Result: res, Summary: sum}, nil
}
