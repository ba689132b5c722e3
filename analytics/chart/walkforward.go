package chart

import (
	"fmt"
	"image/color"
	"time"

	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// WalkForwardData is a walk-forward's stitched out-of-sample equity and
// where each fold's segment starts.
type WalkForwardData struct {
	Title      string
	Times      []time.Time
	Equity     []float64
	Capital    float64
	FoldStarts []time.Time // each fold's out-of-sample segment's start
}

// WalkForward draws the stitched out-of-sample equity with the capital
// and a dashed line where each fold's segment starts.
func WalkForward(d WalkForwardData, o Options) ([]byte, error) {
	if len(d.Times) < 2 || len(d.Times) != len(d.Equity) {
		return nil, fmt.Errorf("walk-forward chart: %d times, %d equity values", len(d.Times), len(d.Equity))
	}
	from, to := d.Times[0], d.Times[len(d.Times)-1]
	p := newPlot(o, d.Title, "time (UTC)", "stitched out-of-sample equity (USDT)")
	timeAxis(p, from, to)
	p.Add(plotter.NewGrid())
	lo, hi := d.Capital, d.Capital
	for _, e := range d.Equity {
		lo, hi = min(lo, e), max(hi, e)
	}
	for i, t := range d.FoldStarts {
		l, err := plotter.NewLine(plotter.XYs{{X: unix(t), Y: lo}, {X: unix(t), Y: hi}})
		if err != nil {
			return nil, err
		}
		l.Color = color.RGBA{R: 150, G: 150, B: 150, A: 255}
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		if i == 0 {
			p.Legend.Add("fold starts", l)
		}
	}
	if err := line(p, "stitched out-of-sample equity", xys(d.Times, d.Equity, 1), colorEquity, 1.6); err != nil {
		return nil, err
	}
	capital := plotter.XYs{{X: unix(from), Y: d.Capital}, {X: unix(to), Y: d.Capital}}
	if err := line(p, fmt.Sprintf("capital %.0f", d.Capital), capital, colorNeutral, 0.8); err != nil {
		return nil, err
	}
	return render(o, false, panel{p, 1})
}
