package chart

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The portfolio charts' colours beyond chart.go's and tearsheet.go's: the
// BTC carry benchmark purple, spot held orange (the tear sheet's spot).
var (
	colorBTCCarry = color.RGBA{R: 148, G: 103, B: 189, A: 255}
	colorAbsent   = color.NRGBA{R: 225, G: 225, B: 225, A: 255} // not in the universe
)

// BookEquityData is a book's equity and, on their own grid, the
// benchmarks' (nil: none), all from the same capital.
type BookEquityData struct {
	Times             []time.Time
	Equity            []float64
	BenchTimes        []time.Time
	BTCCarry, BTCSpot []float64
	Capital           float64
}

// BookEquity draws the book's equity against BTC carry and BTC spot held,
// with the capital, and each curve's drawdown from its running peak
// (starting at the capital) in a panel beneath. The panel is scaled to
// the carry curves (the book's and BTC carry's): spot's drawdown, tens of
// times deeper, would flatten them to a line at 0; when it is beyond
// drawdownSpotFactor times theirs it is left out of the panel, its depth
// said in the panel's legend.
func BookEquity(m Meta, d BookEquityData, o Options) ([]byte, error) {
	top := newPlot(o, m.Title("Equity against BTC"), "", "equity (USDT)")
	timeAxis(top, m.From, m.To)
	top.Add(plotter.NewGrid())
	bottom := newPlot(o, "", "time (UTC)", "drawdown (%)")
	timeAxis(bottom, m.From, m.To)
	bottom.Add(plotter.NewGrid())
	type curve struct {
		name  string
		times []time.Time
		ys    []float64
		c     color.Color
		w     float64
		spot  bool
	}
	var curves []curve
	for _, c := range []curve{{"book", d.Times, d.Equity, colorEquity, 2, false}, {"BTCUSDT carry (always in)", d.BenchTimes, d.BTCCarry, colorBTCCarry, 1.3, false},
		{"BTC spot held", d.BenchTimes, d.BTCSpot, colorSpot, 1.1, true}} {
		if len(c.ys) > 0 && len(c.ys) == len(c.times) {
			curves = append(curves, c)
		}
	}
	carryLow, spotLow := 0.0, 0.0 // the deepest drawdowns, in %
	dds := make([][]float64, len(curves))
	for i, c := range curves {
		dds[i] = drawdownsFrom(c.ys, d.Capital)
		for _, v := range dds[i] {
			if c.spot {
				spotLow = math.Min(spotLow, 100*v)
			} else {
				carryLow = math.Min(carryLow, 100*v)
			}
		}
	}
	lo, cut := drawdownScale(carryLow, spotLow)
	for i, c := range curves {
		if err := line(top, c.name, xys(c.times, c.ys, 1), c.c, c.w); err != nil {
			return nil, err
		}
		if !c.spot || !cut {
			if err := line(bottom, c.name, xys(c.times, dds[i], 100), c.c, c.w*0.8); err != nil {
				return nil, err
			}
			continue
		}
		// Its legend entry only: the depth it reached, off this scale.
		bottom.Legend.Add(fmt.Sprintf("BTC spot held: to %.0f %%, not drawn", spotLow), legendSwatch{colorSpot})
	}
	if cut {
		bottom.Y.Min, bottom.Y.Max = lo, -0.05*lo
	}
	bottom.Y.Tick.Marker = niceTicks{n: 4}
	cap := plotter.XYs{{X: unix(m.From), Y: d.Capital}, {X: unix(m.To), Y: d.Capital}}
	if err := line(top, fmt.Sprintf("capital %.0f", d.Capital), cap, colorNeutral, 0.8); err != nil {
		return nil, err
	}
	return render(o, false, panel{top, 3}, panel{bottom, 1.3})
}

// drawdownSpotFactor is how much deeper than the carry curves' spot's
// drawdown may go and still share their scale.
const drawdownSpotFactor = 3

// drawdownScale is the drawdown panel's bottom (in %, ≤ 0) when spot's
// deepest drawdown (spotLow) is cut off: the carry curves' deepest
// (carryLow) with a tenth beside, at least 1 %; cut is false when spot's
// is within drawdownSpotFactor times that, and the panel takes every
// curve whole (gonum's range).
func drawdownScale(carryLow, spotLow float64) (lo float64, cut bool) {
	lo = math.Min(1.1*carryLow, -1)
	if spotLow >= drawdownSpotFactor*lo {
		return 0, false
	}
	return lo, true
}

