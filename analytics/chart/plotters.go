package chart

import (
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// signedBars draws one bar per x from zero to y, coloured by sign: funding
// events on a time axis (a BarChart's axis is categorical).
type signedBars struct {
	X, Y     []float64
	Width    float64 // in x units
	Pos, Neg color.Color
}

// Plot implements plot.Plotter.
func (b signedBars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for i := range b.X {
		col := b.Pos
		if b.Y[i] < 0 {
			col = b.Neg
		}
		x0, x1 := trX(b.X[i]-b.Width/2), trX(b.X[i]+b.Width/2)
		if x1-x0 < vg.Points(0.6) {
			x1 = x0 + vg.Points(0.6)
		}
		y0, y1 := trY(0), trY(b.Y[i])
		c.FillPolygon(col, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
	}
}

// DataRange implements plot.DataRanger.
func (b signedBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = b.X[0], b.X[0]
	for i := range b.X {
		xmin, xmax = min(xmin, b.X[i]), max(xmax, b.X[i])
		ymin, ymax = min(ymin, b.Y[i]), max(ymax, b.Y[i])
	}
	return
}

// Thumbnail implements plot.Thumbnailer for the legend.
func (b signedBars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(b.Pos, c.ClipPolygonY(pts))
}

// bands shades vertical spans [From[i], To[i]] across the whole plot height:
// the periods a position was open.
type bands struct {
	From, To []float64
	Color    color.Color
}

// Plot implements plot.Plotter.
func (b bands) Plot(c draw.Canvas, p *plot.Plot) {
	trX, _ := p.Transforms(&c)
	for i := range b.From {
		x0, x1 := trX(b.From[i]), trX(b.To[i])
		c.FillPolygon(b.Color, c.ClipPolygonXY([]vg.Point{{X: x0, Y: c.Min.Y}, {X: x1, Y: c.Min.Y}, {X: x1, Y: c.Max.Y}, {X: x0, Y: c.Max.Y}}))
	}
}

// Thumbnail implements plot.Thumbnailer.
func (b bands) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(b.Color, c.ClipPolygonY(pts))
}

// legendSwatch is a legend thumbnail filled with one colour.
type legendSwatch struct{ color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s legendSwatch) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Min.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(s.Color, c.ClipPolygonY(pts))
}
