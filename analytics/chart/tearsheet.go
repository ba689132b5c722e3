package chart

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// The tear sheet's colours beyond chart.go's: losses are colorNegative,
// gains colorPositive, the 7-day APR colorEquity's blue.
var (
	colorSpot   = color.RGBA{R: 255, G: 127, B: 14, A: 255}
	colorAPR30  = color.RGBA{R: 148, G: 103, B: 189, A: 255}
	colorEvents = color.NRGBA{R: 90, G: 90, B: 90, A: 110}
	colorWater  = color.NRGBA{R: 214, G: 39, B: 40, A: 90}
)

// diverging is a colour map symmetric about zero: red at −M, white at 0,
// green at +M; values beyond ±M take the end colours.
type diverging struct {
	min, max, alpha float64
}

func newDiverging(m float64) *diverging { return &diverging{min: -m, max: m, alpha: 1} }

// At implements palette.ColorMap.
func (d *diverging) At(v float64) (color.Color, error) {
	end := colorPositive
	f := v / d.max
	if v < 0 {
		end, f = colorNegative, v/d.min
	}
	f = math.Max(0, math.Min(1, f))
	mix := func(a uint8) uint8 { return uint8(math.Round(255 + (float64(a)-255)*f)) }
	return color.NRGBA{R: mix(end.R), G: mix(end.G), B: mix(end.B), A: uint8(255 * d.alpha)}, nil
}

func (d *diverging) Max() float64       { return d.max }
func (d *diverging) SetMax(v float64)   { d.max = v }
func (d *diverging) Min() float64       { return d.min }
func (d *diverging) SetMin(v float64)   { d.min = v }
func (d *diverging) Alpha() float64     { return d.alpha }
func (d *diverging) SetAlpha(a float64) { d.alpha = a }
func (d *diverging) Palette(n int) palette.Palette {
	cs := make([]color.Color, n)
	for i := range cs {
		cs[i], _ = d.At(d.min + (d.max-d.min)*float64(i)/float64(max(n-1, 1)))
	}
	return colors(cs)
}

type colors []color.Color

func (c colors) Colors() []color.Color { return c }

// cells draws a table of coloured, labelled cells centred on integer x, y.
type cells struct {
	X, Y   []float64
	Colors []color.Color
	Labels []string
	Size   vg.Length
}

// Plot implements plot.Plotter.
func (g cells) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := draw.TextStyle{Color: color.Black, Font: p.X.Tick.Label.Font, XAlign: draw.XCenter, YAlign: draw.YCenter, Handler: p.X.Tick.Label.Handler}
	sty.Font.Size = g.Size
	for i := range g.X {
		x0, x1 := trX(g.X[i]-0.5), trX(g.X[i]+0.5)
		y0, y1 := trY(g.Y[i]-0.5), trY(g.Y[i]+0.5)
		c.FillPolygon(g.Colors[i], c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}))
		c.StrokeLines(draw.LineStyle{Color: color.White, Width: vg.Points(1.5)}, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
		sty.Color = inkOn(g.Colors[i]) // white on the deepest reds and greens
		c.FillText(sty, vg.Point{X: (x0 + x1) / 2, Y: (y0 + y1) / 2}, g.Labels[i])
	}
}

// MonthlyReturnsData is the monthly returns table: Months[i][m] is year
// Years[i]'s return in month m+1 (NaN outside the window), Yearly[i] the
// year's.
type MonthlyReturnsData struct {
	Years  []int
	Months [][12]float64
	Yearly []float64
}

