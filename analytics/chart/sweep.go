package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapData is a metric over two parameters: Z[y][x], NaN where no
// combination exists.
type HeatmapData struct {
	Title          string
	XLabel, YLabel string
	X, Y           []string // the parameters' values, in grid order
	Z              [][]float64
	Metric         string
	// LowerIsBetter orients the colours: the metric's best cells are blue
	// whichever way it ranks.
	LowerIsBetter bool
}

type grid struct{ d HeatmapData }

func (g grid) Dims() (c, r int)   { return len(g.d.X), len(g.d.Y) }
func (g grid) Z(c, r int) float64 { return g.d.Z[r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// Heatmap draws a metric over two parameters, each cell labelled with its
// value and coloured from red (worst) through white to blue (best), with
// a colour bar beside it (heatColors; blank: no combination).
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
	colors := heatColors(lo, hi, d.LowerIsBetter)
	p := newPlot(o, d.Title, d.XLabel, d.YLabel)
	h := plotter.NewHeatMap(grid{d}, colors.Palette(256))
	h.Min, h.Max = colors.Min(), colors.Max()
	h.NaN = color.Transparent
	p.Add(h)
	if len(d.X)*len(d.Y) <= 400 {
		var labels plotter.XYLabels
		var inks []color.Color
		for r := range d.Y {
			for c := range d.X {
				if z := d.Z[r][c]; !math.IsNaN(z) {
					labels.XYs = append(labels.XYs, plotter.XY{X: float64(c), Y: float64(r)})
					labels.Labels = append(labels.Labels, fmt.Sprintf("%.3g", z))
					fill, _ := colors.At(z)
					inks = append(inks, inkOn(fill))
				}
			}
		}
		if len(labels.XYs) > 0 {
			l, err := plotter.NewLabels(labels)
			if err != nil {
				return nil, err
			}
			for i := range l.TextStyle {
				l.TextStyle[i].Font = font.From(chartFont, vg.Points(11*sizeScale(o)))
				l.TextStyle[i].Color = inks[i]
				l.TextStyle[i].XAlign, l.TextStyle[i].YAlign = -0.5, -0.5
			}
			p.Add(l)
		}
	}
	p.X.Tick.Marker = nominal(d.X)
	p.Y.Tick.Marker = nominal(d.Y)
	p.X.Min, p.X.Max = -0.5, float64(len(d.X))-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(len(d.Y))-0.5
	direction := "higher is better"
	if d.LowerIsBetter {
		direction = "lower is better"
	}
	bar := colorBarPlot(o, colors, d.Metric+" ("+direction+")")
	return renderPage(o, func(dc draw.Canvas) {
		drawBesideColorBar(draw.Crop(dc, panelPad, -panelPad, panelPad, -panelPad), p, bar, o)
	})
}

// Heatmap colours: red for the worst values, blue for the best (not
// green, for readers who do not tell red from green), meeting in white.
var (
	colorHeatWorst = color.NRGBA{R: 178, G: 24, B: 43, A: 255}
	colorHeatBest  = color.NRGBA{R: 33, G: 102, B: 172, A: 255}
)

// heatColors is the diverging colour map of a metric whose values span
// [lo, hi]: red at the worst end, blue at the best (the high end unless
// lowerIsBetter), white between. Values of both signs are coloured on
// [−m, m], m = max(|lo|, |hi|), white at zero, so that a colour's depth
// is the value's size and a loss is red however small the grid's worst;
// values of one sign span [lo, hi], white at the middle.
func heatColors(lo, hi float64, lowerIsBetter bool) palette.DivergingColorMap {
	start, end := color.Color(colorHeatWorst), color.Color(colorHeatBest)
	if lowerIsBetter {
		start, end = end, start
	}
	cm := moreland.NewSmoothDiverging(start, end, 88)
	if lo < 0 && hi > 0 {
		m := math.Max(-lo, hi)
		lo, hi = -m, m
	}
	if hi == lo {
		lo, hi = lo-0.5, hi+0.5
	}
	cm.SetMin(lo)
	cm.SetMax(hi)
	cm.SetConvergePoint((lo + hi) / 2)
	return cm
}

// inkOn is the text colour readable on a fill: white on dark, black on
// light (relative luminance 0.2126 R + 0.7152 G + 0.0722 B of the sRGB
// values, a rough cut at 0.45).
func inkOn(fill color.Color) color.Color {
	if fill == nil {
		return color.Black
	}
	r, g, b, _ := fill.RGBA()
	if 0.2126*float64(r)/0xffff+0.7152*float64(g)/0xffff+0.0722*float64(b)/0xffff < 0.45 {
		return color.White
	}
	return color.Black
}

// colorBarPlot is a plot of a colour map's bar, its values on the y axis.
func colorBarPlot(o Options, cm palette.ColorMap, label string) *plot.Plot {
	p := newPlot(o, "", "", label)
	p.HideX()
	p.X.Padding = 0
	p.Add(&plotter.ColorBar{ColorMap: cm, Vertical: true})
	p.Y.Min, p.Y.Max = cm.Min(), cm.Max()
	return p
}

// drawBesideColorBar draws p into c with the colour bar at its right, the
// bar as tall as p's data area and level with it.
func drawBesideColorBar(c draw.Canvas, p, bar *plot.Plot, o Options) {
	barWidth := vg.Points(22 * sizeScale(o))
	gap := vg.Points(16 * sizeScale(o))
	trial := bar.DataCanvas(c)
	axis := trial.Min.X - c.Min.X // the bar's y axis: label and tick labels
	left := draw.Crop(c, 0, -(gap + axis + barWidth), 0, 0)
	p.Draw(left)
	data := p.DataCanvas(left)
	bc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: left.Max.X + gap, Y: c.Min.Y}, Max: vg.Point{X: c.Max.X, Y: c.Max.Y}}}
	bd := bar.DataCanvas(bc)
	bc.Min.Y += data.Min.Y - bd.Min.Y
	bc.Max.Y += data.Max.Y - bd.Max.Y
	bar.Draw(bc)
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
// one line per cost (fees, slippage), x the multiplier of the cost. The
// y axis includes zero (yAxisFromZero): a metric falling from 8.1 to 7.9
// must not look like a collapse.
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
	yAxisFromZero(p)
	var ticks plot.ConstantTicks
	for _, m := range multipliers {
		ticks = append(ticks, plot.Tick{Value: m, Label: fmt.Sprintf("×%g", m)})
	}
	p.X.Tick.Marker = ticks
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

// yAxisFromZero widens p's y axis to include zero and draws the zero line,
// so that the lines' heights read as sizes, not only as differences.
func yAxisFromZero(p *plot.Plot) {
	p.Y.Min, p.Y.Max = math.Min(p.Y.Min, 0), math.Max(p.Y.Max, 0)
	zero := plotter.NewFunction(func(float64) float64 { return 0 })
	zero.Color, zero.Width = colorNeutral, vg.Points(0.8)
	p.Add(zero)
}