// niceTicks is a plot.Ticker of about n ticks at a round step (1, 2, 2.5
// or 5 times a power of ten: the one whose count is nearest n), labelled
// with the decimals the step needs:
// gonum's default gives two on a short panel.
type niceTicks struct{ n int }

// Ticks implements plot.Ticker.
func (t niceTicks) Ticks(min, max float64) []plot.Tick {
	if !(max > min) || t.n < 1 {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	// The round step whose count of ticks is nearest n (the larger step
	// on a tie).
	mag := math.Pow(10, math.Floor(math.Log10((max-min)/float64(t.n))))
	step, best := 0.0, math.Inf(1)
	for _, m := range []float64{mag / 10, mag, mag * 10} {
		for _, f := range []float64{1, 2, 2.5, 5} {
			count := math.Floor(max/(f*m)+1e-9) - math.Ceil(min/(f*m)-1e-9) + 1
			if d := math.Abs(count - float64(t.n)); d <= best {
				step, best = f*m, d
			}
		}
	}
	decimals := 0
	for decimals < 6 && math.Abs(step*math.Pow(10, float64(decimals))-math.Round(step*math.Pow(10, float64(decimals)))) > 1e-9 {
		decimals++
	}
	var out []plot.Tick
	for k := math.Ceil(min/step - 1e-9); k*step <= max+1e-9*step; k++ {
		v := k * step
		if math.Abs(v) < 1e-12*step {
			v = 0 // no "-0"
		}
		out = append(out, plot.Tick{Value: v, Label: strconv.FormatFloat(v, 'f', decimals, 64)})
	}
	return out
}

// drawdownsFrom is analytics.DrawdownsFrom (charts do not import the
// statistics): equity over its running peak, starting at capital, − 1.
func drawdownsFrom(equity []float64, capital float64) []float64 {
	out := make([]float64, len(equity))
	peak := capital
	for i, e := range equity {
		peak = math.Max(peak, e)
		if peak > 0 {
			out[i] = e/peak - 1
		}
	}
	return out
}

// HoldingsData is each symbol's weight over the book's grid:
// Weights[s][i] is symbol s's at Times[i], NaN where the symbol is not in
// the universe (before its data starts, after it ends).
type HoldingsData struct {
	Times   []time.Time
	Symbols []string
	Weights [][]float64 // fraction of the book's equity
}

// maxHoldingColumns is how many time columns the holdings heatmap has at
// most: a longer grid is averaged into that many equal spans of time.
const maxHoldingColumns = 400

// Holdings draws the weights as a heatmap, symbols (rows, the first at
// the top) over time, white at 0 through blue at the largest weight, grey
// where the symbol is not in the universe, with a colour bar beside. A
// long grid is averaged into maxHoldingColumns spans.
func Holdings(m Meta, d HoldingsData, o Options) ([]byte, error) {
	if len(d.Times) == 0 || len(d.Symbols) == 0 {
		return nil, fmt.Errorf("holdings chart: no grid or no symbols")
	}
	edges, binned := binWeights(d, min(len(d.Times), maxHoldingColumns))
	top := 0.0
	for _, row := range binned {
		for _, w := range row {
			if !math.IsNaN(w) {
				top = math.Max(top, w)
			}
		}
	}
	if top <= 0 {
		top = 1
	}
	cm := &sequential{max: top * 100, end: colorHeatBest}
	p := newPlot(o, m.Title("Holdings"), "time (UTC)", "")
	timeAxis(p, m.From, m.To)
	p.Add(timeCells{edges: edges, values: binned, colors: cm})
	n := len(d.Symbols)
	names := make([]string, n)
	for i, s := range d.Symbols { // the first symbol at the top
		names[n-1-i] = s
	}
	p.Y.Tick.Marker = nominal(names)
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	bar := colorBarPlot(o, cm, "weight (% of the book's equity)")
	return renderPage(o, func(dc draw.Canvas) {
		drawBesideColorBar(draw.Crop(dc, panelPad, -panelPad, panelPad, -panelPad), p, bar, o)
	})
}

// binWeights averages the weights into columns equal spans of the grid's
// time (the mean of the defined values in each; NaN when none): edges
// are the spans' bounds in Unix seconds, values[s][k] symbol s's in span k.
func binWeights(d HoldingsData, columns int) (edges []float64, values [][]float64) {
	first, last := unix(d.Times[0]), unix(d.Times[len(d.Times)-1])
	if columns == len(d.Times) || !(last > first) {
		// One column per grid point, each to the next point (the last as
		// wide as the one before).
		n := len(d.Times)
		edges = make([]float64, n+1)
		for i, t := range d.Times {
			edges[i] = unix(t)
		}
		step := 3600.0
		if n > 1 {
			step = edges[n-1] - edges[n-2]
		}
		edges[n] = edges[n-1] + step
		return edges, d.Weights
	}
	width := (last - first) / float64(columns)
	edges = make([]float64, columns+1)
	for k := range edges {
		edges[k] = first + float64(k)*width
	}
	values = make([][]float64, len(d.Symbols))
	for s := range d.Symbols {
		sum, count := make([]float64, columns), make([]int, columns)
		for i, t := range d.Times {
			w := d.Weights[s][i]
			if math.IsNaN(w) {
				continue
			}
			k := min(int((unix(t)-first)/width), columns-1)
			sum[k] += w
			count[k]++
		}
		values[s] = make([]float64, columns)
		for k := range sum {
			values[s][k] = math.NaN()
			if count[k] > 0 {
				values[s][k] = sum[k] / float64(count[k])
			}
		}
	}
	return edges, values
}

// timeCells draws values[s][k] as a cell from edges[k] to edges[k+1] in x
// and row n−1−s in y (the first row at the top), coloured by colors (in
// percent), colorAbsent where NaN.
type timeCells struct {
	edges  []float64
	values [][]float64
	colors palette.ColorMap
}

// Plot implements plot.Plotter.
func (g timeCells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	n := len(g.values)
	for s, row := range g.values {
		y := float64(n - 1 - s)
		y0, y1 := trY(y-0.5), trY(y+0.5)
		for k, v := range row {
			fill := color.Color(colorAbsent)
			if !math.IsNaN(v) {
				fill, _ = g.colors.At(v * 100)
			}
			// Widened by a hair so that neighbouring cells leave no seam.
			x0, x1 := trX(g.edges[k]), trX(g.edges[k+1])+vg.Points(0.3)
			c.FillPolygon(fill, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		}
	}
}

// sequential is a colour map from white at 0 to end at max.
type sequential struct {
	max float64
	end color.NRGBA
}

// At implements palette.ColorMap.
func (s *sequential) At(v float64) (color.Color, error) {
	f := math.Max(0, math.Min(1, v/s.max))
	mix := func(a uint8) uint8 { return uint8(math.Round(255 + (float64(a)-255)*f)) }
	return color.NRGBA{R: mix(s.end.R), G: mix(s.end.G), B: mix(s.end.B), A: 255}, nil
}

func (s *sequential) Max() float64     { return s.max }
func (s *sequential) SetMax(v float64) { s.max = v }
func (s *sequential) Min() float64     { return 0 }
func (s *sequential) SetMin(float64)   {}
func (s *sequential) Alpha() float64   { return 1 }
func (s *sequential) SetAlpha(float64) {}
func (s *sequential) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i], _ = s.At(s.max * float64(i) / float64(max(n-1, 1)))
	}
	return colors(cs)
}