// MonthlyReturns draws the monthly returns as a heatmap, rows years,
// columns months and the year's return, each cell labelled in percent,
// coloured from red (losses) through white (zero) to green (gains),
// symmetric about zero at the largest |monthly return| (the colour bar
// beside); the year column on its own scale, the largest |yearly return|.
func MonthlyReturns(m Meta, d MonthlyReturnsData, o Options) ([]byte, error) {
	if len(d.Years) == 0 {
		return nil, fmt.Errorf("monthly returns chart: no month in the window")
	}
	scale := 0.0
	for _, row := range d.Months {
		for _, v := range row {
			if !math.IsNaN(v) {
				scale = math.Max(scale, math.Abs(v))
			}
		}
	}
	if scale == 0 {
		scale = 0.0001
	}
	yearScale := 0.0
	for _, v := range d.Yearly {
		if !math.IsNaN(v) {
			yearScale = math.Max(yearScale, math.Abs(v))
		}
	}
	cm, yearMap := newDiverging(scale*100), newDiverging(math.Max(yearScale, 0.0001)*100)
	g := cells{Size: vg.Points(12 * sizeScale(o))}
	add := func(x, y, v float64) {
		if math.IsNaN(v) {
			return
		}
		col, _ := cm.At(v * 100)
		if x > 11 {
			col, _ = yearMap.At(v * 100)
		}
		g.X, g.Y = append(g.X, x), append(g.Y, y)
		g.Colors, g.Labels = append(g.Colors, col), append(g.Labels, fmt.Sprintf("%.2f%%", v*100))
	}
	n := len(d.Years)
	var yTicks plot.ConstantTicks
	for i, year := range d.Years {
		y := float64(n - 1 - i) // the first year on top
		for mo, v := range d.Months[i] {
			add(float64(mo), y, v)
		}
		if i < len(d.Yearly) {
			add(12.3, y, d.Yearly[i])
		}
		yTicks = append(yTicks, plot.Tick{Value: y, Label: fmt.Sprint(year)})
	}
	p := newPlot(o, m.Title("Monthly returns"), "month (UTC); last column: the year", "year")
	p.Add(g)
	var xTicks plot.ConstantTicks
	for mo := range 12 {
		xTicks = append(xTicks, plot.Tick{Value: float64(mo), Label: time.Month(mo + 1).String()[:3]})
	}
	p.X.Tick.Marker = append(xTicks, plot.Tick{Value: 12.3, Label: "Year"})
	p.Y.Tick.Marker = yTicks
	p.X.Min, p.X.Max = -0.5, 12.8
	p.Y.Min, p.Y.Max = -0.5, float64(n)-0.5
	return render(o, true, panel{p, 12}, panel{colorBarPlot(o, cm, "monthly return (%)"), 1})
}

// dropNull are the points whose value is defined (NaN: undefined).
func dropNull(times []time.Time, ys []float64, scale float64) plotter.XYs {
	var pts plotter.XYs
	for i, t := range times {
		if !math.IsNaN(ys[i]) {
			pts = append(pts, plotter.XY{X: unix(t), Y: ys[i] * scale})
		}
	}
	return pts
}

// RollingRisk draws the rolling Sharpe ratio (top) and annualized
// volatility (bottom) of daily returns over windows of the given days, at
// each day's end (NaN: the window is not full yet).
func RollingRisk(m Meta, days []time.Time, sharpe, volatility []float64, window int, o Options) ([]byte, error) {
	sp, vp := dropNull(days, sharpe, 1), dropNull(days, volatility, 100)
	if len(sp) == 0 && len(vp) == 0 {
		return nil, fmt.Errorf("rolling risk chart: fewer than %d daily returns", window)
	}
	top := newPlot(o, m.Title(fmt.Sprintf("Rolling %d-day Sharpe and volatility (daily returns, 365 a year)", window)), "", "Sharpe ratio (annualized)")
	timeAxis(top, m.From, m.To)
	top.Add(plotter.NewGrid())
	if len(sp) > 0 {
		if err := line(top, fmt.Sprintf("%d-day Sharpe", window), sp, colorEquity, 1.5); err != nil {
			return nil, err
		}
	}
	zero := plotter.XYs{{X: unix(m.From), Y: 0}, {X: unix(m.To), Y: 0}}
	if err := line(top, "", zero, colorNeutral, 0.8); err != nil {
		return nil, err
	}
	bottom := newPlot(o, "", "time (UTC)", "volatility (%/year)")
	timeAxis(bottom, m.From, m.To)
	bottom.Add(plotter.NewGrid())
	if len(vp) > 0 {
		if err := line(bottom, fmt.Sprintf("%d-day volatility", window), vp, colorNegative, 1.5); err != nil {
			return nil, err
		}
	}
	return render(o, false, panel{top, 1}, panel{bottom, 1})
}

// area fills between zero and a line (the underwater curve).
type area struct {
	pts   plotter.XYs
	color color.Color
}

