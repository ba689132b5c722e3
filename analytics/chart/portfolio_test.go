package chart

import (
	"math"
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
