package backtest

import (
	"fmt"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
)

// Run is one backtest: the data it ran on, the engine's full record and its
// summary. It is what `carry backtest` computes for each symbol, as a
// library call for notebooks and scripts.
type Run struct {
	*Loaded
	Result  *strategy.Result
	Summary Summary
}

// Execute loads spec from the lake, runs the exact engine with p and
// summarizes it with the annual risk-free rate.
func Execute(lake *lake.Lake, spec Spec, p strategy.Params, riskFree float64) (*Run, error) {
	ld, err := Load(lake, spec)
	if err != nil {
		return nil, err
	}
	res, err := strategy.Run(ld.Market, p)
	if err != nil {
		return nil, fmt.Errorf("%s %s %s: %w", spec.Symbol, spec.Contract, spec.Period, err)
	}
	sum, err := Summarize(res, riskFree)
	if err != nil {
		return nil, err
	}
	return &Run{Loaded: ld, Result: res, Summary: sum}, nil
}

// Charts draws the run's charts (see RunCharts).
func (r *Run) Charts(label string, o chart.Options) ([]Chart, error) {
	return RunCharts(r.Result, label, o)
}
