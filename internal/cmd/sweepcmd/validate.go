package sweepcmd

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy/sweep"
)

// checkAnalysis refuses analysis flags that would fail only after the
// sweep has run (carry sweep and carry sweep merge): a metric that is not a
// numeric column of results.csv, heatmap axes that are not grid
// parameters, a --top below 1.
func checkAnalysis(o *analysisOptions) error {
	if o.Top < 1 {
		return cmdutil.FlagErrorf("--top %d: want 1 or more rows", o.Top)
	}
	metrics := sweep.MetricNames()
	if !slices.Contains(metrics, o.Metric) {
		return cmdutil.FlagErrorf("--metric %q: want a numeric column of results.csv: %s", o.Metric, strings.Join(metrics, ", "))
	}
	if o.HeatX == "" && o.HeatY == "" {
		return nil
	}
	for _, axis := range []string{o.HeatX, o.HeatY} {
		if !slices.Contains(sweep.ParamNames, axis) {
			return cmdutil.FlagErrorf("--heatmap %q: want two grid parameters x,y among %s", o.HeatX+","+o.HeatY, strings.Join(sweep.ParamNames, ", "))
		}
	}
	if o.HeatX == o.HeatY {
		return cmdutil.FlagErrorf("--heatmap %s,%s: want two different grid parameters", o.HeatX, o.HeatY)
	}
	return nil
}

// checkCounts refuses a negative --shards (0 is the default: unsharded).
func checkCounts(o *Options) error {
	if o.Shards < 0 {
		return cmdutil.FlagErrorf("--shards %d: want 1 or more shards, or 0 (the default) for none", o.Shards)
	}
	return checkAnalysis(&o.Analysis)
}

// checkSplit refuses a --split that leaves fewer than two grid points on a
// side of some market of the grid, before anything is computed or written.
func checkSplit(lake *lake.Lake, g *sweep.Grid, split *sweep.Split) error {
	if err := g.CheckSplit(lake, split); err != nil {
		return cmdutil.FlagErrorf("--split: %v", err)
	}
	return nil
}

// completeMetric completes --metric with the numeric columns of results.csv.
func completeMetric(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	return sweep.MetricNames(), cobra.ShellCompDirectiveNoFileComp
}

// parseWalkForward reads --walk-forward K and --walk-forward-mode: K ≥ 1,
// the mode expanding or rolling, and neither with --split (the split's
// in-sample results are what a walk-forward recomputes per fold).
func (o *Options) parseWalkForward(given, modeGiven bool, folds int, mode, split string) error {
	if !given {
		if modeGiven {
			return cmdutil.FlagErrorf("--walk-forward-mode %s: needs --walk-forward K", mode)
		}
		return nil
	}
	if folds < 1 {
		return cmdutil.FlagErrorf("--walk-forward %d: want 1 or more folds", folds)
	}
	if mode != "expanding" && mode != "rolling" {
		return cmdutil.FlagErrorf("--walk-forward-mode %q: want expanding or rolling", mode)
	}
	if split != "" {
		return cmdutil.FlagErrorf("--walk-forward and --split cannot be used together: choose one out-of-sample check")
	}
	if o.Shards > 1 {
		return cmdutil.FlagErrorf("--walk-forward runs with the analyses of an unsharded sweep: not with --shard or --shards")
	}
	o.Analysis.WalkForward = &sweep.WalkForwardOptions{Folds: folds, Rolling: mode == "rolling"}
	return nil
}

// checkHeatmapAxes refuses --heatmap axes that do not vary in the grid,
// naming the flag and the axes that do.
func checkHeatmapAxes(o *analysisOptions, ex sweep.Expansion) error {
	if o.HeatX == "" && o.HeatY == "" {
		return nil
	}
	varying := sweep.VaryingParams(ex)
	for _, axis := range []string{o.HeatX, o.HeatY} {
		if !slices.Contains(varying, axis) {
			return cmdutil.FlagErrorf("--heatmap %s,%s: %s does not vary in this grid; want two of the grid parameters that vary: %s", o.HeatX, o.HeatY, axis, strings.Join(varying, ", "))
		}
	}
	return nil
}

// warnGrid prints, on w (stderr), what the sweep warns of before it runs —
// grid values almost surely slips of units and markets whose data the
// grid's window is clamped to (sweep.Grid.Warnings), as carry backtest
// warns of its flags and window — and returns them for the report. A
// window before or after the lake's data is clamped with a warning, never
// refused, by both commands (docs/backtest.md, "The window").
func warnGrid(w io.Writer, store *lake.Lake, g *sweep.Grid) []string {
	warnings := g.Warnings(store)
	for _, msg := range warnings {
		fmt.Fprintf(w, "warning: %s\n", msg)
	}
	return warnings
}
