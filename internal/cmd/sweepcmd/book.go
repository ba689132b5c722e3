package sweepcmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy/sweep"
)

// isBookGridFile says whether the grid file is a portfolio grid (it has
// universe:); a file that does not read is left to the single-pair path,
// which reports it.
func isBookGridFile(path string) bool {
	raw, err := os.ReadFile(path)
	return err == nil && sweep.IsBookGrid(raw)
}

// bookSweepRun is `carry sweep` on a portfolio grid: the same flags,
// files, resume, shards and merge; the analyses that are single-pair's
// (heatmap, plateau, cost sensitivity) are not computed.
func bookSweepRun(ctx context.Context, o *Options) error {
	raw, err := os.ReadFile(o.GridPath)
	if err != nil {
		return cmdutil.FlagErrorf("reading the grid %s: %v", o.GridPath, err)
	}
	g, err := sweep.ParseBookGrid(raw)
	if err != nil {
		return cmdutil.FlagErrorf("%s: %v", o.GridPath, err)
	}
	ex, err := g.PlanBook()
	if err != nil {
		return cmdutil.FlagErrorf("%s: %v", o.GridPath, err)
	}
	if ex.Len() == 0 {
		return cmdutil.FlagErrorf("grid %s has no valid combination (%d invalid: %v)", o.GridPath, ex.Invalid, ex.Reasons)
	}
	if o.Analysis.HeatX != "" {
		fmt.Fprintf(o.IO.ErrOut, "warning: --heatmap: a portfolio sweep draws no heatmap\n")
	}
	store, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	workers := o.Workers
	if workers == 0 {
		workers = defaultWorkers()
	}
	job := &sweep.BookJob{Lake: store, Out: o.Out, Workers: workers, Shard: o.Shard, Shards: o.Shards, Split: o.Split}
	if !o.NoProgress {
		if bar, ok := o.IO.NewCounter("sweep", "book"); ok {
			job.Progress = bar
		}
	}
	fmt.Fprintf(o.IO.Out, "Portfolio sweep %s: %d combinations (%d invalid, %d duplicates left out); shard %d/%d, %d workers.\n",
		o.GridPath, ex.Len(), ex.Invalid, ex.Duplicates, o.Shard, o.Shards, workers)
	start := time.Now()
	res, err := job.Compute(ctx, raw, ex)
	var other *sweep.OtherSweepError
	if errors.As(err, &other) {
		return cmdutil.FlagErrorf("--out %v", err)
	}
	if err != nil {
		return err
	}
	el := time.Since(start)
	fmt.Fprintf(o.IO.Out, "Ran %d, found %d already done, in %s (%.1f portfolios/s).\n", res.Computed, res.Skipped, el.Round(time.Millisecond), float64(res.Computed)/el.Seconds())
	if o.Shards > 1 {
		fmt.Fprintf(o.IO.Out, "Shard results: %s. Merge all shards with: carry sweep merge DIR… --out DIR\n", o.Out)
		return nil
	}
	return analyzeBook(ctx, o.IO.Out, job, ex, o.Analysis, o.Label, o.Now())
}

// analyzeBook writes a portfolio sweep's analyses and report.
func analyzeBook(ctx context.Context, w io.Writer, job *sweep.BookJob, ex *sweep.BookExpansion, opts analysisOptions, label string, now time.Time) error {
	a, err := job.Analyze(ctx, ex, opts.AnalysisOptions)
	if err != nil {
		return err
	}
	// What the analyses leave out is said once, beside the pick (not as a
	// warning: nothing is wrong with the sweep).
	if _, err := report.WriteBookSweep(job.Out, "carry sweep (portfolios)", label, a, opts.Chart, now, opts.Warnings...); err != nil {
		return err
	}
	fmt.Fprintf(w, "Best Sharpe (daily returns) %s among %d portfolios tried (luck alone would give about %s over this window).\n", twoDecimals(a.BestSharpe), a.Tried, twoDecimals(a.LuckSharpe))
	if p := a.Pick; p != nil {
		switch {
		case p.Index != p.RawBest && p.SkippedCount > 0:
			fmt.Fprintf(w, "Pick: combination %d (id %s), the best not liquidated: %d better-ranked combination(s), the raw best %d (id %s) first, were liquidated (see report.html).\n",
				p.Index, p.ID, p.SkippedCount, p.RawBest, p.RawBestID)
		case a.Liquidations != nil && a.Liquidations.Liquidated == a.Liquidations.Combinations:
			fmt.Fprintf(w, "Pick: combination %d (id %s), the raw best: every combination was liquidated.\n", p.Index, p.ID)
		}
	}
	if wf := a.WalkForward; wf != nil && wf.TotalReturn != nil {
		fmt.Fprintf(w, "Walk-forward (%d folds, %s): stitched out-of-sample return %.2f%%.\n", len(wf.Folds), wf.Mode, *wf.TotalReturn*100)
	}
	if oos := a.OutOfSample; oos != nil {
		fmt.Fprintf(w, "Pick by %s in-sample (id %s): daily Sharpe %s in-sample, %s out-of-sample.\n", a.Metric, oos.BestID,
			numberTwoDecimals(oos.InSample["sharpe_daily"]), numberTwoDecimals(oos.OutOfSample["sharpe_daily"]))
	}
	fmt.Fprintf(w, "Results: %s/results.csv, results.parquet; report: %s/report.html\n", job.Out, job.Out)
	return nil
}

// mergeBook analyzes a merged portfolio sweep: the analyses that rerun
// portfolios (out of sample, walk-forward) need the lake.
func mergeBook(ctx context.Context, opts *MergeOptions, m sweep.Manifest, store *lake.Lake) error {
	g, err := sweep.ParseBookGrid([]byte(m.Grid))
	if err != nil {
		return err
	}
	ex, err := g.PlanBook()
	if err != nil {
		return fmt.Errorf("expanding the merged grid: %w", err)
	}
	split, err := sweep.ParseSplit(m.Split)
	if err != nil {
		return err
	}
	job := &sweep.BookJob{Lake: store, Out: opts.Out, Split: split}
	if store == nil {
		job.Split = nil // the out-of-sample check needs the lake
	}
	return analyzeBook(ctx, opts.IO.Out, job, ex, opts.Analysis, opts.Label, opts.Now())
}

// twoDecimals is v to two decimals, "—" for none.
func twoDecimals(v *float64) string {
	if v == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *v)
}

// numberTwoDecimals is a figure of analysis.json to two decimals, "—"
// when missing or unreadable.
func numberTwoDecimals(n json.Number) string {
	v, err := n.Float64()
	if err != nil {
		return "—"
	}
	return twoDecimals(&v)
}
