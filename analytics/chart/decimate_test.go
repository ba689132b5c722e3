package chart

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// xs are points at x = 0, 1, 2, … with the given ys.
func xs(ys ...float64) plotter.XYs {
	pts := make(plotter.XYs, len(ys))
	for i, y := range ys {
		pts[i] = plotter.XY{X: float64(i), Y: y}
	}
	return pts
}

// TestDecimate: the expected points are picked by hand from decimate's
// rule — per column of width (x1 − x0)/columns, the first, lowest,
// highest and last point in x order, each once.
func TestDecimate(t *testing.T) {
	cases := []struct {
		name    string
		pts     plotter.XYs
		x0, x1  float64
		columns int
		want    plotter.XYs
	}{
		{"2·columns points or fewer: unchanged", xs(3, 1, 4, 1, 5, 9, 2, 6), 0, 8, 4, xs(3, 1, 4, 1, 5, 9, 2, 6)},
		{"an empty x range: unchanged", xs(3, 1, 4, 1, 5), 0, 0, 1, xs(3, 1, 4, 1, 5)},
		// Column 0 is x 0–4: first (0,2), highest (1,5), lowest (2,1),
		// last (4,4); column 1 is x 5–9: first (5,7), lowest (6,6), highest
		// (7,9), last (9,6). (3,3) and (8,8) are inside their columns' ranges.
		{"first, extremes and last per column", xs(2, 5, 1, 3, 4, 7, 6, 9, 8, 6), 0, 10, 2,
			plotter.XYs{{X: 0, Y: 2}, {X: 1, Y: 5}, {X: 2, Y: 1}, {X: 4, Y: 4}, {X: 5, Y: 7}, {X: 6, Y: 6}, {X: 7, Y: 9}, {X: 9, Y: 6}}},
		// A rising column's first point is its lowest and its last its
		// highest: two points; ties keep the first of the equal values.
		{"a point is kept once", xs(1, 2, 3, 4, 5, 5, 5, 5, 5, 5), 0, 10, 2,
			plotter.XYs{{X: 0, Y: 1}, {X: 4, Y: 5}, {X: 5, Y: 5}, {X: 9, Y: 5}}},
		// x0 = 4, w = 2: x 0–3 lie left of the range, in columns −2 and −1.
		{"points beyond the range keep columns of their own", xs(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), 4, 8, 2,
			plotter.XYs{{X: 0, Y: 1}, {X: 1, Y: 2}, {X: 2, Y: 3}, {X: 3, Y: 4}, {X: 4, Y: 5}, {X: 5, Y: 6}, {X: 6, Y: 7}, {X: 7, Y: 8}, {X: 8, Y: 9}, {X: 9, Y: 10}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := decimate(c.pts, c.x0, c.x1, c.columns); !reflect.DeepEqual(got, c.want) {
				t.Errorf("decimate(%v, %v, %v, %d) = %v, want %v", c.pts, c.x0, c.x1, c.columns, got, c.want)
			}
		})
	}
}

// TestDecimateKeepsASpike: one point ten times the rest among 50,000
// survives decimation to 1,000 columns, and so do the first and last.
func TestDecimateKeepsASpike(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	pts := make(plotter.XYs, 50000)
	for i := range pts {
		pts[i] = plotter.XY{X: float64(i) * 3600, Y: 1 + 0.01*rng.Float64()}
	}
	pts[31337].Y = 10
	got := decimate(pts, pts[0].X, pts[len(pts)-1].X, 1000)
	if len(got) > 4*1000+4 {
		t.Errorf("%d points kept for 1,000 columns, want at most 4 a column", len(got))
	}
	if got[0] != pts[0] || got[len(got)-1] != pts[len(pts)-1] {
		t.Errorf("ends %v … %v, want %v … %v", got[0], got[len(got)-1], pts[0], pts[len(pts)-1])
	}
	spikes := 0
	for i, q := range got {
		if q == pts[31337] {
			spikes++
		}
		if i > 0 && q.X <= got[i-1].X {
			t.Fatalf("point %d at x %v after x %v: not in x order", i, q.X, got[i-1].X)
		}
	}
	if spikes != 1 {
		t.Errorf("the spike %v kept %d times, want once", pts[31337], spikes)
	}
}

