package sweep

import (
	"fmt"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
)

// CheckSplit loads the series of each market of the grid (symbol × period
// × contract × prices × spot, in its window) and says whether split leaves at least two
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
	seen := map[backtest.Spec]bool{}
	for _, spec := range marketSpecs(g.axes(), spec) {
		if seen[spec] || spec.CheckSources() != nil {
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
	return nil
}

// marketSpecs are the markets of a grid's axes (its market fields, the
// first of ParamNames) in enumeration order, each in base's window; values
// that do not read are left out.
func marketSpecs(axes []Axis, base backtest.Spec) []backtest.Spec {
	specs := []backtest.Spec{base}
	for f := range marketFields {
		var next []backtest.Spec
		for _, sp := range specs {
			for _, raw := range axes[f] {
				v := readValue(f, raw, nil)
				if v.err != nil {
					continue
				}
				switch f {
				case fSymbol:
					sp.Symbol = v.canon
				case fPeriod:
					sp.Period = v.period
				case fContract:
					sp.Contract = v.contract
				case fPrices:
					sp.Prices = v.prices
				case fSpot:
					sp.Spot = v.spot
				}
				next = append(next, sp)
			}
		}
		specs = next
	}
	return specs
}
