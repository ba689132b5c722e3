package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legendColumn is the width a plot's legend takes beside its data area:
// the legend's own width and a gap before it; zero without a legend.
func legendColumn(p *plot.Plot, c draw.Canvas) vg.Length {
	w := p.Legend.Rectangle(c).Size().X
	if w == 0 {
		return 0
	}
	return w + legendGap(&p.Legend)
}

// legendGap is the space between the data area and the legend: an em of
// the legend's text.
func legendGap(l *plot.Legend) vg.Length { return l.TextStyle.Rectangle("M").Size().X }

// drawWithLegend draws p into c leaving a column of the given width at
// its right, and p's legend, if any, in that column, from the top of the
// data area down: gonum draws a legend inside the data area, where it
// covers the lines.
func drawWithLegend(c draw.Canvas, p *plot.Plot, column vg.Length) {
	if column == 0 {
		p.Draw(c)
		return
	}
	legend := p.Legend
	p.Legend = plot.NewLegend() // none inside
	defer func() { p.Legend = legend }()
	left := draw.Crop(c, 0, -column, 0, 0)
	p.Draw(left)
	data := p.DataCanvas(left)
	legend.Top, legend.Left = true, true
	legend.XOffs, legend.YOffs = 0, 0
	legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: left.Max.X + legendGap(&legend), Y: data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
	}})
}
