package datacmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data/lake"
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
	Lake string `json:"lake"`
	// Error says why the command failed: no lake there, or series that
	// cannot be read (each listed with its status, error and repair).
	Error  string         `json:"error,omitempty"`
	Series []SeriesReport `json:"series"`
	// SetAside lists the damaged files earlier repairs set aside, kept
	// for inspection.
	SetAside []string `json:"set_aside"`
}

// SeriesReport is a series' status with, when it cannot be read, the
// command that repairs it.
type SeriesReport struct {
	lake.SeriesStatus
	Repair string `json:"repair,omitempty"`
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	rep := StatusReport{Lake: opts.DataDir, Series: []SeriesReport{}, SetAside: []string{}}
	lake, err := cmdutil.OpenLake(opts.DataDir)
	if err == nil {
		rep.Lake = lake.Root()
		err = rep.read(lake)
	}
	var noLake *cmdutil.NoLakeError
	switch {
	case opts.JSON:
		if err != nil {
			rep.Error = err.Error()
		}
		if werr := cmdutil.WriteJSON(opts.IO.Out, rep); werr != nil {
			return werr
		}
	case errors.As(err, &noLake):
		fmt.Fprintf(opts.IO.Out, "Lake: %s\n", rep.Lake)
	case err == nil || errors.As(err, new(*unreadableSeries)):
		if perr := printStatus(opts.IO.Out, rep, opts.MaxGaps); perr != nil {
			return perr
		}
	}
	return err
}

// read fills the report from the lake; series that cannot be read make it
// an *unreadableSeries error (wrapped in a PartialError when others read).
func (rep *StatusReport) read(lake *lake.Lake) error {
	series, err := lake.Status()
	if err != nil {
		return err
	}
	if rep.SetAside, err = lake.SetAsideFiles(); err != nil {
		return err
	}
	if rep.SetAside == nil {
		rep.SetAside = []string{}
	}
	var bad unreadableSeries
	for _, s := range series {
		r := SeriesReport{SeriesStatus: s}
		if s.Failed() {
			r.Repair = repairCommand(lake.Root(), s)
			bad = append(bad, r)
		}
		rep.Series = append(rep.Series, r)
	}
	switch {
	case len(bad) == 0:
		return nil
	case len(bad) < len(series):
		return &cmdutil.PartialError{Failed: len(bad), Total: len(series), Err: &bad}
	}
	return &bad
}
func printStatus(w io.Writer, rep StatusReport, maxGaps int) error {
	fmt.Fprintf(w, "Lake: %s\n", rep.Lake)
	if len(rep.Series) == 0 {
		fmt.Fprintln(w, "No series yet. Fetch some with: carry backfill --symbols BTCUSDT")
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "DATASET\tSERIES\tROWS\tFIRST\tLAST\tCADENCE\tMISSING\tGAPS\tSTATUS")
		for _, s := range rep.Series {
			if s.Failed() {
				fmt.Fprintf(tw, "%s\t%s\t-\t-\t-\t-\t-\t-\t%s (see below)\n", s.Dataset, s.Series, s.Status)
				continue
			}
			status := s.Status
			if len(s.Unfetched) > 0 {
				status = fmt.Sprintf("ok, incomplete: %d spans not fetched yet (re-run carry backfill)", len(s.Unfetched))
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%d\t%d\t%s\n", s.Dataset, s.Series, s.Rows, fmtTime(s.First), fmtTime(s.Last), s.Cadence, s.Missing, len(s.Gaps), status)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	for _, s := range rep.Series {
		if !s.Failed() {
			continue
		}
		fmt.Fprintf(w, "\n%s: %s %s\n  file:   %s\n  error:  %s\n  repair: %s\n", strings.ToUpper(s.Status[:1])+s.Status[1:], s.Dataset, s.Series, s.File, s.Error, s.Repair)
	}
	for _, s := range rep.Series {
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
	if len(rep.SetAside) > 0 {
		fmt.Fprintf(w, "\nDamaged files set aside by earlier repairs (kept for inspection; remove them when done):\n")
		for _, p := range rep.SetAside {
			fmt.Fprintf(w, "  %s\n", p)
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
