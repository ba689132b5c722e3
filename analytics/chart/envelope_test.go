package chart

import (
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// TestEnvelopeKeepsTheExtremes: a line of years of hourly points is drawn
// as a band from each run's lowest to highest point, which keeps a spike
// and the ends, with a line of the runs' means.
func TestEnvelopeKeepsTheExtremes(t *testing.T) {
	pts := make(plotter.XYs, 20000)
	for i := range pts {
		pts[i] = plotter.XY{X: float64(i * 3600), Y: math.Sin(float64(i)) + float64(i%7919)/7919}
	}
	pts[12345].Y = 50 // a spike
	ring, mean := envelopeOf(pts)
	if len(mean) != envelopeRuns || len(ring) != 2*envelopeRuns {
		t.Fatalf("%d means, a ring of %d points; want %d and %d", len(mean), len(ring), envelopeRuns, 2*envelopeRuns)
	}
	ymin, ymax := math.Inf(1), math.Inf(-1)
	for _, q := range ring {
		ymin, ymax = min(ymin, q.Y), max(ymax, q.Y)
	}
	if ymax != 50 || ymin > -0.99 {
		t.Errorf("the band spans %v to %v: it lost the extremes", ymin, ymax)
	}
	if mean[0].X != pts[0].X || mean[len(mean)-1].X != pts[len(pts)-1].X {
		t.Errorf("the means span %v to %v, the line %v to %v", mean[0].X, mean[len(mean)-1].X, pts[0].X, pts[len(pts)-1].X)
	}
}
