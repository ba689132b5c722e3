package book

import (
	"fmt"
	"strconv"

	"github.com/carry-research/carry/strategy/portfolio"
)

// ParamWarnings are what a run's parameters add to its universe's warnings
// (LoadedUniverse.Warnings, which the loader writes without knowing them):
// each member the liquidity filter can never admit, for want of quote
// volumes in the lake, named, so that a pair the book never holds is not
// a mystery. Such a member stays in the universe, never eligible; the run
// is not refused (a pair priced by the basis is normal on a real lake).
func ParamWarnings(u *portfolio.Universe, p portfolio.Params) []string {
	var out []string
	for _, sym := range portfolio.WithoutQuoteVolume(u, p) {
		out = append(out, fmt.Sprintf("%s: the lake has no quote volume of it (no futures candles of the period: it is priced by the basis), so --min-volume %s never admits it: it is never held",
			sym, strconv.FormatFloat(p.MinQuoteVolume, 'f', -1, 64)))
	}
	return out
}
