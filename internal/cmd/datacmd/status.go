package datacmd

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// StatusOptions are the inputs of `carry data status`.
type StatusOptions struct {
	IO      *iostreams.IOStreams
	DataDir string
	JSON    bool
	// MaxGaps bounds the gaps listed per series in the table (JSON lists
	// all).
	MaxGaps int
}

// NewCmdStatus builds `carry data status`; runF replaces statusRun in tests.
func NewCmdStatus(f *cmdutil.Factory, runF func(context.Context, *StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Rows, first and last timestamp, and gaps of every series in the lake",
		Long: `Lists every series in the lake with its row count, first and last timestamp,
expected cadence (the basis period, or the funding intervals inferred from the
history) and the gaps between first and last. Gaps are listed, never filled.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if opts.MaxGaps < 0 {
				return cmdutil.FlagErrorf("invalid --max-gaps %d: want 0 or more", opts.MaxGaps)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.Flags().IntVar(&opts.MaxGaps, "max-gaps", 5, "gaps listed per series in the table (0: none; --json lists all)")
	return cmd
}

// StatusReport is the JSON shape of `carry data status --json`.
type StatusReport struct {
	Lake   string              `json:"lake"`
	Series []data.SeriesStatus `json:"series"`
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	lake, err := data.Open(opts.DataDir)
	if err != nil {
		return err
	}
	series, err := lake.Status()
	if err != nil {
		return err
	}
	if opts.JSON {
		if series == nil {
			series = []data.SeriesStatus{}
		}
		return cmdutil.WriteJSON(opts.IO.Out, StatusReport{Lake: lake.Root(), Series: series})
	}
	return printStatus(opts.IO.Out, lake.Root(), series, opts.MaxGaps)
}

func printStatus(w io.Writer, root string, series []data.SeriesStatus, maxGaps int) error {
	fmt.Fprintf(w, "Lake: %s\n", root)
	if _, err := os.Stat(root); err != nil {
		fmt.Fprintf(w, "No lake there (%v). Check --data or $CARRY_DATA, or create one with: carry backfill --symbols BTCUSDT\n", err)
		return nil
	}
	if len(series) == 0 {
		fmt.Fprintln(w, "No series yet. Fetch some with: carry backfill --symbols BTCUSDT")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATASET\tSERIES\tROWS\tFIRST\tLAST\tCADENCE\tMISSING\tGAPS")
	for _, s := range series {
		if s.Error != "" {
			fmt.Fprintf(tw, "%s\t%s\tunreadable: %s\t\t\t\t\t\n", s.Dataset, s.Series, s.Error)
			continue
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%d\n", s.Dataset, s.Series, s.Rows, fmtTime(s.First), fmtTime(s.Last), s.Cadence, s.Missing, len(s.Gaps))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, s := range series {
		if len(s.Gaps) == 0 || maxGaps == 0 {
			continue
		}
		fmt.Fprintf(w, "\nGaps in %s %s (%d missing):\n", s.Dataset, s.Series, s.Missing)
		for i, g := range s.Gaps {
			if i == maxGaps {
				fmt.Fprintf(w, "  … and %d more (carry data status --json lists all)\n", len(s.Gaps)-maxGaps)
				break
			}
			fmt.Fprintf(w, "  %s → %s  %d missing\n", g.From.Format(time.RFC3339), g.To.Format(time.RFC3339), g.Missing)
		}
	}
	return nil
}

func fmtTime(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}
