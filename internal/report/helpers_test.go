package report

import "github.com/carry-research/carry/strategy/backtest"

// namedOf are the sections' backtests, whose files the commands write
// before the report.
func namedOf(sections []Section) []backtest.Named {
	out := make([]backtest.Named, len(sections))
	for i, s := range sections {
		out[i] = s.Named
	}
	return out
}
