package chart

import (
	"fmt"
	"image/color"
	"slices"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func xys(times []time.Time, ys []float64, scale float64) plotter.XYs {
	pts := make(plotter.XYs, len(times))
	for i, t := range times {
		pts[i] = plotter.XY{X: unix(t), Y: ys[i] * scale}
	}
	return pts
}

// line draws a line of time-series points, decimated to the pixels of
// the plot's data area when it is longer than they can show (columnLine).
func line(p *plot.Plot, name string, pts plotter.XYs, c color.Color, width float64) error {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	l.Color = c
	l.Width = vg.Points(width)
	p.Add(columnLine{l})
	if name != "" {
		p.Legend.Add(name, l)
	}
	return nil
}

// EquityData is the equity curve and its drawdown.
type EquityData struct {
	Times    []time.Time
	Equity   []float64 // quote currency
	Drawdown []float64 // fraction, ≤ 0
	Capital  float64
}

// Equity draws the equity curve with its drawdown in a panel beneath.
func Equity(m Meta, d EquityData, o Options) ([]byte, error) {
	top := newPlot(o, m.Title("Equity"), "", "equity (USDT)")
	timeAxis(top, m.From, m.To)
	if err := line(top, "equity", xys(d.Times, d.Equity, 1), colorEquity, 1.5); err != nil {
		return nil, err
	}
	cap := plotter.XYs{{X: unix(m.From), Y: d.Capital}, {X: unix(m.To), Y: d.Capital}}
	if err := line(top, fmt.Sprintf("capital %.0f", d.Capital), cap, colorNeutral, 0.8); err != nil {
		return nil, err
	}
	top.Add(plotter.NewGrid())
	bottom := newPlot(o, "", "time (UTC)", "drawdown (%)")
	timeAxis(bottom, m.From, m.To)
	if err := line(bottom, "drawdown", xys(d.Times, d.Drawdown, 100), colorDrawdown, 1.2); err != nil {
		return nil, err
	}
	bottom.Add(plotter.NewGrid())
	return render(o, false, panel{top, 3}, panel{bottom, 1})
}

// FundingData is a symbol's funding events over the window and the spans
// the position was open.
type FundingData struct {
	Times      []time.Time // settlement instants τ
	Rates      []float64   // per event, fraction
	Annualized []float64   // per event, rate·(24/h)·365
	Open       [][2]time.Time
}

// Funding draws each event's rate as a bar coloured by sign, the annualized
// rate in a panel beneath, and shades the periods the position was open.
func Funding(m Meta, d FundingData, o Options) ([]byte, error) {
	if len(d.Times) == 0 {
		return nil, fmt.Errorf("funding chart: no funding events in the window")
	}
	shade := bands{Color: colorShade}
	for _, s := range d.Open {
		shade.From, shade.To = append(shade.From, unix(s[0])), append(shade.To, unix(s[1]))
	}
	width := 0.0
	if len(d.Times) > 1 {
		width = 0.6 * (unix(d.Times[len(d.Times)-1]) - unix(d.Times[0])) / float64(len(d.Times))
	}
	bars := signedBars{Width: width, Pos: colorPositive, Neg: colorNegative}
	for i, t := range d.Times {
		bars.X, bars.Y = append(bars.X, unix(t)), append(bars.Y, d.Rates[i]*100)
	}
	top := newPlot(o, m.Title("Funding rate per event"), "", "funding rate per event (%)")
	timeAxis(top, m.From, m.To)
	top.Add(shade, plotter.NewGrid(), bars)
	top.Legend.Add("rate ≥ 0", legendSwatch{colorPositive})
	top.Legend.Add("rate < 0", legendSwatch{colorNegative})
	if len(d.Open) > 0 {
		top.Legend.Add("position open", shade)
	}
	bottom := newPlot(o, "", "time (UTC)", "annualized (%/year, 365 days)")
	timeAxis(bottom, m.From, m.To)
	bottom.Add(shade, plotter.NewGrid())
	if err := line(bottom, "annualized rate·(24/h)·365", xys(d.Times, d.Annualized, 100), colorFunding, 1.2); err != nil {
		return nil, err
	}
	return render(o, false, panel{top, 1}, panel{bottom, 1})
}

// BasisData is the annualized basis over the grid and the trades' times:
// Entries and Exits as before, Rolls and Liquidations beside them.
type BasisData struct {
	Times        []time.Time
	Annualized   []float64 // fraction per year
	Entries      []time.Time
	Exits        []time.Time
	Rolls        []time.Time // the short rolled into the next dated contract
	Liquidations []time.Time
}

// Basis draws the annualized basis with a mark at each entry, exit, roll
// and liquidation.
func Basis(m Meta, d BasisData, o Options) ([]byte, error) {
	p := newPlot(o, m.Title("Annualized basis"), "time (UTC)", "annualized basis (%/year, 365 days)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid())
	if err := line(p, "annualized basis", xys(d.Times, d.Annualized, 100), colorBasis, 1.2); err != nil {
		return nil, err
	}
	marks := TradeMarks{Entries: d.Entries, Exits: d.Exits, Rolls: d.Rolls, Liquidations: d.Liquidations}
	if err := addTradeMarks(p, o, marks, seriesValueAt(d.Times, d.Annualized, 100)); err != nil {
		return nil, err
	}
	return render(o, false, panel{p, 1})
}

// AttributionData is the cumulative P&L split over the grid.
type AttributionData struct {
	Times    []time.Time
	Funding  []float64 // cumulative funding received
	BasisPnL []float64 // price P&L of both legs at fill prices
	Costs    []float64 // cumulative fees and liquidation forfeit, as a cost (≥ 0)
}

// Attribution draws cumulative funding, basis P&L, costs and their net.
func Attribution(m Meta, d AttributionData, o Options) ([]byte, error) {
	p := newPlot(o, m.Title("P&L attribution"), "time (UTC)", "cumulative P&L (USDT)")
	timeAxis(p, m.From, m.To)
	p.Add(plotter.NewGrid())
	net := make([]float64, len(d.Times))
	neg := make([]float64, len(d.Times))
	for i := range net {
		net[i] = d.Funding[i] + d.BasisPnL[i] - d.Costs[i]
		neg[i] = -d.Costs[i]
	}
	for _, l := range []struct {
		name string
		ys   []float64
		c    color.Color
		w    float64
	}{{"funding", d.Funding, colorFunding, 1.5}, {"basis P&L (slippage inside)", d.BasisPnL, colorBasis, 1.5},
		{"costs (fees, forfeit)", neg, colorCosts, 1.5}, {"net = equity − capital", net, colorNeutral, 2}} {
		if err := line(p, l.name, xys(d.Times, l.ys, 1), l.c, l.w); err != nil {
			return nil, err
		}
	}
	return render(o, false, panel{p, 1})
}

// Distributions draws a histogram of the funding rates (annualized) and
// one of the period returns, side by side.
func Distributions(m Meta, annualizedFunding, returns []float64, periodLabel string, o Options) ([]byte, error) {
	left := newPlot(o, m.TwoLineTitle("Funding rates"), "annualized funding rate (%/year, 365 days)", "events")
	right := newPlot(o, m.TwoLineTitle(periodLabel+" returns"), periodLabel+" equity return (%)", "periods")
	for _, h := range []struct {
		p  *plot.Plot
		vs []float64
		c  color.Color
	}{{left, annualizedFunding, colorFunding}, {right, returns, colorEquity}} {
		if len(h.vs) == 0 {
			continue
		}
		vals := make(plotter.Values, len(h.vs))
		for i, v := range h.vs {
			vals[i] = v * 100
		}
		hist, err := plotter.NewHist(vals, 40)
		if err != nil {
			return nil, err
		}
		hist.FillColor = h.c
		h.p.Add(plotter.NewGrid(), hist)
	}
	return render(o, true, panel{left, 1}, panel{right, 1})
}

// Ranking draws the annualized carry yield per symbol, best first.
func Ranking(title string, symbols []string, yields []float64, o Options) ([]byte, error) {
	idx := make([]int, len(symbols))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		switch {
		case yields[a] > yields[b]:
			return 1
		case yields[a] < yields[b]:
			return -1
		}
		return 0
	})
	names := make([]string, len(idx))
	vals := make(plotter.Values, len(idx))
	for j, i := range idx {
		names[j], vals[j] = symbols[i], yields[i]*100
	}
	p := newPlot(o, title, "annualized carry yield (APR, %/year, 365 days)", "")
	bars, err := plotter.NewBarChart(vals, vg.Points(22))
	if err != nil {
		return nil, err
	}
	bars.Horizontal = true
	bars.Color = colorEquity
	p.Add(plotter.NewGrid(), bars)
	p.NominalY(names...)
	return render(o, false, panel{p, 1})
}
