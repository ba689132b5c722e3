package portfolio

import (
	"slices"
	"time"
)

// bookGrid is the union of the members' grids (spec point 1) and, for
// every member and book point, where the member is: at[j][k] is member
// j's last grid index at or before book point k, −1 before its first.
// Memory grows with members × grid points, which a sweep shares.
type bookGrid struct {
	times []time.Time
	at    [][]int32
}

func newBookGrid(u *Universe) bookGrid {
	// The union in Unix nanoseconds (the members' grids are whole
	// milliseconds in practice, all within int64's range): sorting
	// integers is several times faster than sorting times.
	total := 0
	for _, mem := range u.Members {
		total += len(mem.Market.Times)
	}
	ns := make([]int64, 0, total)
	for _, mem := range u.Members {
		for _, t := range mem.Market.Times {
			ns = append(ns, t.UnixNano())
		}
	}
	slices.Sort(ns)
	ns = slices.Compact(ns)
	all := make([]time.Time, len(ns))
	for k, x := range ns {
		all[k] = time.Unix(0, x).UTC()
	}
	g := bookGrid{times: all, at: make([][]int32, len(u.Members))}
	for j, mem := range u.Members {
		ts := mem.Market.Times
		at := make([]int32, len(all))
		i := -1
		for k, t := range all {
			for i+1 < len(ts) && !ts[i+1].After(t) {
				i++
			}
			at[k] = int32(i)
		}
		g.at[j] = at
	}
	return g
}

// index is member j's last grid index at or before book point k, −1 if
// it has not entered yet.
func (g *bookGrid) index(j, k int) int { return int(g.at[j][k]) }

// present reports whether member j has a grid point at book point k: its
// index there is new (member grids are strictly increasing and all in the
// union, so each index first appears at its own time).
func (g *bookGrid) present(j, k int) bool {
	i := g.at[j][k]
	return i >= 0 && (k == 0 || g.at[j][k-1] != i)
}
