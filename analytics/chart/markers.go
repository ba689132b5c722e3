package chart

import (
	"image/color"
	"math"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TradeMarks are the instants of a run's trades a chart marks on its line:
// entries, exits (exit rules, the window's end, delivery of a dated
// contract not rolled), rolls into the next dated contract, liquidations.
type TradeMarks struct {
	Entries, Exits, Rolls, Liquidations []time.Time
}

// markKind is how one kind of trade is marked: a filled shape with a
// white outline, so that it shows on any line, and a legend name.
type markKind struct {
	name   string
	shape  outlinedGlyph
	color  color.Color
	radius float64 // points at 1600 px
}

var (
	colorRoll        = color.RGBA{R: 148, G: 103, B: 189, A: 255}
	colorLiquidation = color.RGBA{A: 255}
)

// The four kinds: entries point up, exits down, a roll is a diamond and a
// liquidation a black cross, the largest.
var (
	markEntry       = markKind{"entry", glyphUp, colorPositive, 8}
	markExit        = markKind{"exit", glyphDown, colorNegative, 8}
	markRoll        = markKind{"roll to the next contract", glyphDiamond, colorRoll, 8}
	markLiquidation = markKind{"liquidation", glyphCross, colorLiquidation, 10}
)

// addTradeMarks marks each trade on p at (t, y(t)), skipping instants y
// has no value for, with one legend entry per kind that has a mark.
func addTradeMarks(p *plot.Plot, o Options, marks TradeMarks, y func(time.Time) (float64, bool)) error {
	for _, k := range []struct {
		kind markKind
		at   []time.Time
	}{{markEntry, marks.Entries}, {markExit, marks.Exits}, {markRoll, marks.Rolls}, {markLiquidation, marks.Liquidations}} {
		var pts plotter.XYs
		for _, t := range k.at {
			if v, ok := y(t); ok {
				pts = append(pts, plotter.XY{X: unix(t), Y: v})
			}
		}
		if len(pts) == 0 {
			continue
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return err
		}
		s.GlyphStyle = draw.GlyphStyle{Shape: k.kind.shape, Color: k.kind.color, Radius: vg.Points(k.kind.radius * sizeScale(o))}
		p.Add(s)
		p.Legend.Add(k.kind.name, s)
	}
	return nil
}

// seriesValueAt looks up a series' value at one of its times, times
// factor (100 for a percentage).
func seriesValueAt(times []time.Time, ys []float64, factor float64) func(time.Time) (float64, bool) {
	return func(t time.Time) (float64, bool) {
		i, ok := slices.BinarySearchFunc(times, t, func(a, b time.Time) int { return a.Compare(b) })
		if !ok || math.IsNaN(ys[i]) {
			return 0, false
		}
		return ys[i] * factor, true
	}
}

// outlinedGlyph is a polygon of vertices on the unit circle's scale,
// filled with the glyph's colour and outlined in white.
type outlinedGlyph []vg.Point

// DrawGlyph implements draw.GlyphDrawer.
func (g outlinedGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	var path vg.Path
	for i, v := range g {
		q := vg.Point{X: pt.X + v.X*sty.Radius, Y: pt.Y + v.Y*sty.Radius}
		if i == 0 {
			path.Move(q)
		} else {
			path.Line(q)
		}
	}
	path.Close()
	c.SetLineStyle(draw.LineStyle{Color: color.White, Width: sty.Radius / 3})
	c.Stroke(path)
	c.SetColor(sty.Color)
	c.Fill(path)
}

var (
	glyphUp      = outlinedGlyph{{X: 0, Y: 1}, {X: -0.87, Y: -0.5}, {X: 0.87, Y: -0.5}}
	glyphDown    = outlinedGlyph{{X: 0, Y: -1}, {X: 0.87, Y: 0.5}, {X: -0.87, Y: 0.5}}
	glyphDiamond = outlinedGlyph{{X: 0, Y: 1}, {X: 0.75, Y: 0}, {X: 0, Y: -1}, {X: -0.75, Y: 0}}
	glyphCross   = crossGlyph(0.3)
)

// crossGlyph is an × whose arms are 2·w wide: a plus sign's twelve
// corners turned by 45°.
func crossGlyph(w float64) outlinedGlyph {
	plus := [][2]float64{{w, w}, {w, 1}, {-w, 1}, {-w, w}, {-1, w}, {-1, -w}, {-w, -w}, {-w, -1}, {w, -1}, {w, -w}, {1, -w}, {1, w}}
	g := make(outlinedGlyph, len(plus))
	for i, v := range plus {
		g[i] = vg.Point{X: vg.Length((v[0] - v[1]) * math.Sqrt2 / 2), Y: vg.Length((v[0] + v[1]) * math.Sqrt2 / 2)}
	}
	return g
}
