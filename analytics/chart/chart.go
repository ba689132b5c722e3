// Package chart draws carry's charts with gonum.org/v1/plot: equity and
// drawdown, funding per event, basis, P&L attribution, distributions and a
// ranking across symbols. Each chart is built from plain slices, titled with
// its symbol, contract, period and data window, with labelled axes, UTC date
// ticks and a legend, and rendered to PNG (default) or SVG.
package chart

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"time"

	"git.sr.ht/~sbinet/gg"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Options size and format a chart. Zero fields take the defaults.
type Options struct {
	Width, Height int    // pixels; default 1600×900
	Format        string // "png" (default) or "svg"
}

func (o Options) withDefaults() Options {
	if o.Width == 0 {
		o.Width = 1600
	}
	if o.Height == 0 {
		o.Height = 900
	}
	if o.Format == "" {
		o.Format = "png"
	}
	return o
}

// Meta says what a chart shows; it goes into every title.
type Meta struct {
	Symbol   string
	Contract string
	Period   string
	From, To time.Time
	// Label, when set, is shown in every title (e.g. "simulated market").
	Label string
}

// Title is "<what> — SYMBOL CONTRACT period, from → to UTC[ · label]".
func (m Meta) Title(what string) string { return m.title(what, ", ") }

// TwoLineTitle is Title broken after the period, for half-width panels.
func (m Meta) TwoLineTitle(what string) string { return m.title(what, "\n") }

func (m Meta) title(what, sep string) string {
	t := fmt.Sprintf("%s — %s %s %s%s%s → %s UTC", what, m.Symbol, m.Contract, m.Period, sep,
		m.From.UTC().Format("2006-01-02 15:04"), m.To.UTC().Format("2006-01-02 15:04"))
	if m.Label != "" {
		t += " · " + m.Label
	}
	return t
}

// panelPad is the margin around each panel.
var panelPad = vg.Points(8)

// dpi at which pixel sizes are rendered; 96 makes 1600×900 px a
// 16.7×9.4 inch page, readable when printed.
const dpi = 96

var (
	colorEquity   = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	colorDrawdown = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	colorPositive = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	colorNegative = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	colorFunding  = color.RGBA{R: 44, G: 160, B: 44, A: 255}
	colorBasis    = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	colorCosts    = color.RGBA{R: 214, G: 39, B: 40, A: 255}
	colorShade    = color.NRGBA{R: 255, G: 170, B: 40, A: 60} // translucent: NRGBA, not premultiplied
	colorNeutral  = color.RGBA{R: 90, G: 90, B: 90, A: 255}
)

// chartFont is the charts' typeface: Liberation Sans, the first font of the
// HTML reports' font-family, so that charts and page read alike. gonum's
// default is the serif variant.
var chartFont = font.Font{Typeface: "Liberation", Variant: "Sans"}

// newPlot is a plot with carry's fonts, sized for the page: the sizes are
// for 1600 px wide and scale with the width. A legend it is given is
// drawn beside the data area by render, never over it.
func newPlot(o Options, title, xLabel, yLabel string) *plot.Plot {
	k := sizeScale(o)
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(chartFont, vg.Points(16*k))
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(chartFont, vg.Points(13*k))
		a.Tick.Label.Font = font.From(chartFont, vg.Points(11*k))
	}
	p.Legend.TextStyle.Font = font.From(chartFont, vg.Points(12*k))
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.ThumbnailWidth = vg.Points(24 * k)
	p.Legend.Padding = vg.Points(4 * k)
	return p
}

// sizeScale is the size of text and marks relative to a 1600 px page.
func sizeScale(o Options) float64 { return float64(o.withDefaults().Width) / 1600 }

