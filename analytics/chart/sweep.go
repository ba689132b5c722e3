package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// HeatmapData is a metric over two parameters: Z[y][x], NaN where no
// combination exists.
type HeatmapData struct {
	Title          string
	XLabel, YLabel string
	X, Y           []string // the parameters' values, in grid order
	Z              [][]float64
	Metric         string
}

type grid struct{ d HeatmapData }

func (g grid) Dims() (c, r int)   { return len(g.d.X), len(g.d.Y) }
func (g grid) Z(c, r int) float64 { return g.d.Z[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// Heatmap draws a metric over two parameters, each cell labelled with its
// value (blue low, red high; blank: no combination).
func Heatmap(d HeatmapData, o Options) ([]byte, error) {
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, row := range d.Z {
		for _, z := range row {
			if !math.IsNaN(z) {
				lo, hi = math.Min(lo, z), math.Max(hi, z)
			}
		}
	}
	if math.IsInf(lo, 0) {
		return nil, fmt.Errorf("heatmap of %s: no values", d.Metric)
	}
	if hi == lo {
		hi = lo + 1
	}
	pal := moreland.SmoothBlueRed()
	pal.SetMin(lo)
	pal.SetMax(hi)
	p := newPlot(o, d.Title, d.XLabel, d.YLabel)
	h := plotter.NewHeatMap(grid{d}, pal.Palette(64))
	h.Min, h.Max = lo, hi
	h.NaN = color.Transparent
	p.Add(h)
	if len(d.X)*len(d.Y) <= 400 {
		var labels plotter.XYLabels
		k := float64(o.withDefaults().Width) / 1600
		for r := range d.Y {
			for c := range d.X {
				if z := d.Z[r][c]; !math.IsNaN(z) {
					labels.XYs = append(labels.XYs, plotter.XY{X: float64(c), Y: float64(r)})
					labels.Labels = append(labels.Labels, fmt.Sprintf("%.3g", z))
				}
			}
		}
		if len(labels.XYs) > 0 {
			l, err := plotter.NewLabels(labels)
			if err != nil {
				return nil, err
			}
			for i := range l.TextStyle {
				l.TextStyle[i].Font.Size = vg.Points(11 * k)
				l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = -0.5, -0.5
			}
			p.Add(l)
		}
	}
	p.X.Tick.Marker = nominal(d.X)
	p.Y.Tick.Marker = nominal(d.Y)
	p.X.Min, p.X.Max = -0.5, float64(len(d.X))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(d.Y))-0.5
	return render(o, false, panel{p, 1})
}

// maxNominalLabels is how many of an axis's values get a tick and a label
// at most: with more, every k-th does, so that a grid of a thousand
// slippages has readable labels, not a smear.
const maxNominalLabels = 40

func nominal(names []string) plot.ConstantTicks {
	every := (len(names) + maxNominalLabels - 1) / maxNominalLabels
	var t plot.ConstantTicks
	for i, n := range names {
		if i%every != 0 {
			continue
		}
		if n == "" {
			n = "off"
		}
		t = append(t, plot.Tick{Value: float64(i), Label: n})
	}
	return t
}

// Sensitivity draws a metric of one combination as its costs are scaled:
// one line per cost (fees, slippage), x the multiplier of the cost.
func Sensitivity(title, metric string, multipliers []float64, lines map[string][]float64, o Options) ([]byte, error) {
	p := newPlot(o, title, "cost multiplier (1 = the combination's own)", metric)
	p.Add(plotter.NewGrid())
	colors := []color.Color{colorCosts, colorBasis, colorFunding, colorNeutral}
	i := 0
	for _, name := range sortedKeys(lines) {
		pts := make(plotter.XYs, 0, len(multipliers))
		for j, m := range multipliers {
			if y := lines[name][j]; !math.IsNaN(y) {
				pts = append(pts, plotter.XY{X: m, Y: y})
			}
		}
		if len(pts) == 0 {
			continue
		}
		lp, sp, err := plotter.NewLinePoints(pts)
		if err != nil {
			return nil, err
		}
		lp.Color, sp.Color = colors[i%len(colors)], colors[i%len(colors)]
		lp.Width = vg.Points(1.8)
		p.Add(lp, sp)
		p.Legend.Add(name, lp, sp)
		i++
	}
	return render(o, false, panel{p, 1})
}

func sortedKeys(m map[string][]float64) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := 1; i < len(ks); i++ {
		for j := i; j > 0 && ks[j] < ks[j-1]; j-- {
			ks[j], ks[j-1] = ks[j-1], ks[j]
		}
	}
	return ks
}
