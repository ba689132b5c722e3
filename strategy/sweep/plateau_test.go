package sweep

import (
	"context"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// plateauGrid: leverage × a funding rule (off, or entering at 0.03 or
// 0.06 with an exit of 0 or 0.02): 3 × (1 + 2·2) = 15 combinations.
const plateauGrid = "symbols: [BTCUSDT]\nleverage: [1, 2, 3]\nfunding_lookback: [3]\nfunding_enter: [null, 0.03, 0.06]\nfunding_exit: [0, 0.02]\n"

func plateauLayout(t *testing.T) (Expansion, *layout) {
	t.Helper()
	g, err := ParseGrid([]byte(plateauGrid))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Expand(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if ex.Len() != 15 {
		t.Fatalf("%d combinations, want 15", ex.Len())
	}
	l, err := newLayout(context.Background(), ex.space)
	if err != nil {
		t.Fatal(err)
	}
	return ex, l
}

// find is the index of the combination with these values.
func find(t *testing.T, ex Expansion, leverage, enter, exit string) int {
	t.Helper()
	for _, c := range ex.Combinations {
		if c.Values["leverage"] == leverage && c.Values["funding_enter"] == enter && (enter == "" || c.Values["funding_exit"] == exit) {
			return c.Index
		}
	}
	t.Fatalf("no combination leverage %s, enter %q, exit %q", leverage, enter, exit)
	return -1
}

// A combination's position and index agree with the walk that built it,
// and its neighbours are the combinations one listed value away on one
// parameter (the lists below are by hand from plateauGrid).
func TestLayoutNeighbours(t *testing.T) {
	ex, l := plateauLayout(t)
	for _, c := range ex.Combinations {
		p := l.positionOf(c.Index)
		if i, ok := l.indexAt(p); !ok || i != c.Index {
			t.Errorf("combination %d: position %d gives index %d, %v", c.Index, p, i, ok)
		}
		if got := ex.values(slices.Index(ParamNames, "leverage"))[l.valueAt(p, slices.Index(ParamNames, "leverage"))]; got != c.Values["leverage"] {
			t.Errorf("combination %d: leverage %s at its position, want %s", c.Index, got, c.Values["leverage"])
		}
	}
	n := 0
	l.each(func(i, p int) {
		if i != n || l.positionOf(i) != p {
			t.Errorf("each: index %d at %d, want %d at %d", i, p, n, l.positionOf(i))
		}
		n++
	})
	if n != 15 {
		t.Errorf("each visited %d combinations", n)
	}
	for _, c := range []struct {
		name             string
		lev, enter, exit string
		want             [][3]string // leverage, enter, exit
	}{
		{"inside", "2", "0.03", "0", [][3]string{{"1", "0.03", "0"}, {"3", "0.03", "0"}, {"2", "", ""}, {"2", "0.06", "0"}, {"2", "0.03", "0.02"}}},
		{"rule off: any exit of the next entry", "2", "", "", [][3]string{{"1", "", ""}, {"3", "", ""}, {"2", "0.03", "0"}, {"2", "0.03", "0.02"}}},
		{"corner", "3", "0.06", "0.02", [][3]string{{"2", "0.06", "0.02"}, {"3", "0.03", "0.02"}, {"3", "0.06", "0"}}},
	} {
		var want []int
		for _, w := range c.want {
			want = append(want, find(t, ex, w[0], w[1], w[2]))
		}
		var got []int
		for _, nb := range l.neighbours(l.positionOf(find(t, ex, c.lev, c.enter, c.exit))) {
			got = append(got, nb.index)
		}
		sort.Ints(want)
		sort.Ints(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s: neighbours %v, want %v", c.name, got, want)
		}
	}
}

// The pick passes over a best whose neighbour is liquidated and a second
// whose neighbours are far worse (1 < 4 − 0.5·4), and takes the first
// combination, in rank order, with neither: here, all the others tie at 1,
// so the lowest index whose neighbours include no liquidated one.
func TestPickSkipsSpikes(t *testing.T) {
	ex, l := plateauLayout(t)
	x := find(t, ex, "3", "0.06", "0.02") // the raw best
	w := find(t, ex, "2", "0.06", "0.02") // its neighbour, liquidated
	y := find(t, ex, "3", "0.06", "0")    // second, among metrics of 1
	sc := &rowScan{metricOf: make([]float64, 15), liquidated: make([]uint64, 1)}
	better := func(a, b float64) bool { return a > b || (math.IsNaN(b) && !math.IsNaN(a)) }
	sc.top = topRows{n: 2, better: better}
	for i := range sc.metricOf {
		sc.metricOf[i] = 1
	}
	sc.metricOf[x], sc.metricOf[y] = 5, 4
	sc.liquidated[0] |= 1 << w
	for i, m := range sc.metricOf {
		sc.top.offer(nil, rankedRow{index: i, metric: m})
	}
	p := pickPlateau(l, sc, better, false, 0.5, "sharpe")
	// By hand: index 0 is leverage 1 with the rule off; its neighbours
	// (leverage 2 off, entering at 0.03 with either exit) are not w.
	if p.RawBest != x || p.Index != 0 || !p.Plateau || p.SkippedCount != 2 {
		t.Fatalf("pick %+v, want raw best %d, pick 0 after 2 skipped", p, x)
	}
	if !strings.Contains(p.Skipped[0].Reason, "is liquidated") || !strings.Contains(p.Skipped[1].Reason, "far worse") {
		t.Errorf("reasons %q, %q", p.Skipped[0].Reason, p.Skipped[1].Reason)
	}
	// With a lower-is-better metric the same numbers make the worst the
	// best: 1 is the best, its neighbours (1, 4, 5) are not above
	// 1 + 0.5·1 only where they are 1.
	lower := func(a, b float64) bool { return a < b || (math.IsNaN(b) && !math.IsNaN(a)) }
	sc.top = topRows{n: 20, better: lower}
	for i, m := range sc.metricOf {
		sc.top.offer(nil, rankedRow{index: i, metric: m})
	}
	p = pickPlateau(l, sc, lower, true, 0.5, "volatility")
	for _, nb := range l.neighbours(l.positionOf(p.Index)) {
		if nb.index == x || nb.index == y || nb.index == w {
			t.Errorf("lower is better: pick %d neighbours %d (metric %v)", p.Index, nb.index, sc.metricOf[nb.index])
		}
	}
	if p.Index == w || !p.Plateau {
		t.Errorf("lower is better: pick %+v", p)
	}
}

// Liquidations per value: leverage 3's combinations (5 each) all
// liquidated, the others none.
func TestLiquidationsPerValue(t *testing.T) {
	ex, l := plateauLayout(t)
	sc := &rowScan{metricOf: make([]float64, 15), liquidated: make([]uint64, 1), rows: 15}
	for _, c := range ex.Combinations {
		if c.Values["leverage"] == "3" {
			sc.liquidated[0] |= 1 << c.Index
			sc.nLiquidated++
		}
	}
	got := liquidations(l, sc)
	if got.Liquidated != 5 || got.Combinations != 15 {
		t.Fatalf("%+v", got)
	}
	for _, ax := range got.ByAxis {
		total, liq := 0, 0
		for _, v := range ax.Values {
			total, liq = total+v.Combinations, liq+v.Liquidated
			if ax.Axis == "leverage" && v.Liquidated != map[string]int{"1": 0, "2": 0, "3": 5}[v.Value] {
				t.Errorf("leverage %s: %d liquidated", v.Value, v.Liquidated)
			}
		}
		if total != 15 || liq != 5 {
			t.Errorf("%s: %d combinations, %d liquidated over its values", ax.Axis, total, liq)
		}
		if ax.Axis == "funding_enter" && (ax.Values[0].Value != "off" || ax.Values[0].Combinations != 3 || ax.Values[1].Combinations != 6) {
			t.Errorf("funding_enter: %+v (by hand: off 3, 0.03 and 0.06 six each)", ax.Values)
		}
	}
}

// The histogram's bins by hand: 4 values from 0 to 3 make ⌈√4⌉ = 2 bins of
// width 1.5.
func TestHistogramBins(t *testing.T) {
	for _, c := range []struct {
		name   string
		values []float64
		edges  []float64
		counts []int
		nulls  int
	}{
		{"two bins", []float64{0, 1, 2, 3, math.NaN()}, []float64{0, 1.5, 3}, []int{2, 2}, 1},
		{"the maximum in the last bin", []float64{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}, []float64{0, 0.225, 0.45, 0.675, 0.9}, []int{3, 2, 2, 3}, 0},
		{"equal values", []float64{2, 2}, []float64{2, 2}, []int{2}, 0},
	} {
		h := histogramOf(c.values, "m")
		if h.Nulls != c.nulls || !slices.Equal(h.Counts, c.counts) || len(h.Edges) != len(c.edges) {
			t.Errorf("%s: %+v", c.name, h)
			continue
		}
		for k := range h.Edges {
			if math.Abs(h.Edges[k]-c.edges[k]) > 1e-12 {
				t.Errorf("%s: edges %v, want %v", c.name, h.Edges, c.edges)
			}
		}
	}
	if histogramOf([]float64{math.NaN()}, "m") != nil {
		t.Error("no value: want no histogram")
	}
}

// TestHistogramBinsFollowTheirEdges: every value is counted in the bin
// whose stored edges hold it, [Edges[k], Edges[k+1]) (the last closed),
// on grids of decimal steps where (v − lo)/width rounds across an edge.
func TestHistogramBinsFollowTheirEdges(t *testing.T) {
	for _, c := range []struct{ lo, step float64 }{{0.1, 0.1}, {0.3, 0.07}, {-1.1, 0.3}, {0, 0.05}, {1e-4, 1e-4}} {
		for n := 4; n <= 60; n++ {
			values := make([]float64, n)
			for i := range values {
				values[i] = c.lo + float64(i)*c.step
			}
			h := histogramOf(values, "m")
			want := make([]int, len(h.Counts))
			for _, v := range values {
				k := len(h.Counts) - 1
				for j := range h.Counts {
					if v >= h.Edges[j] && v < h.Edges[j+1] {
						k = j
						break
					}
				}
				want[k]++
			}
			if !slices.Equal(h.Counts, want) {
				t.Fatalf("lo %v step %v n %d: counts %v, by the edges %v", c.lo, c.step, n, h.Counts, want)
			}
		}
	}
}
