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
	var all []time.Time
	for _, mem := range u.Members {
		all = append(all, mem.Market.Times...)
	}
	slices.SortFunc(all, time.Time.Compare)
	all = slices.CompactFunc(all, time.Time.Equal)
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
