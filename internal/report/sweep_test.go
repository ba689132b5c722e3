package report

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/carry-research/carry/strategy/sweep"
)

// A sweep's report: the analysis computes, the report draws the heatmap
// and the cost sensitivity beside report.html (assertion moved here from
// strategy/sweep's TestAnalysisWithSplit with the charts).
func TestSweepReportFiles(t *testing.T) {
	l := lakeWith(t, "BTCUSDT", "ETHUSDT")
	grid := []byte("symbols: [BTCUSDT, ETHUSDT]\nperiods: [1h]\ncontracts: [PERPETUAL]\nleverage: [1, 2]\n")
	g, err := sweep.ParseGrid(grid)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Expand(t0.AddDate(0, 0, 10))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := (&sweep.Job{Lake: l, Out: dir, Workers: 1}).Compute(context.Background(), grid, ex); err != nil {
		t.Fatal(err)
	}
	a, err := sweep.Analyze(dir, l, ex, nil, sweep.AnalysisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	charts, err := WriteSweep(dir, "carry sweep", "", a, ChartOptions{Width: 400, Height: 300}, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(charts) != 3 {
		t.Errorf("%d charts, want the heatmap, the sensitivity and the metric's histogram", len(charts))
	}
	for _, f := range []string{HeatmapChart + ".png", SensitivityChart + ".png", HistogramChart + ".png", ReportHTML, sweep.TopCSV, sweep.AnalysisJSON} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	// The report shows the pick and the liquidations, and no raw float
	// (a number with 5 or more decimals) outside the charts' data.
	html, err := os.ReadFile(filepath.Join(dir, ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	text := regexp.MustCompile(`data:[^"]*`).ReplaceAllString(string(html), "")
	// A 10-day window: the short-window caution too.
	for _, want := range []string{`id="pick-line"`, `id="liquidations"`, `id="psr"`, `id="short-window"`} {
		if !strings.Contains(text, want) {
			t.Errorf("report.html lacks %s", want)
		}
	}
	if raw := regexp.MustCompile(`\d\.\d{5,}`).FindAllString(text, 5); len(raw) > 0 {
		t.Errorf("report.html shows raw floats: %v", raw)
	}
	// Drawn concurrently, each chart is the bytes it is drawn alone.
	for _, format := range []string{"png", "svg"} {
		o := ChartOptions{Width: 400, Height: 300, Format: format}
		heat, sens := *a, *a
		heat.Sensitivity, sens.Heatmap = nil, nil
		var alone []Chart
		for _, one := range []*sweep.Analysis{&heat, &sens} {
			c, err := SweepCharts(one, o)
			if err != nil || len(c) != 1 {
				t.Fatalf("%s: %d charts, %v", format, len(c), err)
			}
			alone = append(alone, c[0])
		}
		for range 3 {
			both, err := SweepCharts(a, o)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(both, alone) {
				t.Fatalf("%s: the charts drawn concurrently differ from those drawn alone", format)
			}
		}
	}
}
