package chart

import (
	"image/color"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// maxLinePoints is the longest line drawn point by point. Rasterizing a
// longer one — years of hourly zigzags — takes seconds a chart, for detail
// no pixel shows: it is drawn as its envelope instead.
const maxLinePoints = 4000

// envelopeRuns is how many runs of consecutive points an envelope shows.
const envelopeRuns = 800

// envelope draws a long line as runs of consecutive points: shaded from
// each run's lowest to its highest value, with a line through the runs'
// means, so that spikes stay visible and the trend readable.
func envelope(p *plot.Plot, name string, pts plotter.XYs, c color.Color, width float64) error {
	ring, mean := envelopeOf(pts)
	band, err := plotter.NewPolygon(ring)
	if err != nil {
		return err
	}
	r, g, b, _ := c.RGBA()
	band.Color = color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 80}
	band.LineStyle.Width = 0
	p.Add(band)
	if name != "" {
		name += " (mean; shaded: range)"
	}
	return drawLine(p, name, mean, c, width)
}

// envelopeOf cuts pts into envelopeRuns runs and returns the band's ring
// (the runs' highs left to right, then their lows back) and the runs'
// means, each at its run's middle (the first and last at the line's ends).
func envelopeOf(pts plotter.XYs) (ring, mean plotter.XYs) {
	var bottom plotter.XYs
	for r := range envelopeRuns {
		run := pts[r*len(pts)/envelopeRuns : (r+1)*len(pts)/envelopeRuns]
		lo, hi, sum := run[0].Y, run[0].Y, 0.0
		for _, q := range run {
			lo, hi, sum = min(lo, q.Y), max(hi, q.Y), sum+q.Y
		}
		x := (run[0].X + run[len(run)-1].X) / 2
		if r == 0 {
			x = run[0].X
		} else if r == envelopeRuns-1 {
			x = run[len(run)-1].X
		}
		ring, bottom = append(ring, plotter.XY{X: x, Y: hi}), append(bottom, plotter.XY{X: x, Y: lo})
		mean = append(mean, plotter.XY{X: x, Y: sum / float64(len(run))})
	}
	slices.Reverse(bottom)
	return append(ring, bottom...), mean
}
