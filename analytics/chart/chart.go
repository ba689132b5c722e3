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
	"time"

	"git.sr.ht/~sbinet/gg"
	"gonum.org/v1/plot"
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

// newPlot is a plot with carry's fonts, sized for the page: the sizes are
// for 1600 px wide and scale with the width.
func newPlot(o Options, title, xLabel, yLabel string) *plot.Plot {
	k := float64(o.withDefaults().Width) / 1600
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(16 * k)
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font.Size = vg.Points(13 * k)
		a.Tick.Label.Font.Size = vg.Points(11 * k)
	}
	p.Legend.TextStyle.Font.Size = vg.Points(12 * k)
	p.Legend.Top = true
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(6), -vg.Points(4)
	return p
}

// timeAxis formats the x axis as UTC dates (values are Unix seconds).
func timeAxis(p *plot.Plot, from, to time.Time) {
	format := "2006-01-02"
	if to.Sub(from) <= 3*24*time.Hour {
		format = "01-02 15:04"
	}
	p.X.Tick.Marker = plot.TimeTicks{Format: format, Time: func(t float64) time.Time { return time.Unix(int64(t), 0).UTC() }}
	p.X.Min, p.X.Max = unix(from), unix(to)
}

func unix(t time.Time) float64 { return float64(t.Unix()) }

// panel is a plot drawn into a share of the page height.
type panel struct {
	plot   *plot.Plot
	weight float64
}

// render draws panels stacked top to bottom (heights by weight) or, with
// sideBySide, left to right, and encodes the page.
func render(o Options, sideBySide bool, panels ...panel) ([]byte, error) {
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
	dc := draw.New(canvas)
	total := 0.0
	for _, p := range panels {
		total += p.weight
	}
	pad := vg.Points(8)
	at := 0.0
	for _, p := range panels {
		var c draw.Canvas
		if sideBySide {
			x0 := dc.Min.X + vg.Length(at/total)*(dc.Max.X-dc.Min.X)
			x1 := dc.Min.X + vg.Length((at+p.weight)/total)*(dc.Max.X-dc.Min.X)
			c = draw.Crop(dc, x0-dc.Min.X+pad, x1-dc.Max.X-pad, pad, -pad)
		} else {
			top := dc.Max.Y - vg.Length(at/total)*(dc.Max.Y-dc.Min.Y)
			bottom := dc.Max.Y - vg.Length((at+p.weight)/total)*(dc.Max.Y-dc.Min.Y)
			c = draw.Crop(dc, pad, -pad, bottom-dc.Min.Y+pad, top-dc.Max.Y-pad)
		}
		p.plot.Draw(c)
		at += p.weight
	}
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
