package sweepcmd

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/strategy/sweep"
)

// MergeOptions are the inputs of `carry sweep merge`.
type MergeOptions struct {
	IO  *iostreams.IOStreams
	Now func() time.Time

	Dirs    []string
	Out     string
	DataDir string
	// DataGiven says --data or $CARRY_DATA named the lake: it must then
	// be there, checked before any work.
	DataGiven bool
	Analysis  analysisOptions
	Label     string
}

func newCmdMerge(f *cmdutil.Factory, runF func(context.Context, *MergeOptions) error) *cobra.Command {
	opts := &MergeOptions{IO: f.IO, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "merge DIR… --out DIR",
		Short: "Combine the outputs of a sharded sweep (equal to a single-machine run, row for row)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Out == "" {
				return cmdutil.FlagErrorf("--out is required")
			}
			if err := checkAnalysis(&opts.Analysis); err != nil {
				return err
			}
			opts.Dirs = args
			opts.DataGiven = opts.DataDir != "" || f.Getenv(cmdutil.DataDirEnv) != ""
			opts.DataDir = f.DataDir(opts.DataDir)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return mergeRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	cmd.Flags().StringVar(&opts.Out, "out", "", "directory for the merged results (required)")
	cmd.Flags().StringVar(&opts.Analysis.Metric, "metric", sweep.DefaultMetric, "metric that ranks combinations")
	cmd.Flags().IntVar(&opts.Analysis.Top, "top", 20, "rows in top.csv")
	cmd.RegisterFlagCompletionFunc("metric", completeMetric)
	cmd.Flags().StringVar(&opts.Label, "label", "", "label on the report")
	return cmd
}

// mergeRun merges the shards, then writes every analysis of the merged
// results.
func mergeRun(ctx context.Context, opts *MergeOptions) error {
	var given *lake.Lake
	if opts.DataGiven {
		var err error
		if given, err = cmdutil.OpenLake(opts.DataDir); err != nil {
			return err
		}
	}
	m, err := sweep.MergeContext(ctx, opts.Dirs, opts.Out)
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Out, "Merged %d shard directories into %s: %d combinations.\n", len(opts.Dirs), opts.Out, m.Combinations)
	if sweep.IsBookGrid([]byte(m.Grid)) {
		runsOn := given
		if runsOn == nil {
			runsOn = mergeLake(opts.IO.ErrOut, opts.DataDir, m.Lake)
		}
		return mergeBook(ctx, opts, m, runsOn)
	}
	g, err := sweep.ParseGrid([]byte(m.Grid))
	if err != nil {
		return err
	}
	ex, err := g.Plan(ctx, opts.Now())
	if err != nil {
		return fmt.Errorf("expanding the merged grid: %w", err)
	}
	split, err := sweep.ParseSplit(m.Split)
	if err != nil {
		return err
	}
	runsOn := given
	if runsOn == nil {
		runsOn = mergeLake(opts.IO.ErrOut, opts.DataDir, m.Lake)
	}
	opts.Analysis.Warnings = warnGrid(opts.IO.ErrOut, runsOn, g)
	return analyze(ctx, opts.IO.Out, opts.Out, runsOn, ex, split, opts.Analysis, opts.Label, opts.Now(), nil)
}

// mergeLake is the lake a merge's analyses rerun combinations on when
// --data and $CARRY_DATA are not given: the lake the shards recorded in
// sweep.json, else the default. Without one there, the analyses that rerun
// combinations (cost sensitivity, out-of-sample) are skipped with a warning
// and every other analysis is written: a merge needs only the results.
func mergeLake(warn io.Writer, defaultDir, shardsLake string) *lake.Lake {
	dir := defaultDir
	if shardsLake != "" {
		dir = shardsLake
	}
	lake, err := cmdutil.OpenLake(dir)
	if err != nil {
		fmt.Fprintf(warn, "warning: %v (the shards ran on %s): the cost sensitivity and the out-of-sample check, which rerun combinations, are skipped; pass --data with the lake to include them\n", err, orUnknown(shardsLake))
		return nil
	}
	return lake
}

func orUnknown(s string) string {
	if s == "" {
		return "a lake sweep.json does not name"
	}
	return s
}
