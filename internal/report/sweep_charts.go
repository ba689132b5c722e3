package report

import (
	"fmt"
	"sync"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/strategy/sweep"
)

// The sweep charts' file names, without extension.
const (
	HeatmapChart     = "heatmap"
	SensitivityChart = "sensitivity"
)

// SweepCharts draws a sweep analysis's charts: the heatmap and the cost
// sensitivity, each when the analysis has it. They are independent
// pictures, drawn concurrently (each the bytes it is drawn alone: a
// drawing shares nothing but gonum's font cache, which is locked), and
// returned in that order.
func SweepCharts(a *sweep.Analysis, o ChartOptions) ([]Chart, error) {
	var draws []func() (Chart, error)
	if h := a.Heatmap; h != nil {
		draws = append(draws, func() (Chart, error) {
			title := fmt.Sprintf("%s by %s and %s (%s over the other parameters) — %d combinations", h.Metric, h.X, h.Y, h.Aggregate, a.Tried)
			b, err := chart.Heatmap(chart.HeatmapData{Title: title, XLabel: h.X, YLabel: h.Y, X: h.XValues, Y: h.YValues, Z: h.Z, Metric: h.Metric,
				LowerIsBetter: lowerIsBetter(h.Metric)}, o)
			if err != nil {
				return Chart{}, fmt.Errorf("drawing the heatmap: %w", err)
			}
			return Chart{Name: HeatmapChart, Caption: title, Format: formatOf(o), Data: b}, nil
		})
	}
	if s := a.Sensitivity; s != nil {
		draws = append(draws, func() (Chart, error) {
			spec := s.Best.Spec
			title := fmt.Sprintf("Sensitivity of the best combination's %s to costs — %s %s %s (id %s)", s.Metric, spec.Symbol, spec.Contract, spec.Period, s.Best.ID)
			b, err := chart.Sensitivity(title, s.Metric, s.Multipliers, s.Lines, o)
			if err != nil {
				return Chart{}, fmt.Errorf("drawing the sensitivity chart: %w", err)
			}
			return Chart{Name: SensitivityChart, Caption: title, Format: formatOf(o), Data: b}, nil
		})
	}
	charts, errs := make([]Chart, len(draws)), make([]error, len(draws))
	var wg sync.WaitGroup
	for i, draw := range draws {
		wg.Go(func() { charts[i], errs[i] = draw() })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err // the first in order, as when drawn one after the other
		}
	}
	return charts, nil
}

// lowerIsBetter says whether the sweep ranks metric ascending (volatility,
// fees): its heatmap colours those cells best.
func lowerIsBetter(metric string) bool {
	for _, m := range sweep.Metrics() {
		if m.Name == metric {
			return m.LowerIsBetter
		}
	}
	return false
}
