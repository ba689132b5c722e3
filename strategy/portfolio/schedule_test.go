package portfolio

import (
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/strategy"
)

func TestRebalancePoints(t *testing.T) {
	hourly := engMarket("AUSDT", 5, 1, 60, engConst(100), engConst(100)) // 05:00 Mar 1 … 16:00 Mar 3
	eight := engMarket("BUSDT", -2, 8, 8, engConst(100), engConst(100))  // 22:00 Feb 28, 06:00, 14:00, 22:00, …
	hourly2 := *hourly
	hourly2.Symbol = "CUSDT"
	withEvents := func(m *strategy.Market, hs ...float64) *strategy.Market {
		c := *m
		for _, h := range hs {
			c.Funding = append(c.Funding, engEvent(h, 0.0001, 100))
		}
		return &c
	}
	cases := []struct {
		name string
		u    *Universe
		s    Schedule
		want []int
	}{
		// The first point (05:00), then 00:00 UTC of Mar 2 (19 h later) and
		// Mar 3 (43 h later); the last point (index 59) is never one.
		{"1d on an hourly grid from 05:00", &Universe{Members: []Member{{Market: hourly}}}, Schedule{Every: 24 * time.Hour}, []int{0, 19, 43}},
		// 8h grid at 22:00, 06:00, 14:00, 22:00, 06:00, …: midnight of
		// Mar 1 and Mar 2 is acted on at the next point, 06:00 (indexes 1, 4).
		{"1d on an 8h grid off midnight", &Universe{Members: []Member{{Market: eight}}}, Schedule{Every: 24 * time.Hour}, []int{0, 1, 4}},
		// 8h multiples are 00:00, 08:00, 16:00: each 8h interval of the grid
		// holds exactly one, so every point rebalances but the last.
		{"8h on an 8h grid off the multiples", &Universe{Members: []Member{{Market: eight}}}, Schedule{Every: 8 * time.Hour}, []int{0, 1, 2, 3, 4, 5, 6}},
		// Funding at 07:00 (grid point 2), 09:30 and 09:45 (one point, 10:00
		// = index 5), before the grid (the first point) and after it (none).
		{"on funding", &Universe{Members: []Member{{Market: withEvents(hourly, -3, 7, 9.5, 9.75, 100)}}}, Schedule{OnFunding: true}, []int{0, 2, 5}},
		// Two members on one grid, each's events (07:00 → 2, 30.5 h → 31 h =
		// index 26), and the union with the daily points.
		{"on funding of any member, and 1d", &Universe{Members: []Member{{Market: withEvents(hourly, 7)}, {Market: withEvents(&hourly2, 30.5)}}},
			Schedule{Every: 24 * time.Hour, OnFunding: true}, []int{0, 2, 19, 26, 43}},
	}
	for _, c := range cases {
		g := newBookGrid(c.u)
		if got := rebalancePoints(g.times, c.s, c.u); !slices.Equal(got, c.want) {
			t.Errorf("%s: points %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBookGridPresence(t *testing.T) {
	a := engMarket("AUSDT", 0, 1, 4, engConst(100), engConst(100))   // 0 1 2 3
	b := engMarket("BUSDT", 1.5, 1, 3, engConst(100), engConst(100)) // 1.5 2.5 3.5
	g := newBookGrid(&Universe{Members: []Member{{Market: a}, {Market: b}}})
	// Union: 0 1 1.5 2 2.5 3 3.5.
	if len(g.times) != 7 {
		t.Fatalf("book grid has %d points, want 7", len(g.times))
	}
	wantIndex := [][]int{{0, 1, 1, 2, 2, 3, 3}, {-1, -1, 0, 0, 1, 1, 2}}
	wantPresent := [][]bool{{true, true, false, true, false, true, false}, {false, false, true, false, true, false, true}}
	for j := range 2 {
		for k := range 7 {
			if g.index(j, k) != wantIndex[j][k] || g.present(j, k) != wantPresent[j][k] {
				t.Errorf("member %d at book point %d: index %d present %v, want %d %v", j, k, g.index(j, k), g.present(j, k), wantIndex[j][k], wantPresent[j][k])
			}
		}
	}
}
