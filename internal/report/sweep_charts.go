package report

import (
	"fmt"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/strategy/sweep"
)

// The sweep charts' file names, without extension.
const (
	HeatmapChart     = "heatmap"
	SensitivityChart = "sensitivity"
)

// SweepCharts draws a sweep analysis's charts: the heatmap and the cost
// sensitivity, each when the analysis has it.
func SweepCharts(a *sweep.Analysis, o ChartOptions) ([]Chart, error) {
	var out []Chart
	if h := a.Heatmap; h != nil {
		title := fmt.Sprintf("%s by %s and %s (%s over the other parameters) — %d combinations", h.Metric, h.X, h.Y, h.Aggregate, a.Tried)
		b, err := chart.Heatmap(chart.HeatmapData{Title: title, XLabel: h.X, YLabel: h.Y, X: h.XValues, Y: h.YValues, Z: h.Z, Metric: h.Metric}, o)
		if err != nil {
			return nil, fmt.Errorf("drawing the heatmap: %w", err)
		}
		out = append(out, Chart{Name: HeatmapChart, Caption: title, Format: formatOf(o), Data: b})
	}
	if s := a.Sensitivity; s != nil {
		spec := s.Best.Spec
		title := fmt.Sprintf("Sensitivity of the best combination's %s to costs — %s %s %s (id %s)", s.Metric, spec.Symbol, spec.Contract, spec.Period, s.Best.ID)
		b, err := chart.Sensitivity(title, s.Metric, s.Multipliers, s.Lines, o)
		if err != nil {
			return nil, fmt.Errorf("drawing the sensitivity chart: %w", err)
		}
		out = append(out, Chart{Name: SensitivityChart, Caption: title, Format: formatOf(o), Data: b})
	}
	return out, nil
}
