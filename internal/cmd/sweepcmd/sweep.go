// Package sweepcmd implements `carry sweep` and `carry sweep merge`.
package sweepcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy/sweep"
)

// Options are the inputs of `carry sweep`.
type Options struct {
	IO         *iostreams.IOStreams
	Now        func() time.Time
	DataDir    string
	GridPath   string
	Out        string
	Workers    int
	Shard      int
	Shards     int
	Split      *sweep.Split
	Analysis   analysisOptions
	Label      string
	NoProgress bool
}

// NewCmdSweep builds `carry sweep` and its merge subcommand.
func NewCmdSweep(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: f.Now}
	var shard, split, format, wfMode string
	var walkForward int
	cmd := &cobra.Command{
		Use:   "sweep --grid sweep.yaml --out DIR",
		Short: "Run a grid of parameters with the fast kernel: parallel, resumable, shardable",
		Long: `Runs every combination of the grid file (docs/examples/sweep.yaml) with the
float64 kernel on all cores, streaming one row per combination to
results.csv as it completes (results.parquet at the end). Interrupted, it
resumes where it stopped. --shard i/n (or JOB_COMPLETION_INDEX / SLURM_ARRAY_TASK_ID
with --shards n) runs a deterministic slice; carry sweep merge combines
the slices. Unsharded runs (and merges) write the analyses: top.csv, a
heatmap, the best combination's sensitivity to costs, analysis.json and
report.html.`,
		Example: `  carry sweep --grid docs/examples/sweep.yaml --out sweeps/carry
  carry sweep --grid sweep.yaml --out sweeps/is --split 0.7 --metric sharpe --heatmap funding_enter,leverage
  carry sweep --grid sweep.yaml --out /shared/shard-$JOB_COMPLETION_INDEX --shards 8`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if err := opts.parse(shard, split, format, f.Getenv); err != nil {
				return err
			}
			if err := opts.parseWalkForward(cmd.Flags().Changed("walk-forward"), cmd.Flags().Changed("walk-forward-mode"), walkForward, wfMode, split); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return sweepRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fl.StringVar(&opts.GridPath, "grid", "", "grid file (YAML; required)")
	fl.StringVar(&opts.Out, "out", "", "output directory (required); rerun with the same to resume")
	fl.IntVar(&opts.Workers, "workers", 0, "parallel workers (default: all cores)")
	fl.StringVar(&shard, "shard", "", "run slice i of n (0-based), e.g. 2/8")
	fl.IntVar(&opts.Shards, "shards", 0, "with JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID set: the number of shards")
	fl.StringVar(&split, "split", "", "out-of-sample check: choose the best on the first part (fraction 0.7, or a date) and report it on the rest")
	fl.IntVar(&walkForward, "walk-forward", 0, "walk-forward check: K folds over time, each ranking the grid in-sample and running its pick on the next segment (not with --split)")
	fl.StringVar(&wfMode, "walk-forward-mode", "expanding", "walk-forward in-sample windows: expanding (from the start) or rolling (one segment)")
	fl.StringVar(&opts.Analysis.Metric, "metric", sweep.DefaultMetric, "metric that ranks combinations (a results.csv column; sharpe_daily: Sharpe of daily returns, sharpe: per grid period)")
	fl.IntVar(&opts.Analysis.Top, "top", 20, "rows in top.csv")
	heat := fl.String("heatmap", "", "two grid parameters for the heatmap, x,y (default: the first two that vary)")
	cmd.RegisterFlagCompletionFunc("metric", completeMetric)
	fl.StringVar(&opts.Analysis.Aggregate, "aggregate", "best", "heatmap cells over the other parameters: best or median")
	fl.StringVar(&format, "chart-format", "png", "png or svg")
	fl.StringVar(&opts.Label, "label", "", "label on the report and charts (e.g. simulated market)")
	fl.BoolVar(&opts.NoProgress, "no-progress", false, "no progress bar")
	cmd.PreRunE = func(cmd *cobra.Command, args []string) error {
		if *heat != "" {
			x, y, ok := strings.Cut(*heat, ",")
			if !ok {
				return cmdutil.FlagErrorf("--heatmap %q: want two grid parameters, x,y", *heat)
			}
			opts.Analysis.HeatX, opts.Analysis.HeatY = strings.TrimSpace(x), strings.TrimSpace(y)
		}
		return nil
	}
	cmd.AddCommand(newCmdMerge(f, nil))
	return cmd
}

