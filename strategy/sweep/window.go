package sweep

import (
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Warnings are what a sweep warns of before it runs, on stderr and in its
// report, as carry backtest does for one run: grid values that are almost
// surely slips of units (strategy.Param.Slip: an annualized threshold
// beyond ±100 %/yr), then, when the grid names a window, each market whose
// data the window is clamped to (backtest.ClampWarnings: the lake's data
// start after from or end before to; the combinations run on what the lake
// holds, as a backtest does). A market whose series does not load is left
// to the run, which reports it; lake may be nil (no clamping is checked).
func (g *Grid) Warnings(store *lake.Lake) []string {
	var out []string
	seen := map[string]bool{}
	add := func(w string) {
		if w != "" && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	for _, p := range strategy.ParamTable() {
		for _, v := range g.Params[p.Name] {
			add(p.Slip(v, strategy.FromGrid))
		}
	}
	if store == nil || (g.From == "" && g.To == "") {
		return out
	}
	var base backtest.Spec
	var err error
	if g.From != "" {
		if base.From, err = data.ParseDate(g.From); err != nil {
			return out // the expansion refuses it
		}
	}
	if g.To != "" {
		if base.To, err = data.ParseDate(g.To); err != nil {
			return out
		}
	}
	loaded := map[backtest.Spec]bool{}
	for _, spec := range marketSpecs(g.axes(), base) {
		if loaded[spec] || spec.CheckSources() != nil {
			continue
		}
		loaded[spec] = true
		ld, err := backtest.Load(store, spec)
		if err != nil {
			continue
		}
		for _, w := range backtest.ClampWarnings(spec, ld.Market.Times) {
			add(w)
		}
	}
	return out
}
