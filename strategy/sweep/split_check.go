package sweep

import (
	"fmt"
	"strings"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
)

// CheckSplit loads the series of each market of the grid (symbol × period
// × contract, in its window) and says whether split leaves at least two
// grid points on each side of every one, as Compute needs: checked
// before a sweep computes or writes anything. A market whose series does
// not load is left to the run, which reports it.
func (g *Grid) CheckSplit(lake *lake.Lake, split *Split) error {
	if split == nil {
		return nil
	}
	var spec backtest.Spec
	var err error
	if g.From != "" {
		if spec.From, err = data.ParseDate(g.From); err != nil {
			return fmt.Errorf("grid from: %w", err)
		}
	}
	if g.To != "" {
		if spec.To, err = data.ParseDate(g.To); err != nil {
			return fmt.Errorf("grid to: %w", err)
		}
	}
	axes := g.axes() // symbols, periods, contracts first (ParamNames)
	seen := map[backtest.Spec]bool{}
	for _, sym := range axes[0] {
		if spec.Symbol = strings.ToUpper(sym); data.ValidateSymbol(spec.Symbol) != nil {
			continue
		}
		for _, p := range axes[1] {
			if spec.Period, err = data.ParsePeriod(p); err != nil {
				continue
			}
			for _, c := range axes[2] {
				if spec.Contract, err = data.ParseContractType(c); err != nil || seen[spec] {
					continue
				}
				seen[spec] = true
				ld, err := backtest.Load(lake, spec)
				if err != nil {
					continue
				}
				times := ld.Market.Times
				if len(times) == 0 {
					continue
				}
				cut := split.cut(times)
				in := 0
				for in < len(times) && !times[in].After(cut) {
					in++
				}
				if in < 2 || len(times)-in < 2 {
					return fmt.Errorf("%s leaves %d grid points in-sample and %d out-of-sample of %s %s %s (2 are needed on each side)",
						split, in, len(times)-in, spec.Symbol, spec.Contract, spec.Period)
				}
			}
		}
	}
	return nil
}