// timeAxis is an x axis of UTC dates (values are Unix seconds) from from
// to to, with 5–8 ticks on calendar boundaries (dateTicks).
func timeAxis(p *plot.Plot, from, to time.Time) {
	p.X.Tick.Marker = dateTicks{}
	p.X.Min, p.X.Max = unix(from), unix(to)
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// panel is a plot drawn into a share of the page height.
type panel struct {
	plot   *plot.Plot
	weight float64
}

// render draws panels stacked top to bottom (heights by weight) or, with
// sideBySide, left to right, and encodes the page. A panel's legend goes
// in a column beside its data area (drawWithLegend); stacked panels share
// the widest column, so that their time axes line up.
func render(o Options, sideBySide bool, panels ...panel) ([]byte, error) {
	return renderPage(o, func(dc draw.Canvas) {
		total := 0.0
		for _, p := range panels {
			total += p.weight
		}
		canvases := make([]draw.Canvas, len(panels))
		at := 0.0
		for i, p := range panels {
			if sideBySide {
				x0 := dc.Min.X + vg.Length(at/total)*(dc.Max.X-dc.Min.X)
				x1 := dc.Min.X + vg.Length((at+p.weight)/total)*(dc.Max.X-dc.Min.X)
				canvases[i] = draw.Crop(dc, x0-dc.Min.X+panelPad, x1-dc.Max.X-panelPad, panelPad, -panelPad)
			} else {
				top := dc.Max.Y - vg.Length(at/total)*(dc.Max.Y-dc.Min.Y)
				bottom := dc.Max.Y - vg.Length((at+p.weight)/total)*(dc.Max.Y-dc.Min.Y)
				canvases[i] = draw.Crop(dc, panelPad, -panelPad, bottom-dc.Min.Y+panelPad, top-dc.Max.Y-panelPad)
			}
			at += p.weight
		}
		if sideBySide {
			for i, p := range panels {
				drawWithLegend(canvases[i], p.plot, legendColumn(p.plot, canvases[i]))
			}
			return
		}
		var column vg.Length
		for i, p := range panels {
			column = max(column, legendColumn(p.plot, canvases[i]))
		}
		alignDataAreas(panels, canvases, column)
		for i, p := range panels {
			drawWithLegend(canvases[i], p.plot, column)
		}
	})
}

// alignDataAreas narrows stacked panels' canvases so that their data
// areas span the same x: the panels' y axes differ in width (their tick
// labels do), and a time axis that does not line up with the one above
// misleads the eye by hours or days.
func alignDataAreas(panels []panel, canvases []draw.Canvas, column vg.Length) {
	if len(panels) < 2 {
		return
	}
	data := make([]draw.Canvas, len(panels))
	left, right := vg.Length(math.Inf(-1)), vg.Length(math.Inf(1))
	for i, p := range panels {
		data[i] = p.plot.DataCanvas(draw.Crop(canvases[i], 0, -column, 0, 0))
		left, right = max(left, data[i].Min.X), min(right, data[i].Max.X)
	}
	for i := range canvases {
		canvases[i].Min.X += left - data[i].Min.X
		canvases[i].Max.X -= data[i].Max.X - right
	}
}

// renderPage draws a page of the options' size and format with drawPage
// and encodes it.
func renderPage(o Options, drawPage func(draw.Canvas)) ([]byte, error) {
	o = o.withDefaults()
	w := vg.Length(o.Width) * vg.Inch / dpi
	h := vg.Length(o.Height) * vg.Inch / dpi
	var canvas vg.CanvasWriterTo
	switch o.Format {
	case "png":
		canvas = fastPNG{newImageCanvas(w, h)}
	case "svg":
		canvas = vgsvg.New(w, h)
	default:
		return nil, fmt.Errorf("chart format %q: want png or svg", o.Format)
	}
	drawPage(draw.New(canvas))
	var buf bytes.Buffer
	if _, err := canvas.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("encoding %s: %w", o.Format, err)
	}
	return buf.Bytes(), nil
}

// newImageCanvas is vgimg.NewWith(UseWH, UseDPI, white) without the copy
// of the image it would make (gg.NewContextForImage copies whatever image
// it is given): a 1600×900 page is 5.8 MB, and its copy was half of a
// sweep chart's time (fresh pages are slow to touch on a VM).
func newImageCanvas(w, h vg.Length) *vgimg.Canvas {
	px := func(l vg.Length) int { return int(l/vg.Inch*dpi + 0.5) }
	img := image.NewRGBA(image.Rect(0, 0, px(w), px(h)))
	ctx := gg.NewContextForRGBA(img)
	// What NewWith does to a context it makes itself; the background is
	// NewWith's default, white.
	ctx.SetLineCapButt()
	ctx.InvertY()
	return vgimg.NewWith(vgimg.UseImageWithContext(img, ctx), vgimg.UseDPI(dpi))
}

// fastPNG encodes the canvas with deflate's fastest level: half of a
// chart's time went to png.Encode's default level, for files about 10 %
// smaller; the pixels are the same.
type fastPNG struct{ *vgimg.Canvas }

func (c fastPNG) WriteTo(w io.Writer) (int64, error) {
	cw := &countingWriter{w: w}
	err := (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(cw, c.Image())
	return cw.n, err
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
