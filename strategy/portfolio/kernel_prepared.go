package portfolio

import (
	"math"
)

// Prepared is a plan in the kernel's form, built once and shared
// read-only by any number of concurrent Kernel runs. The members' prices
// and grid indexes are laid out by book point (row b holds every member's
// last index, spot and futures price at book point b), so a point's held
// pairs are read from one row instead of one array each: 20 bytes per
// (member × book point), which a sweep shares and which does not grow
// with the runs. Funding events are grouped by the member's grid point
// that settles them.
type Prepared struct {
	plan    *Plan
	m       int       // members
	idx     []int32   // [b·m + j]: member j's last grid index at or before book point b, −1 before
	spot    []float64 // [b·m + j]: its price there (0 before)
	fut     []float64
	members []kmember
	// present[b]: the members with a grid point at book point b, in
	// universe order (slices of one array).
	present [][]int32
}

// Prepare puts plan in the kernel's form.
func Prepare(plan *Plan) *Prepared {
	u := plan.Universe
	n, m := len(plan.Times), len(u.Members)
	pp := &Prepared{plan: plan, m: m, members: make([]kmember, m),
		idx: make([]int32, n*m), spot: make([]float64, n*m), fut: make([]float64, n*m)}
	for j, mem := range u.Members {
		pp.members[j] = prepareMember(mem)
		at := plan.grid.at[j]
		for b := range n {
			i := at[b]
			pp.idx[b*m+j] = i
			if i >= 0 {
				pp.spot[b*m+j], pp.fut[b*m+j] = mem.Market.Spot[i], mem.Market.Futures[i]
			}
		}
	}
	flat := make([]int32, 0, n)
	starts := make([]int, n+1)
	for b := range n {
		starts[b] = len(flat)
		for j := range m {
			if plan.grid.present(j, b) {
				flat = append(flat, int32(j))
			}
		}
	}
	starts[n] = len(flat)
	pp.present = make([][]int32, n)
	for b := range n {
		pp.present[b] = flat[starts[b]:starts[b+1]:starts[b+1]]
	}
	return pp
}

// kmember is one member's funding for the kernel.
type kmember struct {
	fut  []float64 // for a missing mark: F at a grid index
	last int       // the member's last grid index
	// evStart[i]..evStart[i+1] are the events settled at grid index i (τ
	// in (T_{i−1}, T_i]); none at index 0 (known, not received).
	evStart        []int32
	evRate, evMark []float64 // evMark NaN: missing
	evFallback     []int32   // the grid index whose F prices a missing mark
	delisted       bool
}

func prepareMember(mem Member) kmember {
	m := mem.Market
	n := len(m.Times)
	km := kmember{fut: m.Futures, last: n - 1, evStart: make([]int32, n+1), delisted: mem.Delisted}
	e := knownEvents(m, m.Times[0]) // at or before the first point: known, not received
	km.evStart[0], km.evStart[1] = 0, 0
	for i := 1; i < n; i++ {
		km.evStart[i] = int32(len(km.evRate))
		for e < len(m.Funding) && !m.Funding[e].Instant.After(m.Times[i]) {
			ev := m.Funding[e]
			mark := math.NaN()
			if ev.Mark.Valid {
				mark = ev.Mark.Float64
			}
			fallback := int32(i - 1)
			if ev.Instant.Equal(m.Times[i]) {
				fallback = int32(i)
			}
			km.evRate = append(km.evRate, ev.Rate)
			km.evMark = append(km.evMark, mark)
			km.evFallback = append(km.evFallback, fallback)
			e++
		}
	}
	km.evStart[n] = int32(len(km.evRate))
	return km
}
