package sweep

import (
	"fmt"

	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// validateFields refuses, when the grid is read, a numeric value that no
// combination could use: not finite (NaN, ±Inf, beyond float64), negative
// where a negative means nothing, or outside the range the engine computes
// in (strategy.Param.Check) — so a sweep never starts on it. Values that do
// not read as numbers at all, and those the engine refuses in combination
// with others, stay with the expansion: their combinations are left out and
// counted as invalid, with the reason.
func validateFields(g *Grid) error {
	// The price sources are words from a short list: a misspelt one is a
	// mistake in the file, not a combination to count out.
	for _, v := range g.Prices {
		if _, err := backtest.ParsePriceSource(v); err != nil {
			return fmt.Errorf("prices: %w", err)
		}
	}
	for _, v := range g.Spot {
		if _, err := backtest.ParseSpotSource(v); err != nil {
			return fmt.Errorf("spot: %w", err)
		}
	}
	for _, p := range strategy.ParamTable() {
		for _, v := range g.Params[p.Name] {
			if err := p.Check(v, strategy.FromGrid); err != nil {
				return err
			}
		}
	}
	return nil
}
