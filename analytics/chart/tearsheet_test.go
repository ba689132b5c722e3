package chart

import (
	"bytes"
	"image/color"
	"image/png"
	"math"
	"strings"
	"testing"
	"time"
)

// The tear sheet's charts are not golden images (their look follows
// newPlot's, which is restyled on its own): each must render a PNG of the
// asked size, and refuse what it cannot draw with a reason.
func TestTearSheetChartsRender(t *testing.T) {
	ts, eq, dd := series()
	var days []time.Time
	var sharpe, vol []float64
	for i := range 40 {
		days = append(days, meta.From.AddDate(0, 0, i))
		s, v := math.NaN(), math.NaN()
		if i >= 29 {
			s, v = 2+math.Sin(float64(i)), 0.05
		}
		sharpe, vol = append(sharpe, s), append(vol, v)
	}
	nan := math.NaN()
	apr := make([]float64, len(ts))
	for i := range apr {
		apr[i] = nan
		if i > 50 {
			apr[i] = 0.1
		}
	}
	spot := make([]float64, len(ts))
	rf := make([]float64, len(ts))
	for i := range ts {
		spot[i], rf[i] = 10000*(1+0.05*math.Sin(float64(i)/30)), 10000+float64(i)*0.1
	}
	charts := map[string]func() ([]byte, error){
		"monthly": func() ([]byte, error) {
			return MonthlyReturns(meta, MonthlyReturnsData{Years: []int{2025, 2026},
				Months: [][12]float64{{nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, 0.01, -0.004}, {0.02, -0.01, 0.003, nan, nan, nan, nan, nan, nan, nan, nan, nan}},
				Yearly: []float64{0.006, 0.013}}, small)
		},
		"rolling":    func() ([]byte, error) { return RollingRisk(meta, days, sharpe, vol, 30, small) },
		"underwater": func() ([]byte, error) { return Underwater(meta, ts, dd, small) },
		"benchmark": func() ([]byte, error) {
			return Benchmark(meta, BenchmarkData{Times: ts, Equity: eq, Spot: spot, RiskFree: rf, RiskFreeRate: 0.04, Capital: 10000}, small)
		},
		"funding APR": func() ([]byte, error) {
			return FundingAPR(meta, FundingAPRData{Times: ts, Annualized: eq, APR7: apr, APR30: apr}, small)
		},
	}
	for name, draw := range charts {
		b, err := draw()
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil || img.Bounds().Dx() != small.Width || img.Bounds().Dy() != small.Height {
			t.Errorf("%s: not a %dx%d PNG (%v)", name, small.Width, small.Height, err)
		}
	}
	for name, err := range map[string]error{
		"monthly":    second(MonthlyReturns(meta, MonthlyReturnsData{}, small)),
		"rolling":    second(RollingRisk(meta, days[:5], sharpe[:5], vol[:5], 30, small)),
		"underwater": second(Underwater(meta, ts[:1], dd[:1], small)),
		"funding":    second(FundingAPR(meta, FundingAPRData{}, small)),
	} {
		if err == nil || !strings.Contains(err.Error(), "chart:") {
			t.Errorf("%s: err = %v, want a reason", name, err)
		}
	}
}

func second(_ []byte, err error) error { return err }

// TestDivergingColours: white at zero, the loss colour at −M, the gain
// colour at +M and beyond, half-way mixed with white at M/2 (by hand:
// 255 + (44 − 255)/2 = 149.5 → 150 for the gain's red channel).
func TestDivergingColours(t *testing.T) {
	d := newDiverging(2)
	at := func(v float64) color.NRGBA { c, _ := d.At(v); return c.(color.NRGBA) }
	for _, c := range []struct {
		v    float64
		want color.NRGBA
	}{
		{0, color.NRGBA{255, 255, 255, 255}},
		{2, color.NRGBA{44, 160, 44, 255}},
		{5, color.NRGBA{44, 160, 44, 255}},
		{-2, color.NRGBA{214, 39, 40, 255}},
		{1, color.NRGBA{150, 208, 150, 255}},
	} {
		if got := at(c.v); got != c.want {
			t.Errorf("At(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if p := d.Palette(3).Colors(); len(p) != 3 || p[1] != (color.NRGBA{255, 255, 255, 255}) {
		t.Errorf("palette %v", p)
	}
}