// Contributions draws each symbol's net contribution as a horizontal bar,
// green when it added to the book, red when it took away, in the order
// given from the top (the caller sorts them).
func Contributions(title string, symbols []string, net []float64, o Options) ([]byte, error) {
	n := len(symbols)
	if n == 0 {
		return nil, fmt.Errorf("contributions chart: no pairs")
	}
	names := make([]string, n)
	pos, neg := make(plotter.Values, n), make(plotter.Values, n)
	for i := range symbols { // the first symbol at the top
		j := n - 1 - i
		names[j] = symbols[i]
		if net[i] >= 0 {
			pos[j] = net[i]
		} else {
			neg[j] = net[i]
		}
	}
	p := newPlot(o, title, "net contribution: funding + basis P&L − fees − forfeit (USDT)", "")
	p.Add(plotter.NewGrid())
	width := vg.Points(math.Min(22, 0.6*float64(o.withDefaults().Height)/float64(n)))
	for _, b := range []struct {
		vs plotter.Values
		c  color.Color
	}{{pos, colorPositive}, {neg, colorNegative}} {
		bars, err := plotter.NewBarChart(b.vs, width)
		if err != nil {
			return nil, err
		}
		bars.Horizontal = true
		bars.Color = b.c
		bars.LineStyle.Width = 0
		p.Add(bars)
	}
	p.NominalY(names...)
	if lo, hi, ok := contributionRange(net); ok {
		p.X.Min, p.X.Max = lo, hi
	}
	p.X.Tick.Marker = niceTicks{n: 10}
	p.Legend.Add("added to the book", legendSwatch{colorPositive})
	p.Legend.Add("took from the book", legendSwatch{colorNegative})
	return render(o, false, panel{p, 1})
}

