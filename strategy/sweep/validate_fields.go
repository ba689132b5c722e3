package sweep

import "github.com/carry-research/carry/strategy"

// validateFields refuses, when the grid is read, a numeric value that no
// combination could use: not finite (NaN, ±Inf, beyond float64), negative
// where a negative means nothing, or outside the range the engine computes
// in (strategy.Param.Check) — so a sweep never starts on it. Values that do
// not read as numbers at all, and those the engine refuses in combination
// with others, stay with the expansion: their combinations are left out and
// counted as invalid, with the reason.
func validateFields(g *Grid) error {
	for _, p := range strategy.ParamTable() {
		for _, v := range g.Params[p.Name] {
			if err := p.Check(v, strategy.FromGrid); err != nil {
				return err
			}
		}
	}
	return nil
}
