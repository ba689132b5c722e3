// Package viewcmd implements `carry funding`, `carry basis` and
// `carry serve`: views of the lake.
package viewcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/views"
)

// FundingOptions are the inputs of `carry funding`.
type FundingOptions struct {
	IO       *iostreams.IOStreams
	DataDir  string
	Symbol   string
	History  bool
	Limit    int
	Accuracy bool
	JSON     bool
	// Now is the clock that tells how old the data is.
	Now func() time.Time
}

// NewCmdFunding builds `carry funding` and `carry funding settlements`.
func NewCmdFunding(f *cmdutil.Factory, runF func(context.Context, *FundingOptions) error) *cobra.Command {
	opts := &FundingOptions{IO: f.IO, Now: clockOf(f.Now)}
	cmd := &cobra.Command{
		Use:   "funding [SYMBOL]",
		Short: "Latest funding rates from the lake, with the next rate estimated",
		Long: `Every market's latest settled funding rate, its annualized value, interval and
next funding time, and an ESTIMATE of the next rate: Binance's formula
(premium + clamp(interest − premium, ±0.05%)) on the premium implied by the
basis rows since the last settlement. The mark price is the settlement's,
the index price the latest basis row's, each shown with its time; the table
ends with how old the data is, and names the markets whose newest funding is
older than two intervals (stale). With SYMBOL, one market; with --history,
its events newest first. --accuracy replays the lake's history and reports
the estimate's mean absolute error.`,
		Example: `  carry funding
  carry funding BTCUSDT --history --limit 20
  carry funding --accuracy
  carry funding settlements reports/demo/BTCUSDT`,
		Args: cobra.MaximumNArgs(1),
		ValidArgsFunction: func(cmd *cobra.Command, args []string, typed string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			return cmdutil.CompleteLakeSymbols(f, false)(cmd, args, typed)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if len(args) == 1 {
				opts.Symbol = strings.ToUpper(args[0])
				if err := data.ValidateSymbol(opts.Symbol); err != nil {
					return cmdutil.FlagErrorf("SYMBOL: %v", err)
				}
			}
			if opts.History && opts.Symbol == "" {
				return cmdutil.FlagErrorf("--history needs a SYMBOL, e.g. carry funding BTCUSDT --history")
			}
			if opts.Limit < 1 || opts.Limit > 1000 {
				return cmdutil.FlagErrorf("--limit %d: want 1 to 1000", opts.Limit)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return fundingRun(opts)
		},
	}
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.Flags().BoolVar(&opts.History, "history", false, "the symbol's events, newest first")
	cmd.Flags().IntVar(&opts.Limit, "limit", 100, "events in --history (1 to 1000)")
	cmd.Flags().BoolVar(&opts.Accuracy, "accuracy", false, "mean absolute error of the next-rate estimate over the lake's history")
	cmd.AddCommand(newCmdSettlements(f, nil))
	return cmd
}

func fundingRun(o *FundingOptions) error {
	lake, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	switch {
	case o.Accuracy:
		return accuracy(o, lake)
	case o.History:
		h, err := views.History(lake, o.Symbol, o.Limit)
		if err != nil {
			return unknown(err, o.Symbol)
		}
		if o.JSON {
			return cmdutil.WriteJSON(o.IO.Out, map[string]any{"symbol": o.Symbol, "rates": h})
		}
		tw := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "FUNDING TIME (UTC)\tRATE\tANNUALIZED\tINTERVAL\tMARK PRICE\tTYPE")
		for _, e := range h {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%dh\t%s\t%s\n", e.FundingTime.Format("2006-01-02 15:04:05.000"), pctN(e.FundingRate, 4), pctN(e.AnnualizedRate, 2), e.IntervalHours, opt(e.MarkPrice), e.RateType)
		}
		return tw.Flush()
	}
	now := o.Now()
	var rates []views.Rate
	if o.Symbol != "" {
		r, err := views.RateOf(lake, o.Symbol, now)
		if err != nil {
			return unknown(err, o.Symbol)
		}
		rates = []views.Rate{r}
	} else if rates, err = views.Rates(lake, now); err != nil {
		return err
	}
	if o.JSON {
		if o.Symbol != "" {
			return cmdutil.WriteJSON(o.IO.Out, rates[0])
		}
		return cmdutil.WriteJSON(o.IO.Out, map[string]any{"rates": rates})
	}
	if len(rates) == 0 {
		fmt.Fprintln(o.IO.Out, "No funding in the lake. Fetch some with: carry backfill --symbols BTCUSDT")
		return nil
	}
	return printRates(o.IO.Out, rates, now)
}