// contributionPad is the room beyond the largest bar on each side, as a
// fraction of the largest |bar|: without it the largest bar runs to the
// axis's end, against the legend.
const contributionPad = 0.06

// contributionRange is the contributions' value axis: from the most
// negative bar to the most positive, each side that has bars padded by
// contributionPad of the largest |bar|, and 0 always in; false when every
// bar is 0 (gonum's range then).
func contributionRange(net []float64) (lo, hi float64, ok bool) {
	for _, v := range net {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	pad := contributionPad * math.Max(-lo, hi)
	if !(pad > 0) {
		return 0, 0, false
	}
	if lo < 0 {
		lo -= pad
	}
	if hi > 0 {
		hi += pad
	}
	return lo, hi, true
}

// TurnoverData is what a book traded and paid: the notional filled per
// day (at the day's end) and the cumulative costs after each grid point.
type TurnoverData struct {
	Days         []time.Time
	DailyTraded  []float64 // USDT, both legs
	Times        []time.Time
	CumFees      []float64
	CumForfeit   []float64
	TurnoverYear float64 // traded / mean equity per 365 days, for the title
}

// Turnover draws the notional traded per day (bars) and the cumulative
// fees and liquidation forfeits beneath.
func Turnover(m Meta, d TurnoverData, o Options) ([]byte, error) {
	top := newPlot(o, m.Title(fmt.Sprintf("Turnover and costs (%.1f× the mean equity a year)", d.TurnoverYear)), "", "traded per day (USDT)")
	timeAxis(top, m.From, m.To)
	top.Add(plotter.NewGrid())
	if len(d.Days) > 0 {
		width := 0.0
		if len(d.Days) > 1 {
			width = 0.7 * (unix(d.Days[len(d.Days)-1]) - unix(d.Days[0])) / float64(len(d.Days))
		}
		bars := signedBars{Width: width, Pos: colorEquity, Neg: colorEquity}
		for i, t := range d.Days {
			bars.X, bars.Y = append(bars.X, unix(t)-width/2), append(bars.Y, d.DailyTraded[i])
		}
		top.Add(bars)
		top.Legend.Add("notional traded in the day, both legs", legendSwatch{colorEquity})
	}
	bottom := newPlot(o, "", "time (UTC)", "cumulative cost (USDT)")
	timeAxis(bottom, m.From, m.To)
	bottom.Add(plotter.NewGrid())
	if err := line(bottom, "fees", xys(d.Times, d.CumFees, 1), colorCosts, 1.5); err != nil {
		return nil, err
	}
	if err := line(bottom, "liquidation forfeits", xys(d.Times, d.CumForfeit, 1), colorNeutral, 1.2); err != nil {
		return nil, err
	}
	return render(o, false, panel{top, 1.3}, panel{bottom, 1})
}

// FundingCompareData is the book's funding APR and the universe's median
// over time (NaN: undefined there).
type FundingCompareData struct {
	Times          []time.Time
	Book, Universe []float64 // fraction per year
	Window         string    // what smoothed them, for the legend ("7-day mean")
	// BookFrom is where the book's line starts: the end of its first full
	// window with a holding, before which its mean counts days it held
	// nothing and reads near 0 (zero: the whole line).
	BookFrom time.Time
}

// FundingCompare draws the book's funding APR against the universe's
// median funding APR.
func FundingCompare(m Meta, d FundingCompareData, o Options) ([]byte, error) {
	p := newPlot(o, m.Title("Funding APR, "+d.Window+": the book against the universe's median"), "time (UTC)", "annualized (%/year, 365 days)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid())
	for _, l := range []struct {
		name string
		ys   []float64
		c    color.Color
		w    float64
		from time.Time
	}{{"book", d.Book, colorEquity, 2, d.BookFrom}, {"universe's median pair", d.Universe, colorNeutral, 1.4, time.Time{}}} {
		pts := pointsFrom(d.Times, l.ys, l.from)
		if len(pts) == 0 {
			continue
		}
		if err := line(p, l.name, pts, l.c, l.w); err != nil {
			return nil, err
		}
	}
	yAxisFromZero(p)
	return render(o, false, panel{p, 1})
}

// pointsFrom are the defined values (in percent) at or after from.
func pointsFrom(times []time.Time, ys []float64, from time.Time) plotter.XYs {
	i := 0
	for i < len(times) && times[i].Before(from) {
		i++
	}
	return dropNull(times[i:], ys[i:], 100)
}
