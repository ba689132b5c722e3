package portfolio

import (
	"math"
	"math/big"
	"slices"
	"strings"
)

// candidate is an eligible member at a rebalance point with its exact
// signal and, for inverse-vol weights, its carry volatility.
type candidate struct {
	j   int
	sig *big.Rat // the exact signal; nil when units holds it
	// units is the funding signal as fundingUnits' integer sum, and f its
	// value rounded to float64 (units path only).
	units int64
	f     float64
	vol   float64
}

// float is the signal rounded to float64.
func (c candidate) float() float64 {
	if c.sig == nil {
		return c.f
	}
	f, _ := c.sig.Float64()
	return f
}

// cmp compares two candidates' signals exactly (both on the same path).
func (c candidate) cmp(o candidate) int {
	if c.sig == nil {
		return cmpInt(c.units, o.units)
	}
	return c.sig.Cmp(o.sig)
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// threshold is MinSignal in the candidates' terms: a rational, or the
// least integer sum reaching it on the units path.
type threshold struct {
	rat     *big.Rat // nil: no threshold, or the units path
	units   bool
	minSum  int64
	nothing bool // on the units path, no sum can reach it
}

func newThreshold(th *big.Rat, fu *fundingUnits, n int) threshold {
	if th == nil || fu == nil {
		return threshold{rat: th}
	}
	ms, ok := fu.minSum(th, n)
	if !ok {
		if th.Sign() > 0 {
			return threshold{units: true, nothing: true}
		}
		return threshold{units: true, minSum: math.MinInt64}
	}
	return threshold{units: true, minSum: ms}
}

// admits reports whether c's signal is at least the threshold (a tie
// qualifies).
func (t threshold) admits(c candidate) bool {
	switch {
	case t.units:
		return !t.nothing && c.units >= t.minSum
	case t.rat == nil:
		return true
	}
	return c.sig.Cmp(t.rat) >= 0
}

// eligible is member j's candidacy at book point k (spec point 4): present,
// not at its last grid point, with MinHistory behind it (counted from
// its first data, Member.Listed), its signal
// defined, enough quote volume (none known: never, under a filter), and
// for inverse-vol a positive σ.
func (pl *planner) eligible(j, k int) (candidate, bool) {
	if !pl.grid.present(j, k) {
		return candidate{}, false
	}
	mem := pl.u.Members[j]
	m := mem.Market
	i := pl.grid.index(j, k)
	t := m.Times[i]
	if i == len(m.Times)-1 || t.Sub(mem.Listed()) < pl.p.MinHistory {
		return candidate{}, false
	}
	c := candidate{j: j}
	switch pl.p.Signal {
	case SignalFunding:
		var ok bool
		known, n := knownEvents(m, t), pl.p.Lookback
		if known < n {
			return candidate{}, false
		}
		if pl.units != nil {
			c.units = pl.units.sum(j, known, n)
			c.f = pl.units.float(c.units, n)
		} else if c.sig, ok = fundingSignal(pl.annualized[j], known, n); !ok {
			return candidate{}, false
		}
	case SignalBasis:
		c.sig = basisSignal(m, i)
	}
	if pl.p.MinQuoteVolume > 0 && (mem.QuoteVolume == nil || !(quoteVolume24h(mem.QuoteVolume, m.Times, i) >= pl.p.MinQuoteVolume)) {
		return candidate{}, false
	}
	if pl.p.Weights == WeightInverseVol {
		v, ok := carryVol(pl.carry[j], m.Times, i, pl.p.VolWindow)
		if !ok || !(v > 0) {
			return candidate{}, false
		}
		c.vol = v
	}
	return c, true
}

// selectTop keeps the candidates whose signal is at least the threshold
// (exactly; a tie qualifies; nil: no threshold), ranked by signal
// descending, ties by symbol ascending, the first top of them (spec
// point 6).
func selectTop(cands []candidate, th threshold, top int, symbol func(j int) string) []candidate {
	kept := make([]candidate, 0, len(cands))
	for _, c := range cands {
		if th.admits(c) {
			kept = append(kept, c)
		}
	}
	slices.SortStableFunc(kept, func(a, b candidate) int {
		if c := b.cmp(a); c != 0 {
			return c
		}
		return strings.Compare(symbol(a.j), symbol(b.j))
	})
	return kept[:min(top, len(kept))]
}

// targetWeights sets w[j] of the kept members (spec point 7); w is zero
// on entry. The float64 operations and their order are the model's: the
// float kernel shares these weights.
func targetWeights(w []float64, kept []candidate, signal []float64, by Weighting, top int, cap float64) {
	k := float64(top)
	switch by {
	case WeightEqual:
		for _, c := range kept {
			w[c.j] = 1 / k
		}
	case WeightSignal:
		// Members with a signal ≤ 0 are dropped: n counts the others.
		n, sum := 0, 0.0
		for _, c := range kept {
			if s := signal[c.j]; s > 0 {
				n++
				sum += s
			}
		}
		for _, c := range kept {
			if s := signal[c.j]; s > 0 {
				w[c.j] = float64(n) / k * s / sum
			}
		}
	case WeightInverseVol:
		sum := 0.0
		for _, c := range kept {
			sum += 1 / c.vol
		}
		for _, c := range kept {
			w[c.j] = float64(len(kept)) / k * (1 / c.vol) / sum
		}
	}
	for _, c := range kept {
		w[c.j] = math.Min(w[c.j], cap)
	}
}