func TestPiecesOverlapByOneSegment(t *testing.T) {
	cases := []struct {
		n, size int
		want    [][2]int // [first, last] index of each piece
	}{
		{0, 4, [][2]int{{0, -1}}},
		{4, 4, [][2]int{{0, 3}}},
		{5, 4, [][2]int{{0, 3}, {2, 4}}},
		{10, 4, [][2]int{{0, 3}, {2, 5}, {4, 7}, {6, 9}}},
	}
	for _, c := range cases {
		line := make([]int, c.n)
		for i := range line {
			line[i] = i
		}
		var got [][2]int
		for _, p := range pieces(line, c.size) {
			if len(p) == 0 {
				got = append(got, [2]int{0, -1})
				continue
			}
			got = append(got, [2]int{p[0], p[len(p)-1]})
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("pieces of %d by %d: %v, want %v", c.n, c.size, got, c.want)
		}
	}
}

// TestDecimatedLineLooksLikeTheLine: a noisy line of 6,000 points with a
// spike, drawn decimated into its data area's ~370 columns, differs from
// the same line drawn whole in under 1% of the image's pixels, by more
// than an eighth of full scale. The differences are anti-aliased edges
// (the whole line's overlapping strokes blend more); side by side, the
// two images look the same (measured: 0.84%).
func TestDecimatedLineLooksLikeTheLine(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	pts := make(plotter.XYs, 6000)
	v := 0.0
	for i := range pts {
		v += rng.NormFloat64()
		pts[i] = plotter.XY{X: float64(i), Y: v + 20*math.Sin(float64(i)/500)}
	}
	pts[4321].Y += 100 // a spike
	o := Options{Width: 400, Height: 300}
	draw := func(decimated bool) image.Image {
		p := newPlot(o, "", "", "")
		l, err := plotter.NewLine(pts)
		if err != nil {
			t.Fatal(err)
		}
		l.Width = vg.Points(1.2)
		if decimated {
			p.Add(columnLine{l})
		} else {
			p.Add(l)
		}
		b, err := render(o, false, panel{p, 1})
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		return img
	}
	whole, decimated := draw(false), draw(true)
	differ, total := 0, 0
	bounds := whole.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r1, g1, b1, _ := whole.At(x, y).RGBA()
			r2, g2, b2, _ := decimated.At(x, y).RGBA()
			total++
			if absDiff(r1, r2)+absDiff(g1, g2)+absDiff(b1, b2) > 3*0x2000 { // an eighth of full scale
				differ++
			}
		}
	}
	if share := float64(differ) / float64(total); share > 0.01 {
		t.Errorf("%d of %d pixels (%.2f%%) differ between the line and its decimation", differ, total, 100*share)
	} else {
		t.Logf("%d of %d pixels (%.3f%%) differ", differ, total, 100*share)
	}
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}

// TestColumnLinePadsLikeALine: the plot pads its data area by the
// outermost glyph boxes; columnLine's four are the outermost of Line's
// one per point, points outside the axes' ranges skipped as the plot does.
func TestColumnLinePadsLikeALine(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	pts := make(plotter.XYs, 1000)
	for i := range pts {
		pts[i] = plotter.XY{X: float64(i), Y: rng.NormFloat64()}
	}
	l, err := plotter.NewLine(pts)
	if err != nil {
		t.Fatal(err)
	}
	l.Width = vg.Points(2)
	p := plot.New()
	p.Add(l)
	p.X.Min, p.X.Max = 100, 900 // some points beyond the axis
	extremes := func(boxes []plot.GlyphBox) [4]float64 {
		e := [4]float64{math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)}
		for _, b := range boxes {
			if b.X < 0 || b.X > 1 || b.Y < 0 || b.Y > 1 {
				continue
			}
			e = [4]float64{min(e[0], b.X), max(e[1], b.X), min(e[2], b.Y), max(e[3], b.Y)}
		}
		return e
	}
	got, want := columnLine{l}.GlyphBoxes(p), l.GlyphBoxes(p)
	if len(got) != 4 || extremes(got) != extremes(want) {
		t.Errorf("%d boxes spanning %v, want 4 spanning %v", len(got), extremes(got), extremes(want))
	}
	if got[0].Rectangle != want[0].Rectangle {
		t.Errorf("box %v, want %v", got[0].Rectangle, want[0].Rectangle)
	}
}
