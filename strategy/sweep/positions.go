package sweep

import (
	"context"
	"math/bits"
	"runtime"
	"sort"

	"github.com/carry-research/carry/strategy"
)

// layout places combinations on the grid by arithmetic: a combination's
// index is its rank among the valid positions of the mixed-radix grid
// (space), and a position's digits are its slots' entries. One walk over
// the positions (on all cores) marks the valid ones, a bit each; after it,
// index → position, position → index and a position's values are a few
// operations each, with nothing held per combination but that bit.
type layout struct {
	s      *space
	stride []int      // positions between consecutive entries of each slot
	valid  [][]uint64 // per chunk, a bit per position: a valid combination
	// valuePos is, per slot, entry and field the slot sets, the value's
	// position among the field's values (space.values).
	valuePos [][][]int32
	slotOf   [fieldCount]int // the slot that sets each field
	// pairPos is, for a rule's slot, each entry's (entry value, exit
	// value) positions in their listed order; the exit's is −1 when the
	// rule is off. For a one-field slot, the entry's own position.
	pairPos [][][2]int
}

// newLayout walks the grid's positions once and marks the valid ones.
func newLayout(ctx context.Context, s *space) (*layout, error) {
	g := &layout{s: s, stride: make([]int, len(s.slots)), valid: make([][]uint64, s.chunks())}
	st := 1
	for k := len(s.slots) - 1; k >= 0; k-- {
		g.stride[k] = st
		st *= len(s.slots[k].entries)
	}
	pos := make([]map[string]int, fieldCount)
	for f := range pos {
		pos[f] = positions(s.values[f])
	}
	for k, sl := range s.slots {
		g.valuePos = append(g.valuePos, make([][]int32, len(sl.entries)))
		g.pairPos = append(g.pairPos, make([][2]int, len(sl.entries)))
		seen := [2]map[*value]int{{}, {}}
		for e, vs := range sl.entries {
			g.valuePos[k][e] = make([]int32, len(vs))
			g.pairPos[k][e] = [2]int{-1, -1}
			for j, v := range vs {
				g.slotOf[sl.first+j] = k
				p, ok := pos[sl.first+j][v.canon]
				if !ok {
					p = -1 // a value no valid combination holds
				}
				g.valuePos[k][e][j] = int32(p)
				if v == off {
					continue
				}
				if _, ok := seen[j][v]; !ok {
					seen[j][v] = len(seen[j])
				}
				g.pairPos[k][e][j] = seen[j][v]
			}
		}
	}
	err := forEachChunk(ctx, s.chunks(), runtime.GOMAXPROCS(0), nil, func(ctx context.Context, _, c int) error {
		bitsOf := make([]uint64, (s.chunkLen+63)/64)
		n := 0
		err := s.tuples(ctx, c, func(_ []int, _ *tuple, _ int, _ *strategy.Params, err error) error {
			if err == nil {
				bitsOf[n/64] |= 1 << (n % 64)
			}
			n++
			return nil
		})
		g.valid[c] = bitsOf
		return err
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// entry is slot k's entry at position p.
func (g *layout) entry(p, k int) int { return p / g.stride[k] % len(g.s.slots[k].entries) }

// valueAt is the position of field f's value at position p among the
// field's values.
func (g *layout) valueAt(p, f int) int32 {
	k := g.slotOf[f]
	return g.valuePos[k][g.entry(p, k)][f-g.s.slots[k].first]
}

// indexAt is the combination index of position p, and whether p is a
// valid combination.
func (g *layout) indexAt(p int) (int, bool) {
	if p < 0 || p >= g.s.size {
		return 0, false
	}
	c, off := p/g.s.chunkLen, p%g.s.chunkLen
	b := g.valid[c]
	if b[off/64]&(1<<(off%64)) == 0 {
		return 0, false
	}
	n := g.s.chunkFirst[c]
	for w := range off / 64 {
		n += bits.OnesCount64(b[w])
	}
	return n + bits.OnesCount64(b[off/64]&(1<<(off%64)-1)), true
}

// positionOf is the position of combination index i (0 ≤ i < count).
func (g *layout) positionOf(i int) int {
	s := g.s
	c := sort.Search(s.chunks(), func(c int) bool { return s.chunkFirst[c+1] > i })
	k := i - s.chunkFirst[c]
	for w, word := range g.valid[c] {
		if n := bits.OnesCount64(word); k >= n {
			k -= n
			continue
		}
		for ; ; k-- {
			b := bits.TrailingZeros64(word)
			if k == 0 {
				return c*s.chunkLen + w*64 + b
			}
			word &= word - 1
		}
	}
	panic("sweep: combination index beyond its chunk")
}

// each calls fn with every combination's index and position, in order.
func (g *layout) each(fn func(index, p int)) {
	index := 0
	for c, b := range g.valid {
		for w, word := range b {
			for word != 0 {
				fn(index, c*g.s.chunkLen+w*64+bits.TrailingZeros64(word))
				index++
				word &= word - 1
			}
		}
	}
}

// neighbour is a combination one grid step from another: on field, from
// one value to the next or the previous as the grid lists them.
type neighbour struct {
	index    int
	field    string
	from, to string // the field's values
}

// neighbours are the valid combinations one step from position p on an
// engine parameter that varies (the market's fields — symbol, period,
// contract, prices, spot — have no order: they are not steps). A rule's
// entry and exit share a slot: a step on the entry keeps the exit (any
// exit when the rule is switched on or off), a step on the exit keeps the
// entry.
func (g *layout) neighbours(p int) []neighbour {
	var out []neighbour
	for k := marketFields; k < len(g.s.slots); k++ {
		sl := g.s.slots[k]
		if len(sl.entries) < 2 {
			continue
		}
		e := g.entry(p, k)
		a := g.pairPos[k][e]
		for e2 := range sl.entries {
			b := g.pairPos[k][e2]
			step := -1 // the field of the slot stepped on
			switch {
			case e2 == e:
			case len(sl.entries[e]) == 1:
				if abs(a[0]-b[0]) == 1 {
					step = 0
				}
			case abs(a[0]-b[0]) == 1 && (a[1] == b[1] || a[1] < 0 || b[1] < 0):
				step = 0
			case a[0] == b[0] && a[1] >= 0 && b[1] >= 0 && abs(a[1]-b[1]) == 1:
				step = 1
			}
			if step < 0 {
				continue
			}
			q := p + (e2-e)*g.stride[k]
			i, ok := g.indexAt(q)
			if !ok {
				continue
			}
			out = append(out, neighbour{index: i, field: ParamNames[sl.first+step],
				from: shown(sl.entries[e][step].canon), to: shown(sl.entries[e2][step].canon)})
		}
	}
	return out
}

// shown is a value as the analyses print it: "off" for a rule that is off.
func shown(v string) string {
	if v == "" {
		return "off"
	}
	return v
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