func (o *Options) parse(shard, split, format string, getenv func(string) string) error {
	if o.GridPath == "" {
		return cmdutil.FlagErrorf("--grid is required: a YAML grid file (see docs/examples/sweep.yaml)")
	}
	if o.Out == "" {
		return cmdutil.FlagErrorf("--out is required")
	}
	if err := checkCounts(o); err != nil {
		return err
	}
	o.Shard, o.Shards = 0, max(o.Shards, 1)
	switch {
	case shard != "":
		i, n, ok := strings.Cut(shard, "/")
		si, err1 := strconv.Atoi(i)
		sn, err2 := strconv.Atoi(n)
		if !ok || err1 != nil || err2 != nil || sn < 1 || si < 0 || si >= sn {
			return cmdutil.FlagErrorf("--shard %q: want i/n with 0 ≤ i < n, e.g. 0/4", shard)
		}
		o.Shard, o.Shards = si, sn
	case o.Shards > 1:
		env := ""
		for _, name := range []string{"JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"} {
			if v := getenv(name); v != "" {
				env = name
				i, err := strconv.Atoi(v)
				if err != nil || i < 0 || i >= o.Shards {
					return cmdutil.FlagErrorf("%s=%q: want 0 to %d for --shards %d", name, v, o.Shards-1, o.Shards)
				}
				o.Shard = i
				break
			}
		}
		if env == "" {
			return cmdutil.FlagErrorf("--shards %d needs JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID set, or use --shard i/n", o.Shards)
		}
	}
	if o.Workers < 0 || o.Workers > 256 {
		return cmdutil.FlagErrorf("--workers %d: want 1 to 256", o.Workers)
	}
	if split != "" {
		if v, err := strconv.ParseFloat(split, 64); err == nil {
			if !(v > 0 && v < 1) { // NaN too
				return cmdutil.FlagErrorf("--split %v: want a fraction in (0, 1) or a date", v)
			}
			o.Split = &sweep.Split{Fraction: v}
		} else if t, err := data.ParseDate(split); err == nil {
			o.Split = &sweep.Split{At: t}
		} else {
			return cmdutil.FlagErrorf("--split %q: want a fraction such as 0.7 or a date such as 2026-08-01", split)
		}
	}
	if o.Analysis.Aggregate != "best" && o.Analysis.Aggregate != "median" {
		return cmdutil.FlagErrorf("--aggregate %q: want best or median", o.Analysis.Aggregate)
	}
	if format != "png" && format != "svg" {
		return cmdutil.FlagErrorf("--chart-format %q: want png or svg", format)
	}
	o.Analysis.Chart = report.ChartOptions{Format: format}
	return nil
}

func sweepRun(ctx context.Context, o *Options) error {
	if isBookGridFile(o.GridPath) {
		return bookSweepRun(ctx, o)
	}
	g, raw, err := sweep.LoadGrid(o.GridPath)
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	ex, err := g.Plan(ctx, o.Now())
	if errors.Is(err, context.Canceled) {
		// Interrupted while counting a large grid: exit code 130.
		return fmt.Errorf("expanding the grid %s: %w", o.GridPath, err)
	}
	if err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	if ex.Len() == 0 {
		return cmdutil.FlagErrorf("grid %s has no valid combination (%d invalid: %v)", o.GridPath, ex.Invalid, ex.Reasons)
	}
	lake, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	if err := checkSplit(lake, g, o.Split); err != nil {
		return err
	}
	if err := checkHeatmapAxes(&o.Analysis, ex); err != nil {
		return err
	}
	o.Analysis.Warnings = warnGrid(o.IO.ErrOut, lake, g)
	workers := o.Workers
	if workers == 0 {
		workers = defaultWorkers()
	}
	// Unsharded, a fresh sweep's rows are scanned for the analyses as they
	// are written (and converted to Parquet); a resumed one's
	// results.parquet is written while the analyses read results.csv.
	job := &sweep.Job{Lake: lake, Out: o.Out, Workers: workers, Shard: o.Shard, Shards: o.Shards, Split: o.Split, DeferParquet: o.Shards <= 1}
	if o.Shards <= 1 {
		job.Analyze = &o.Analysis.AnalysisOptions
	}
	if !o.NoProgress {
		if bar, ok := o.IO.NewCounter("sweep", "comb"); ok {
			job.Progress = bar
		}
	}
	fmt.Fprintf(o.IO.Out, "Sweep %s: %d combinations (%d invalid, %d duplicates left out); shard %d/%d, %d workers.\n",
		o.GridPath, ex.Len(), ex.Invalid, ex.Duplicates, o.Shard, o.Shards, workers)
	start := time.Now()
	res, err := job.Compute(ctx, raw, ex)
	var other *sweep.OtherSweepError
	if errors.As(err, &other) {
		return cmdutil.FlagErrorf("--out %v", err) // as backtest refuses another run's --out
	}
	if err != nil {
		return err
	}
	parquet := make(chan error, 1)
	if res.Parquet != nil {
		go func() { parquet <- res.Parquet(ctx) }()
	} else {
		parquet <- nil
	}
	el := time.Since(start)
	fmt.Fprintf(o.IO.Out, "Ran %d, found %d already done, in %s (%.0f combinations/s).\n", res.Computed, res.Skipped, el.Round(time.Millisecond), float64(res.Computed)/el.Seconds())
	if o.Shards > 1 {
		if err := <-parquet; err != nil {
			return fmt.Errorf("writing %s: %w", sweep.ResultsParquet, err)
		}
		fmt.Fprintf(o.IO.Out, "Shard results: %s. Merge all shards with: carry sweep merge DIR… --out DIR\n", o.Out)
		return nil
	}
	if wf := o.Analysis.WalkForward; wf != nil {
		wf.Workers = workers
		fmt.Fprintf(o.IO.Out, "Walk-forward: %d folds (%s), each ranking the %d combinations on its in-sample window.\n", wf.Folds, wf.Mode(), ex.Len())
	}
	err = analyze(ctx, o.IO.Out, o.Out, lake, ex, o.Split, o.Analysis, o.Label, o.Now(), res.Scan)
	if perr := <-parquet; perr != nil {
		err = errors.Join(err, fmt.Errorf("writing %s: %w", sweep.ResultsParquet, perr))
	}
	return err
}

