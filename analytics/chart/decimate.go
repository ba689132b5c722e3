package chart

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// decimate reduces a line to what columns pixel columns can show (M4,
// min–max decimation). Column k spans x from x0 + k·w to x0 + (k+1)·w,
// w = (x1 − x0)/columns; of each run of consecutive points in one column
// it keeps the first, the lowest, the highest and the last, in their
// order, so a spike and the line's ends survive and the segments joining
// the columns are the full line's. A line of at most 2·columns points, or
// an empty x range, is returned unchanged (copied): there is nothing a
// pixel would lose. Points outside [x0, x1] fall in columns of their own
// beyond the edges, so that clipping draws the edges as before.
func decimate(pts plotter.XYer, x0, x1 float64, columns int) plotter.XYs {
	n := pts.Len()
	if n <= 2*columns || !(x1 > x0) {
		out, _ := plotter.CopyXYs(pts)
		return out
	}
	w := (x1 - x0) / float64(columns)
	column := func(x float64) float64 { return math.Floor((x - x0) / w) }
	out := make(plotter.XYs, 0, 4*columns+4)
	for start := 0; start < n; {
		x, _ := pts.XY(start)
		col := column(x)
		lo, hi, end := start, start, start+1
		for ; end < n; end++ {
			x, y := pts.XY(end)
			if column(x) != col {
				break
			}
			if _, ylo := pts.XY(lo); y < ylo {
				lo = end
			}
			if _, yhi := pts.XY(hi); y > yhi {
				hi = end
			}
		}
		out = appendInOrder(out, pts, start, min(lo, hi), max(lo, hi), end-1)
		start = end
	}
	return out
}

// appendInOrder appends the points at the ascending indices is, each once.
func appendInOrder(out plotter.XYs, pts plotter.XYer, is ...int) plotter.XYs {
	last := -1
	for _, i := range is {
		if i != last {
			x, y := pts.XY(i)
			out = append(out, plotter.XY{X: x, Y: y})
			last = i
		}
	}
	return out
}

// pixel is one pixel at the charts' dpi, in the canvas' units.
const pixel = vg.Inch / dpi

// strokePoints is how many points one stroke of a line draws. The PNG
// rasterizer (freetype's) keeps each pixel row's cells in a list it walks
// from the left for every new cell, so one long stroke zigzagging across
// the plot costs the square of its width; strokes of a few columns cost
// what their pixels do.
const strokePoints = 64

// columnLine is a line drawn decimated to its data area's pixel width
// (decimate) and stroked in pieces (strokePoints): a time series of years
// of hours rasterizes about as fast as one of weeks, and looks the same.
// The x axis must be linear. Fill and step styles are not drawn.
type columnLine struct{ *plotter.Line }

// Plot implements plot.Plotter: c is the data area, so its width in pixels
// is the number of columns.
func (l columnLine) Plot(c draw.Canvas, p *plot.Plot) {
	if l.Width == 0 {
		return
	}
	columns := int(math.Ceil(float64((c.Max.X - c.Min.X) / pixel)))
	pts := decimate(l.XYs, p.X.Min, p.X.Max, columns)
	trX, trY := p.Transforms(&c)
	ps := make([]vg.Point, len(pts))
	for i, q := range pts {
		ps[i] = vg.Point{X: trX(q.X), Y: trY(q.Y)}
	}
	for _, run := range c.ClipLinesXY(ps) {
		for _, piece := range pieces(run, strokePoints) {
			c.StrokeLines(l.LineStyle, piece)
		}
	}
}

// pieces cuts a polyline into polylines of at most n points (n ≥ 3), each
// beginning one segment before the previous one ends, so that every join
// is drawn whole by one piece and no butt end shows.
func pieces[T any](line []T, n int) [][]T {
	var out [][]T
	for start := 0; ; start += n - 2 {
		end := min(start+n, len(line))
		out = append(out, line[start:end])
		if end == len(line) {
			return out
		}
	}
}

// GlyphBoxes implements plot.GlyphBoxer: the plot pads its data area so
// that a line's width fits, by the boxes of the outermost points; only
// those four are returned (Line's boxes every point, and the plot copies
// and scans them all twice a panel). As plot.Plot.GlyphBoxes does, points
// outside the axes' ranges are skipped.
func (l columnLine) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	outer := [4]int{-1, -1, -1, -1} // left, right, bottom, top
	var left, right, bottom, top float64
	for i, q := range l.XYs {
		x, y := p.X.Norm(q.X), p.Y.Norm(q.Y)
		if x < 0 || x > 1 || y < 0 || y > 1 {
			continue
		}
		if outer[0] < 0 {
			outer = [4]int{i, i, i, i}
			left, right, bottom, top = x, x, y, y
		}
		if x < left {
			outer[0], left = i, x
		}
		if x > right {
			outer[1], right = i, x
		}
		if y < bottom {
			outer[2], bottom = i, y
		}
		if y > top {
			outer[3], top = i, y
		}
	}
	if outer[0] < 0 {
		return nil
	}
	r := 0.5 * l.LineStyle.Width
	box := vg.Rectangle{Min: vg.Point{X: -r, Y: -r}, Max: vg.Point{X: r, Y: r}}
	boxes := make([]plot.GlyphBox, len(outer))
	for j, i := range outer {
		boxes[j] = plot.GlyphBox{X: p.X.Norm(l.XYs[i].X), Y: p.Y.Norm(l.XYs[i].Y), Rectangle: box}
	}
	return boxes
}
