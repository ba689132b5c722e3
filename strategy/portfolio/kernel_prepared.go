package portfolio

import (
	"github.com/carry-research/carry/strategy"
)

// Prepared is a plan in the kernel's form, built once and shared
// read-only by any number of concurrent Kernel runs. Everything a run
// reads at a point is laid out by book point (row b holds every member's
// cell at book point b), so a point's held pairs are read from one row
// instead of one array each: per (member × book point) its last spot and
// futures prices, the funding a unit of its short receives there
// (Σ rate × mark of the events the point settles, a missing mark read as
// F as Run reads it) and two flags — 25 bytes a cell, 65 MB for 100
// symbols × 3 years hourly, shared by a sweep's runs and not growing with
// them.
type Prepared struct {
	plan       *Plan
	m          int       // members
	spot, fut  []float64 // [b·m + j]: member j's last prices at or before book point b (0 before)
	fundPerQty []float64 // [b·m + j]: funding a unit of short receives at b
	flags      []uint8   // [b·m + j]: cellPresent, cellLeaving
	delisted   []bool
	// present[b]: the members with a grid point at book point b, in
	// universe order (slices of one array).
	present [][]int32
}

// A cell's flags.
const (
	cellPresent uint8 = 1 << iota // the member has a grid point here
	cellLeaving                   // … its last one
)

// Prepare puts plan in the kernel's form.
func Prepare(plan *Plan) *Prepared {
	u := plan.Universe
	n, m := len(plan.Times), len(u.Members)
	pp := &Prepared{plan: plan, m: m, spot: make([]float64, n*m), fut: make([]float64, n*m),
		fundPerQty: make([]float64, n*m), flags: make([]uint8, n*m), delisted: make([]bool, m)}
	flat := make([]int32, 0, n)
	for j, mem := range u.Members {
		pp.delisted[j] = mem.Delisted
		mk := mem.Market
		fund := fundingPerQty(mk)
		at := plan.grid.at[j]
		for b := range n {
			i := at[b]
			if i < 0 {
				continue
			}
			c := b*m + j
			pp.spot[c], pp.fut[c] = mk.Spot[i], mk.Futures[i]
			if plan.grid.present(j, b) {
				pp.flags[c] = cellPresent
				pp.fundPerQty[c] = fund[i]
				if int(i) == len(mk.Times)-1 {
					pp.flags[c] |= cellLeaving
				}
			}
		}
	}
	starts := make([]int, n+1)
	for b := range n {
		starts[b] = len(flat)
		for j := range m {
			if pp.flags[b*m+j]&cellPresent != 0 {
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

// fundingPerQty is, per grid index i of m, Σ rate × mark over the events
// with τ in (T_{i−1}, T_i] (none at i = 0: those are known, not
// received), a missing mark read as F at the last grid point at or before
// τ — what a unit of short receives there.
func fundingPerQty(m *strategy.Market) []float64 {
	n := len(m.Times)
	out := make([]float64, n)
	e := knownEvents(m, m.Times[0])
	for i := 1; i < n; i++ {
		for e < len(m.Funding) && !m.Funding[e].Instant.After(m.Times[i]) {
			ev := m.Funding[e]
			mark := ev.Mark.Float64
			if !ev.Mark.Valid {
				mark = m.Futures[i-1]
				if ev.Instant.Equal(m.Times[i]) {
					mark = m.Futures[i]
				}
			}
			out[i] += mark * ev.Rate
			e++
		}
	}
	return out
}
