package chart

import (
	"math"
	"strings"
	"testing"
	"time"
)

// TestContributionRange: the contributions' value axis runs 6 % of the
// largest |bar| beyond the bars on each side that has some, and holds 0.
// Expected bounds by hand: bars 1000 and −200 → pad 60 → [−260, 1060];
// bars 50 and 20 → pad 3 → [0, 53]; bars −10 → pad 0.6 → [−10.6, 0].
func TestContributionRange(t *testing.T) {
	for _, c := range []struct {
		name   string
		net    []float64
		lo, hi float64
		ok     bool
	}{
		{"both sides", []float64{1000, -200, 300}, -260, 1060, true},
		{"gains only", []float64{50, 20}, 0, 53, true},
		{"losses only", []float64{-10}, -10.6, 0, true},
		{"all zero", []float64{0, 0}, 0, 0, false},
	} {
		lo, hi, ok := contributionRange(c.net)
		if ok != c.ok || math.Abs(lo-c.lo) > 1e-9 || math.Abs(hi-c.hi) > 1e-9 {
			t.Errorf("%s: [%v, %v] %v, want [%v, %v] %v", c.name, lo, hi, ok, c.lo, c.hi, c.ok)
		}
	}
}

// TestPointsFrom: the funding chart's book line keeps the defined values
// at or after BookFrom, in percent; a zero BookFrom keeps them all.
func TestPointsFrom(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{t0, t0.AddDate(0, 0, 1), t0.AddDate(0, 0, 2), t0.AddDate(0, 0, 3)}
	ys := []float64{0, 0.1, math.NaN(), 0.3}
	for _, c := range []struct {
		name string
		from time.Time
		want []float64 // percent
	}{
		{"whole line", time.Time{}, []float64{0, 10, 30}},
		{"from a point", times[1], []float64{10, 30}},
		{"between points", times[1].Add(time.Hour), []float64{30}},
		{"after the last", times[3].Add(time.Hour), nil},
	} {
		pts := pointsFrom(times, ys, c.from)
		if len(pts) != len(c.want) {
			t.Errorf("%s: %d points, want %d", c.name, len(pts), len(c.want))
			continue
		}
		for i, p := range pts {
			if math.Abs(p.Y-c.want[i]) > 1e-12 {
				t.Errorf("%s: point %d is %v, want %v", c.name, i, p.Y, c.want[i])
			}
		}
	}
}

// TestDrawdownScale: the drawdown panel is the carry curves' scale (a
// tenth beside their deepest, at least 1 %) when spot's is more than 3
// times deeper. By hand: carry −2.6 %, spot −67 % → bottom −2.86, cut
// (−67 < 3 × −2.86 = −8.58); carry −2.6, spot −8 → not cut (−8 ≥ −8.58);
// carry −0.2, spot −2.5 → bottom −1 (the floor), −2.5 ≥ −3 not cut;
// carry −0.2, spot −5 → cut at −1.
func TestDrawdownScale(t *testing.T) {
	for _, c := range []struct {
		carry, spot, lo float64
		cut             bool
	}{
		{-2.6, -67, -2.86, true},
		{-2.6, -8, 0, false},
		{-0.2, -2.5, 0, false},
		{-0.2, -5, -1, true},
		{0, 0, 0, false},
	} {
		lo, cut := drawdownScale(c.carry, c.spot)
		if cut != c.cut || math.Abs(lo-c.lo) > 1e-12 {
			t.Errorf("carry %v spot %v: %v %v, want %v %v", c.carry, c.spot, lo, cut, c.lo, c.cut)
		}
	}
}

// TestNiceTicks: the round step whose count of ticks is nearest n,
// labelled with the step's decimals. By hand (counts of the candidate
// steps): [−2.86, 0.143], n 4: step 1 gives 3, 0.5 gives 6, 2.5 gives 2 →
// 1; [−300, 4200], n 6: 1000 gives 5 (0 written "0", not "-0"), 500 gives
// 9 → 1000; [0, 1], n 5: 0.25 gives 5 → 0.25; [−1060, 260], n 8: 200
// gives 7, 250 gives 6, 100 gives 14 → 200; the contributions' axis
// [−619, 4404], n 10: 500 gives 10 → 500.
func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		n        int
		want     string
	}{
		{-2.86, 0.143, 4, "-2 -1 0"},
		{-300, 4200, 6, "0 1000 2000 3000 4000"},
		{0, 1, 5, "0.00 0.25 0.50 0.75 1.00"},
		{-619, 4404, 10, "-500 0 500 1000 1500 2000 2500 3000 3500 4000"},
		{-1060, 260, 8, "-1000 -800 -600 -400 -200 0 200"},
	} {
		var got []string
		for _, tk := range (niceTicks{n: c.n}).Ticks(c.min, c.max) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("[%v, %v] n %d: %q, want %q", c.min, c.max, c.n, strings.Join(got, " "), c.want)
		}
	}
}
