package sweep

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"time"

	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// space is a grid's combinations computed on demand, never held. Each slot
// is a digit: a grid field with its distinct values, or a rule's entry and
// exit together (an exit is ignored while its entry is off, so the pair is
// listed as one digit). A position 0 … size−1 decodes by mixed radix into
// one entry per slot, the last slot fastest. Walking the positions in order
// meets the combinations in the order of the old eager expansion with
// every duplicate left out (a duplicate is an equal tuple of canonical
// values; keeping the first listed value of each canonical form keeps each
// tuple's first occurrence, and the positions keep their order). Tuples
// the engine refuses are skipped as they are met; the counting pass
// (count.go) records where each chunk's combination indexes start.
type space struct {
	slots    []slot
	size     int // product of the slots' entry counts
	from, to time.Time
	window   string            // "from=…;to=…", the end of every id's text
	base     strategy.Settings // what no field sets

	counted
}

// slot is one digit of a position.
type slot struct {
	first   int        // the first field it sets; a rule sets first and first+1
	entries [][]*value // per entry, one value per field it sets
	weights []int      // listed combinations of the fields' values each entry stands for
}

// tuple is one combination's values, indexed by field (ParamNames order).
type tuple [fieldCount]*value

// newSpace builds the slots from the grid's axes.
func newSpace(axes []Axis, from, to time.Time) *space {
	s := &space{size: 1, from: from, to: to, base: strategy.DefaultSettings()}
	s.window = "from=" + stamp(from) + ";to=" + stamp(to)
	table := strategy.ParamTable()
	for f := 0; f < fieldCount; f++ {
		sl := slot{first: f}
		switch {
		case f >= marketFields && table[f-marketFields].Gates != "":
			// A rule's entry, then its exit (ParamTable lists them so).
			exits := distinctValues(f+1, axes[f+1], table)
			for _, e := range distinctValues(f, axes[f], table) {
				if e.err == nil && e.param.Off {
					// Rule off: every listed exit gives this one combination.
					sl.entries = append(sl.entries, []*value{e, off})
					sl.weights = append(sl.weights, e.weight*len(axes[f+1]))
					continue
				}
				for _, x := range exits {
					sl.entries = append(sl.entries, []*value{e, x})
					sl.weights = append(sl.weights, e.weight*x.weight)
				}
			}
			f++
		default:
			for _, v := range distinctValues(f, axes[f], table) {
				sl.entries = append(sl.entries, []*value{v})
				sl.weights = append(sl.weights, v.weight)
			}
		}
		s.slots = append(s.slots, sl)
		s.size *= len(sl.entries)
	}
	return s
}

// decode sets pos to the slot entries of position at (mixed radix, the last
// slot fastest).
func (s *space) decode(at int, pos []int) {
	for k := len(s.slots) - 1; k >= 0; k-- {
		n := len(s.slots[k].entries)
		pos[k] = at % n
		at /= n
	}
}

// step moves pos to the next position, like an odometer.
func (s *space) step(pos []int) {
	for k := len(pos) - 1; k >= 0; k-- {
		if pos[k]++; pos[k] < len(s.slots[k].entries) {
			return
		}
		pos[k] = 0
	}
}

// fill sets t to the values at pos, and returns how many listed
// combinations share them.
func (s *space) fill(pos []int, t *tuple) (weight int) {
	weight = 1
	for k, sl := range s.slots {
		for j, v := range sl.entries[pos[k]] {
			t[sl.first+j] = v
		}
		weight *= sl.weights[pos[k]]
	}
	return weight
}

// market is the number of pos's market (symbol × period × contract ×
// prices × spot, the slowest slots): its series is loaded once for all its
// combinations.
func (s *space) market(pos []int) int {
	m := 0
	for k := range marketFields {
		m = m*len(s.slots[k].entries) + pos[k]
	}
	return m
}

// marketSpec is market m's series.
func (s *space) marketSpec(m int) backtest.Spec {
	pos := make([]int, len(s.slots))
	per := s.size / s.markets() // positions in a market
	s.decode(m*per, pos)
	var t tuple
	s.fill(pos, &t)
	return s.spec(&t)
}

func (s *space) markets() int {
	n := 1
	for k := range marketFields {
		n *= len(s.slots[k].entries)
	}
	return n
}

// params builds the engine's parameters of t, or says why the engine
// refuses them: the first field that does not read, in ParamNames order,
// then Params.Validate — the old expansion's checks in its order.
func (s *space) params(t *tuple) (strategy.Params, error) {
	for _, v := range t {
		if v.err != nil {
			return strategy.Params{}, v.err
		}
	}
	if err := s.spec(t).CheckSources(); err != nil {
		return strategy.Params{}, err
	}
	p := s.settings(t).Params
	return p, p.Validate()
}

// settings are the engine's parameters and the risk-free rate t sets.
func (s *space) settings(t *tuple) strategy.Settings {
	st := s.base
	for _, v := range t[marketFields:] {
		v.param.Apply(&st)
	}
	return st
}

// combination is the valid tuple t (with parameters p) as index-th
// combination.
func (s *space) combination(t *tuple, p *strategy.Params, index int) Combination {
	values := make(map[string]string, fieldCount)
	for f, v := range t {
		values[ParamNames[f]] = v.canon
	}
	// Each combination owns its thresholds, as when they were read per
	// combination.
	own := *p
	for _, th := range []**float64{&own.Rules.FundingEnter, &own.Rules.FundingExit, &own.Rules.BasisEnter, &own.Rules.BasisExit} {
		if *th != nil {
			x := **th
			*th = &x
		}
	}
	sum := s.hash(t)
	return Combination{Index: index, ID: hex.EncodeToString(sum[:8]), Values: values, Spec: s.spec(t), Params: own, RiskFree: s.settings(t).RiskFree}
}

// id is a combination's id: the first 8 bytes of its hash in hex.
func (s *space) id(t *tuple) string {
	sum := s.hash(t)
	return hex.EncodeToString(sum[:8])
}

func (s *space) spec(t *tuple) backtest.Spec {
	return backtest.Spec{Symbol: t[fSymbol].canon, Period: t[fPeriod].period, Contract: t[fContract].contract, From: s.from, To: s.to,
		Prices: t[fPrices].prices, Spot: t[fSpot].spot}
}

// hash is SHA-256 over the canonical parameters, "name=value;" in
// ParamNames order, then the window: an id is its first 8 bytes in hex.
// prices and spot are left out at their defaults, so that a grid that
// does not set them keeps the ids it had before they existed.
func (s *space) hash(t *tuple) [sha256.Size]byte {
	var b [512]byte
	buf := b[:0]
	for f, v := range t {
		if (f == fPrices || f == fSpot) && v.canon == sourceDefaults[ParamNames[f]] {
			continue
		}
		buf = append(append(append(append(buf, ParamNames[f]...), '='), v.canon...), ';')
	}
	return sha256.Sum256(append(buf, s.window...))
}

// idKey is the id as a number (its 16 hex digits), for sets of ids.
func (s *space) idKey(t *tuple) uint64 {
	sum := s.hash(t)
	return binary.BigEndian.Uint64(sum[:8])
}
