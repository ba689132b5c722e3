package chart

import (
	"image/color"
	"math"
	"testing"

	"gonum.org/v1/plot/plotter"
)

// TestHeatColorsOrientation: the best end of a heatmap's colours is blue
// and the worst red, whichever way the metric ranks; values of both signs
// are coloured on [−m, m] with white-ish at zero. Expected ranges by hand
// from heatColors' doc comment; the end colours are colorBest and
// colorWorst (within 2/255 after moreland's Msh round trip) and the middle
// is moreland's convergence colour, a light grey (each channel > 200).
func TestHeatColorsOrientation(t *testing.T) {
	for _, c := range []struct {
		name                string
		lo, hi              float64
		lowerIsBetter       bool
		wantMin, wantMax    float64
		best, worst, middle float64
	}{
		{"sharpe of both signs", -1.4, 4.2, false, -4.2, 4.2, 4.2, -4.2, 0},
		{"volatility, lower is better", 0.01, 0.05, true, 0.01, 0.05, 0.01, 0.05, 0.03},
		{"max drawdown, all negative", -0.3, -0.05, false, -0.3, -0.05, -0.05, -0.3, -0.175},
		{"one value", 2, 2, false, 1.5, 2.5, 2.5, 1.5, 2},
	} {
		cm := heatColors(c.lo, c.hi, c.lowerIsBetter)
		if cm.Min() != c.wantMin || cm.Max() != c.wantMax || math.Abs(cm.ConvergePoint()-c.middle) > 1e-12 {
			t.Errorf("%s: colours on [%g, %g] meeting at %g, want [%g, %g] at %g", c.name, cm.Min(), cm.Max(), cm.ConvergePoint(), c.wantMin, c.wantMax, c.middle)
			continue
		}
		for _, end := range []struct {
			v    float64
			want color.NRGBA
		}{{c.best, colorHeatBest}, {c.worst, colorHeatWorst}} {
			got, err := cm.At(end.v)
			if err != nil {
				t.Fatal(err)
			}
			if !colorNear(got, end.want, 2) {
				t.Errorf("%s: colour at %g is %v, want %v", c.name, end.v, got, end.want)
			}
		}
		mid, err := cm.At(c.middle)
		if err != nil {
			t.Fatal(err)
		}
		if r, g, b, _ := mid.RGBA(); r>>8 < 200 || g>>8 < 200 || b>>8 < 200 {
			t.Errorf("%s: middle colour %v is not light", c.name, mid)
		}
	}
}

func colorNear(got color.Color, want color.NRGBA, tol int) bool {
	r, g, b, _ := got.RGBA()
	d := func(a uint32, b uint8) bool { return math.Abs(float64(int(a>>8)-int(b))) <= float64(tol) }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// TestInkOn: black labels on light cells, white on dark ones.
func TestInkOn(t *testing.T) {
	for _, c := range []struct {
		fill color.Color
		want color.Color
	}{{color.White, color.Black}, {colorHeatBest, color.White}, {colorHeatWorst, color.White}, {color.NRGBA{R: 230, G: 230, B: 230, A: 255}, color.Black}} {
		if got := inkOn(c.fill); got != c.want {
			t.Errorf("ink on %v: %v, want %v", c.fill, got, c.want)
		}
	}
}

// TestIncludeZero: a sensitivity axis spans zero whether the metric is
// positive (a Sharpe near 8) or negative (a drawdown), and keeps the
// lines' own extent otherwise.
func TestIncludeZero(t *testing.T) {
	for _, c := range []struct {
		ys               []float64
		wantMin, wantMax float64
	}{
		{[]float64{8.1, 7.0}, 0, 8.1},
		{[]float64{-0.3, -0.1}, -0.3, 0},
		{[]float64{-2, 3}, -2, 3},
	} {
		p := newPlot(small, "", "", "")
		l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: c.ys[0]}, {X: 1, Y: c.ys[1]}})
		if err != nil {
			t.Fatal(err)
		}
		p.Add(l)
		yAxisFromZero(p)
		if p.Y.Min != c.wantMin || p.Y.Max != c.wantMax {
			t.Errorf("%v: y axis [%g, %g], want [%g, %g]", c.ys, p.Y.Min, p.Y.Max, c.wantMin, c.wantMax)
		}
	}
}
