package democmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy/sweep"
)

// demoGrid is the demo's small sweep: the funding rule's thresholds and the
// leverage on the three pairs, chosen on the first 70% of the window and
// checked on the rest (which holds the regime switch).
const demoGrid = `# The carry demo's sweep (simulated market).
symbols: [BTCUSDT, ETHUSDT, SOLUSDT]
periods: [1h]
contracts: [PERPETUAL]
leverage: [1, 2, 3]
funding_lookback: [3]
funding_enter: [null, 0.03, 0.06, 0.10, 0.15]
funding_exit: [-0.02, 0, 0.02]
slippage: [0.0001, 0.0005]
`

// demoSweep runs the grid into out/sweep with its report, and returns its
// brief for the demo's main report: a link to the sweep's report, its luck
// and out-of-sample figures and its charts.
func demoSweep(ctx context.Context, o *Options, lake *lake.Lake) (report.SweepBrief, error) {
	dir := filepath.Join(o.Out, "sweep")
	if err := os.RemoveAll(dir); err != nil {
		return report.SweepBrief{}, err
	}
	g, err := sweep.ParseGrid([]byte(demoGrid))
	if err != nil {
		return report.SweepBrief{}, err
	}
	ex, err := g.Expand(o.End)
	if err != nil {
		return report.SweepBrief{}, err
	}
	split := &sweep.Split{Fraction: 0.7}
	job := &sweep.Job{Lake: lake, Out: dir, Workers: runtime.GOMAXPROCS(0), Shards: 1, Split: split}
	if _, err := job.Compute(ctx, []byte(demoGrid), ex); err != nil {
		return report.SweepBrief{}, fmt.Errorf("demo sweep: %w", err)
	}
	a, err := sweep.Analyze(dir, lake, ex, split, sweep.AnalysisOptions{Metric: sweep.DefaultMetric, HeatX: "funding_enter", HeatY: "leverage"})
	if err != nil {
		return report.SweepBrief{}, err
	}
	sweepCharts, err := report.WriteSweep(dir, "carry demo sweep · "+Label, Label, a, report.ChartOptions{}, o.Now())
	if err != nil {
		return report.SweepBrief{}, err
	}
	if a.BestSharpe != nil && a.LuckSharpe != nil && a.OutOfSample != nil {
		oos, _ := a.OutOfSample.OutOfSample["sharpe"].Float64()
		fmt.Fprintf(o.IO.Out, "Sweep: %d combinations; best in-sample Sharpe %.2f (luck alone: about %.2f), %.2f out of sample. Report: %s\n",
			a.Tried, *a.BestSharpe, *a.LuckSharpe, oos, filepath.Join(dir, report.ReportHTML))
	}
	var charts []report.Chart
	for _, c := range sweepCharts {
		charts = append(charts, report.Chart{Name: "sweep-" + c.Name, Caption: c.Caption + " · " + Label, Format: c.Format, Data: c.Data})
	}
	return report.SweepBrief{Href: "sweep/" + report.ReportHTML, A: a, Charts: charts}, nil
}
