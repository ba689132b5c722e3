package report

import "testing"

// TestHeatmapOrientation: the heatmap is told which way the sweep ranks
// its metric (strategy/sweep's metric table: volatility and fees rank
// ascending, Sharpe and the drawdown, a negative number, descending).
func TestHeatmapOrientation(t *testing.T) {
	for metric, want := range map[string]bool{"volatility": true, "fees": true, "sharpe": false, "max_drawdown": false, "no such metric": false} {
		if got := lowerIsBetter(metric); got != want {
			t.Errorf("lowerIsBetter(%q) = %v, want %v", metric, got, want)
		}
	}
}
