package viewcmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/views"
)

// BasisOptions are the inputs of `carry basis`.
type BasisOptions struct {
	IO  *iostreams.IOStreams
	Now func() time.Time

	DataDir string
	JSON    bool
}

// NewCmdBasis builds `carry basis`.
func NewCmdBasis(f *cmdutil.Factory, runF func(context.Context, *BasisOptions) error) *cobra.Command {
	opts := &BasisOptions{IO: f.IO, Now: clockOf(f.Now)}
	cmd := &cobra.Command{
		Use:   "basis",
		Short: "Latest perpetual-vs-spot basis per base asset, and the quarterlies'",
		Long: `The latest basis per base asset from the lake: index (Binance's spot
index) and perpetual prices, basis, basis % and annualized % (= basis % × 365
for perpetuals: a running yield, not a term structure), with the quarterlies'
annualized basis where present. A missing leg is reported as missing, never
as zero. The table ends with how old its data is; a row older than two
periods of its series is marked stale.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return basisRun(cmd.Context(), opts)
		},
	}
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// basisRun prints the latest basis per base asset.
func basisRun(_ context.Context, o *BasisOptions) error {
	lake, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	now := o.Now()
	t, err := views.Basis(lake, now)
	if err != nil {
		return err
	}
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, t.Answer())
	}
	if len(t.Rows) == 0 {
		fmt.Fprintln(o.IO.Out, "No basis in the lake (table missing). Fetch some with: carry backfill --symbols BTCUSDT --datasets basis")
		return nil
	}
	return printBasis(o.IO.Out, t, now)
}

// printBasis writes the basis table, then how old its data is.
func printBasis(w io.Writer, t views.BasisTable, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "BASE\tINDEX\tPERP\tBASIS\tBASIS %\tANNUALIZED %\tQUARTERLIES (annualized %)\tAT (UTC)\tNOTE")
	var stale []string
	for _, r := range t.Rows {
		var qs []string
		for _, q := range r.Quarterlies {
			qs = append(qs, fmt.Sprintf("%s %s", strings.TrimSuffix(q.ContractType, "_QUARTER"), optPct(q.AnnualizedPct)))
		}
		var notes []string
		if len(r.Missing) > 0 {
			notes = append(notes, "missing: "+strings.Join(r.Missing, ", ")+" (data-source gap)")
		}
		if r.Stale {
			notes = append(notes, "stale")
			stale = append(stale, r.Base)
		}
		at := "—"
		if r.Ts != nil {
			at = r.Ts.UTC().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Base, opt(r.SpotPrice), opt(r.PerpPrice), opt(r.BasisAbs),
			optFixed(r.BasisPct, 4), optFixed(r.AnnualizedPct, 2), strings.Join(qs, ", "), at, strings.Join(notes, "; "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "INDEX is Binance's index price of the pair (its spot reference).")
	if t.LastTs != nil {
		printAsOf(w, t.LastTs.Time, now, stale, "newest row older than two periods of its series")
	}
	return nil
}
