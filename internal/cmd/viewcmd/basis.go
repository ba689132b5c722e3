package viewcmd

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/views"
)

// NewCmdBasis builds `carry basis`.
func NewCmdBasis(f *cmdutil.Factory, runF func(context.Context, string, bool) error) *cobra.Command {
	var dataDir string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "basis",
		Short: "Latest perpetual-vs-spot basis per base asset, and the quarterlies'",
		Long: `The latest basis per base asset from the lake: spot (index) and perpetual
prices, basis, basis % and annualized % (= basis % × 365 for perpetuals: a
running yield, not a term structure), with the quarterlies' annualized basis
where present. A missing leg is reported as missing, never as zero.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			dataDir = f.DataDir(dataDir)
			if runF != nil {
				return runF(cmd.Context(), dataDir, asJSON)
			}
			lake, err := data.Open(dataDir)
			if err != nil {
				return err
			}
			t, err := views.Basis(lake)
			if err != nil {
				return err
			}
			if asJSON {
				return cmdutil.WriteJSON(f.IO.Out, map[string]any{"data": t, "meta": map[string]any{"total": len(t.Rows)}})
			}
			if len(t.Rows) == 0 {
				fmt.Fprintln(f.IO.Out, "No basis in the lake (table missing). Fetch some with: carry backfill --symbols BTCUSDT --datasets basis")
				return nil
			}
			tw := tabwriter.NewWriter(f.IO.Out, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "BASE\tSPOT\tPERP\tBASIS\tBASIS %\tANNUALIZED %\tQUARTERLIES (annualized %)\tAT (UTC)\tNOTE")
			for _, r := range t.Rows {
				var qs []string
				for _, q := range r.Quarterlies {
					qs = append(qs, fmt.Sprintf("%s %s", strings.TrimSuffix(q.ContractType, "_QUARTER"), optPct(q.AnnualizedPct)))
				}
				note := ""
				if len(r.Missing) > 0 {
					note = "missing: " + strings.Join(r.Missing, ", ") + " (data-source gap)"
				}
				at := "—"
				if r.Ts != nil {
					at = r.Ts.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Base, opt(r.SpotPrice), opt(r.PerpPrice), opt(r.BasisAbs),
					optFixed(r.BasisPct, 4), optFixed(r.AnnualizedPct, 2), strings.Join(qs, ", "), at, note)
			}
			return tw.Flush()
		},
	}
	cmdutil.AddDataFlag(cmd, &dataDir)
	cmdutil.AddJSONFlag(cmd, &asJSON)
	return cmd
}