// printRates writes the latest rates, then how old their data is. The mark
// price is the settlement's (at SETTLED); the index price is the latest
// basis row's, at its own time.
func printRates(w io.Writer, rates []views.Rate, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SYMBOL\tRATE\tANNUALIZED\tINTERVAL\tNEXT (ESTIMATE)\tNEXT FUNDING (UTC)\tSETTLED (UTC)\tMARK AT SETTLEMENT\tINDEX\tINDEX AT (UTC)\tNOTE")
	var newest time.Time
	var stale []string
	for _, r := range rates {
		next := "—"
		if r.NextFundingRate != nil {
			next = pctN(*r.NextFundingRate, 4)
		}
		indexAt := "—"
		if r.IndexPriceTime != nil {
			indexAt = r.IndexPriceTime.UTC().Format("2006-01-02 15:04")
		}
		note := ""
		if r.Stale {
			note = "stale"
			stale = append(stale, r.Symbol)
		}
		if r.UpdatedAt.After(newest) {
			newest = r.UpdatedAt
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%dh\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.Symbol, pctN(r.FundingRate, 4), pctN(r.AnnualizedRate, 2), r.IntervalHours,
			next, r.NextFundingTime.UTC().Format("2006-01-02 15:04"), r.FundingTime.UTC().Format("2006-01-02 15:04"), opt(r.MarkPrice), opt(r.IndexPrice), indexAt, note)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "NEXT is an estimate from the basis since the last settlement; annualized on a 365-day calendar.")
	printAsOf(w, newest, now, stale, "newest funding older than two intervals")
	return nil
}

func accuracy(o *FundingOptions, lake *lake.Lake) error {
	syms := []string{o.Symbol}
	if o.Symbol == "" {
		var err error
		if syms, err = lake.FundingSymbols(); err != nil {
			return err
		}
	}
	var out []views.Accuracy
	for _, s := range syms {
		a, err := views.AccuracyOf(lake, s)
		if err != nil {
			return unknown(err, s)
		}
		out = append(out, a)
	}
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, map[string]any{"accuracy": out})
	}
	tw := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SYMBOL\tEVENTS\tMEAN ABS ERROR\tBIAS\tMEAN |RATE|")
	for _, a := range out {
		fmt.Fprintln(tw, strings.Join(a.Row(), "\t"))
	}
	return tw.Flush()
}

func unknown(err error, sym string) error {
	if errors.Is(err, views.ErrUnknownSymbol) || errors.Is(err, lake.ErrNoSeries) {
		return fmt.Errorf("unknown symbol %s: the lake has no funding history for it; fetch it with: carry backfill --symbols %s --datasets funding", sym, sym)
	}
	return err
}

// SettlementsOptions are the inputs of `carry funding settlements`.
type SettlementsOptions struct {
	IO *iostreams.IOStreams

	RunDir string
	Limit  int
	JSON   bool
}

func newCmdSettlements(f *cmdutil.Factory, runF func(context.Context, *SettlementsOptions) error) *cobra.Command {
	opts := &SettlementsOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "settlements RUN_DIR",
		Short: "The funding settlements of a backtest run (its ledger), newest first",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Limit < 1 || opts.Limit > 1000 {
				return cmdutil.FlagErrorf("--limit %d: want 1 to 1000", opts.Limit)
			}
			opts.RunDir = args[0]
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return settlementsRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().IntVar(&opts.Limit, "limit", 100, "settlements shown (1 to 1000)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	return cmd
}

// settlementsRun prints a run's funding settlements, newest first.
func settlementsRun(_ context.Context, o *SettlementsOptions) error {
	rows, err := views.Settlements(o.RunDir, o.Limit)
	if err != nil {
		return err
	}
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, map[string]any{"settlements": rows})
	}
	return printSettlements(o.IO.Out, rows)
}

func printSettlements(w io.Writer, rows []views.Settlement) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSYMBOL\tPOSITION\tRATE\tPOSITION SIZE\tPAYMENT\tSETTLED AT (UTC)")
	for _, s := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\t%s\n", s.ID, s.Symbol, s.PositionID, pctN(s.FundingRate, 4), fixed(s.PositionSize, 2), fixed(s.Payment, 4), s.SettledAt.Format(time.RFC3339))
	}
	return tw.Flush()
}
