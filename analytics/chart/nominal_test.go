package chart

import (
	"fmt"
	"testing"
)

// TestNominalTicksThinOut: an axis of many values ticks and labels at most
// maxNominalLabels of them, every k-th from the first; an axis of few
// labels them all ("off" for none).
func TestNominalTicksThinOut(t *testing.T) {
	for _, n := range []int{1, 4, 40, 41, 1000} {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprint(i)
		}
		names[0] = ""
		ticks := nominal(names)
		every := 1
		if n > maxNominalLabels {
			every = (n + maxNominalLabels - 1) / maxNominalLabels
		}
		for i, tk := range ticks {
			if tk.Value != float64(i*every) || tk.Label == "" || (i > 0 && tk.Label != names[i*every]) {
				t.Fatalf("n=%d: tick %d at %v labelled %q", n, i, tk.Value, tk.Label)
			}
		}
		want := (n + every - 1) / every // e.g. 1,000 values: every 25th, 40 ticks
		if len(ticks) != want || len(ticks) > maxNominalLabels || ticks[0].Label != "off" {
			t.Errorf("n=%d: %d ticks (want %d), first %q", n, len(ticks), want, ticks[0].Label)
		}
	}
}
