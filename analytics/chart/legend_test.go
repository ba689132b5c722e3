package chart

import (
	"testing"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/recorder"
)

// TestLegendBesideData: every legend text is drawn right of the data
// area, in Liberation Sans like every other text of the chart, and the
// data area is as wide as the page less the legend's column.
func TestLegendBesideData(t *testing.T) {
	ts, eq, _ := series()
	p := newPlot(small, meta.Title("Equity"), "time (UTC)", "equity (USDT)")
	timeAxis(p, meta.From, meta.To)
	for _, name := range []string{"equity", "net = equity − capital"} {
		if err := line(p, name, xys(ts, eq, 1), colorEquity, 1); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder.Canvas{}
	c := draw.NewCanvas(rec, 800*vg.Inch/dpi, 450*vg.Inch/dpi)
	column := legendColumn(p, c)
	if column <= 0 {
		t.Fatal("no legend column for a plot with a legend")
	}
	drawWithLegend(c, p, column)
	data := p.DataCanvas(draw.Crop(c, 0, -column, 0, 0))
	legends := 0
	for _, a := range rec.Actions {
		fs, ok := a.(*recorder.FillString)
		if !ok {
			continue
		}
		if fs.Font.Typeface != "Liberation" || fs.Font.Variant != "Sans" {
			t.Errorf("%q drawn in %s %s", fs.String, fs.Font.Typeface, fs.Font.Variant)
		}
		if fs.String == "equity" || fs.String == "net = equity − capital" {
			legends++
			if fs.Point.X <= data.Max.X {
				t.Errorf("legend %q at x=%v, inside the data area (right edge %v)", fs.String, fs.Point.X, data.Max.X)
			}
		}
	}
	if legends != 2 {
		t.Errorf("%d legend texts drawn, want 2", legends)
	}
	if got, want := data.Max.X, c.Max.X-column; got > want {
		t.Errorf("data area ends at %v, past the legend column at %v", got, want)
	}
}
