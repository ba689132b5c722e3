package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// HistogramData is a distribution given as bin counts: bin k holds
// Counts[k] values in [Edges[k], Edges[k+1]).
type HistogramData struct {
	Title  string
	XLabel string
	Edges  []float64 // len(Counts)+1, ascending
	Counts []int
	// Marks are values drawn as vertical lines, each named in the legend
	// (e.g. the pick, the expected best by luck).
	Marks []Mark
}

// Mark is a named vertical line.
type Mark struct {
	Name  string
	Value float64
}

var markColors = []color.Color{colorDrawdown, colorFunding, colorNeutral, colorEquity}

// Histogram draws bin counts as bars, with the marks as vertical lines.
func Histogram(d HistogramData, o Options) ([]byte, error) {
	if len(d.Counts) == 0 || len(d.Edges) != len(d.Counts)+1 {
		return nil, fmt.Errorf("histogram: %d counts and %d edges", len(d.Counts), len(d.Edges))
	}
	p := newPlot(o, d.Title, d.XLabel, "combinations")
	p.Add(plotter.NewGrid())
	h := &plotter.Histogram{FillColor: color.RGBA{R: 158, G: 202, B: 225, A: 255}, LineStyle: plotter.DefaultLineStyle}
	h.LineStyle.Color = colorEquity
	top := 0
	for k, n := range d.Counts {
		h.Bins = append(h.Bins, plotter.HistogramBin{Min: d.Edges[k], Max: d.Edges[k+1], Weight: float64(n)})
		top = max(top, n)
	}
	if d.Edges[0] == d.Edges[len(d.Edges)-1] { // one value: a bin of width 1 around it
		h.Bins[0].Min, h.Bins[0].Max = d.Edges[0]-0.5, d.Edges[0]+0.5
	}
	h.Width = h.Bins[0].Max - h.Bins[0].Min
	p.Add(h)
	for i, m := range d.Marks {
		l, err := plotter.NewLine(plotter.XYs{{X: m.Value, Y: 0}, {X: m.Value, Y: float64(top) * 1.05}})
		if err != nil {
			return nil, err
		}
		l.Color = markColors[i%len(markColors)]
		l.Width = vg.Points(2)
		if i > 0 {
			l.Dashes = []vg.Length{vg.Points(6), vg.Points(3)}
		}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("%s %.4g", m.Name, m.Value), l)
	}
	p.Y.Min = 0
	return render(o, false, panel{p, 1})
}