// Plot implements plot.Plotter.
func (a area) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	poly := []vg.Point{{X: trX(a.pts[0].X), Y: trY(0)}}
	for _, pt := range a.pts {
		poly = append(poly, vg.Point{X: trX(pt.X), Y: trY(pt.Y)})
	}
	poly = append(poly, vg.Point{X: trX(a.pts[len(a.pts)-1].X), Y: trY(0)})
	c.FillPolygon(a.color, c.ClipPolygonXY(poly))
}

// DataRange implements plot.DataRanger.
func (a area) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = plotter.XYRange(a.pts)
	return xmin, xmax, math.Min(ymin, 0), math.Max(ymax, 0)
}

// Underwater draws the drawdown from the running peak (fractions ≤ 0) at
// each day's end, shaded down from zero.
func Underwater(m Meta, days []time.Time, drawdown []float64, o Options) ([]byte, error) {
	if len(days) < 2 {
		return nil, fmt.Errorf("underwater chart: fewer than two days")
	}
	pts := xys(days, drawdown, 100)
	p := newPlot(o, m.Title("Underwater: drawdown from the running peak (daily equity)"), "time (UTC)", "drawdown (%)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid(), area{pts: pts, color: colorWater})
	if err := line(p, "", pts, colorDrawdown, 1.2); err != nil {
		return nil, err
	}
	p.Y.Max = 0
	return render(o, false, panel{p, 1})
}

// BenchmarkData is a run's equity beside spot bought and held with the
// same capital and the capital at the risk-free rate, over the grid.
type BenchmarkData struct {
	Times                  []time.Time
	Equity, Spot, RiskFree []float64
	RiskFreeRate, Capital  float64
}

// Benchmark draws the strategy's equity, spot buy-and-hold and the
// risk-free line.
func Benchmark(m Meta, d BenchmarkData, o Options) ([]byte, error) {
	p := newPlot(o, m.Title("Strategy against spot buy-and-hold and the risk-free rate"), "time (UTC)", "value of the capital (USDT)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid())
	for _, l := range []struct {
		name string
		ys   []float64
		c    color.Color
		w    float64
	}{{fmt.Sprintf("spot bought with %.0f and held", d.Capital), d.Spot, colorSpot, 1.2},
		{fmt.Sprintf("risk-free %.2f%%/year", d.RiskFreeRate*100), d.RiskFree, colorNeutral, 1.2},
		{"strategy equity", d.Equity, colorEquity, 2}} {
		if len(l.ys) != len(d.Times) {
			continue
		}
		if err := line(p, l.name, xys(d.Times, l.ys, 1), l.c, l.w); err != nil {
			return nil, err
		}
	}
	return render(o, false, panel{p, 1})
}

// FundingAPRData is the window's funding events, each annualized by its
// own interval, and the rolling 7- and 30-day APR at each event (NaN:
// the window reaches before the data).
type FundingAPRData struct {
	Times       []time.Time
	Annualized  []float64
	APR7, APR30 []float64
}

// FundingAPR draws the rolling 7- and 30-day funding APR beside each
// event's annualized rate.
func FundingAPR(m Meta, d FundingAPRData, o Options) ([]byte, error) {
	if len(d.Times) == 0 {
		return nil, fmt.Errorf("funding APR chart: no funding events in the window")
	}
	p := newPlot(o, m.Title("Funding: rolling 7- and 30-day APR and each event"), "time (UTC)", "annualized funding (%/year, 365 days)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid())
	ev, err := plotter.NewScatter(xys(d.Times, d.Annualized, 100))
	if err != nil {
		return nil, err
	}
	ev.GlyphStyle.Shape, ev.GlyphStyle.Radius, ev.GlyphStyle.Color = draw.CircleGlyph{}, vg.Points(1.6), colorEvents
	p.Add(ev)
	p.Legend.Add("each event: rate·(24/h)·365", ev)
	for _, l := range []struct {
		name string
		ys   []float64
		c    color.Color
	}{{"rolling 7-day APR", d.APR7, colorEquity}, {"rolling 30-day APR", d.APR30, colorAPR30}} {
		pts := dropNull(d.Times, l.ys, 100)
		if len(pts) == 0 {
			continue
		}
		if err := line(p, l.name, pts, l.c, 2); err != nil {
			return nil, err
		}
	}
	return render(o, false, panel{p, 1})
}