// analysisOptions are a sweep's analyses and how their charts are drawn.
type analysisOptions struct {
	sweep.AnalysisOptions
	Chart report.ChartOptions
	// Warnings are the grid's (warnGrid), shown at the top of the report.
	Warnings []string
}

// analyze analyzes the results in dir (writing top.csv and analysis.json)
// from scan, the rows scanned as they were written, or when nil from
// results.csv, then hands the analysis to the report (charts and
// report.html).
func analyze(ctx context.Context, w io.Writer, dir string, lake *lake.Lake, ex sweep.Expansion, split *sweep.Split, opts analysisOptions, label string, now time.Time, scan *sweep.Scan) error {
	var a *sweep.Analysis
	var err error
	if scan != nil {
		a, err = sweep.AnalyzeScan(ctx, dir, lake, ex, split, scan)
	} else {
		a, err = sweep.AnalyzeContext(ctx, dir, lake, ex, split, opts.AnalysisOptions)
	}
	if err != nil {
		return err
	}
	if _, err := report.WriteSweep(dir, "carry sweep", label, a, opts.Chart, now, opts.Warnings...); err != nil {
		return err
	}
	bs, luck := "—", "—"
	if a.BestSharpe != nil {
		bs = fmt.Sprintf("%.2f", *a.BestSharpe)
	}
	if a.LuckSharpe != nil {
		luck = fmt.Sprintf("%.2f", *a.LuckSharpe)
	}
	fmt.Fprintf(w, "Best Sharpe (daily returns) %s among %d combinations tried (luck alone would give about %s over this window).\n", bs, a.Tried, luck)
	if p := a.Pick; p != nil && p.Index != p.RawBest {
		fmt.Fprintf(w, "Pick: combination %d (id %s), not the raw best %d (id %s): %d better-ranked combinations are spikes, not plateaus (see report.html).\n", p.Index, p.ID, p.RawBest, p.RawBestID, p.SkippedCount)
	}
	if wf := a.WalkForward; wf != nil && wf.TotalReturn != nil {
		fmt.Fprintf(w, "Walk-forward (%d folds, %s): stitched out-of-sample return %.2f%%.\n", len(wf.Folds), wf.Mode, *wf.TotalReturn*100)
	}
	if oos := a.OutOfSample; oos != nil {
		fmt.Fprintf(w, "Pick by %s in-sample (id %s): daily Sharpe %s in-sample, %s out-of-sample.\n", a.Metric, oos.BestID, oos.InSample["sharpe_daily"], oos.OutOfSample["sharpe_daily"])
	}
	fmt.Fprintf(w, "Results: %s/results.csv, results.parquet; report: %s/report.html\n", dir, dir)
	return nil
}
