package chart

import (
	"strings"

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
		fitTitle(p, c.Max.X-c.Min.X)
		p.Draw(c)
		return
	}
	legend := p.Legend
	p.Legend = plot.NewLegend() // none inside
	defer func() { p.Legend = legend }()
	left := draw.Crop(c, 0, -column, 0, 0)
	fitTitle(p, left.Max.X-left.Min.X)
	p.Draw(left)
	data := p.DataCanvas(left)
	legend.Top, legend.Left = true, true
	legend.XOffs, legend.YOffs = 0, 0
	legend.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: left.Max.X + legendGap(&legend), Y: data.Min.Y},
		Max: vg.Point{X: c.Max.X, Y: data.Max.Y},
	}})
}

// fitTitle makes a title fit the width it is centred on: one too wide is
// broken at its " — " (what the chart shows, then the market and window),
// and a line still too wide shrinks the font to fit. Titles that fit are
// left as they are.
func fitTitle(p *plot.Plot, width vg.Length) {
	style := &p.Title.TextStyle
	if p.Title.Text == "" || style.Width(p.Title.Text) <= width {
		return
	}
	if i := strings.Index(p.Title.Text, " — "); i > 0 && !strings.Contains(p.Title.Text, "\n") {
		p.Title.Text = p.Title.Text[:i] + "\n" + p.Title.Text[i+len(" — "):]
	}
	if w := style.Width(p.Title.Text); w > width {
		style.Font.Size = style.Font.Size * width / w * 0.98
	}
}
