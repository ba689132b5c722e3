// Package backtestcmd implements `carry backtest`.
package backtestcmd

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Options are the inputs of `carry backtest`, parsed.
type Options struct {
	IO      *iostreams.IOStreams
	Now     func() time.Time
	DataDir string
	Out     string
	Specs   []backtest.Spec
	// Settings are the engine's parameters and the risk-free rate, bound
	// to their flags (strategy.ParamTable).
	strategy.Settings
	Chart report.ChartOptions
	Label string
	JSON  bool
	// Force replaces an earlier, different backtest in Out.
	Force bool
	// Slips are the parameter flags' warnings (ParamFlags.Slips): values
	// almost surely slips of units, run as given.
	Slips []string
}

// NewCmdBacktest builds `carry backtest`; runF replaces backtestRun in tests.
func NewCmdBacktest(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: f.Now}
	var symbols []string
	var period, contract, from, to, format, prices, spot string
	var pf ParamFlags
	cmd := &cobra.Command{
		Use:   "backtest --symbol BTCUSDT [--symbol ETHUSDT …] --out DIR",
		Short: "Simulate long spot / short futures carry on the lake's data and report it",
		Long: `Reads the lake, runs the carry engine (docs/model.md) for each symbol, and
writes summary.json, summary.csv, ledger.csv, trades.csv, equity.csv, charts and
report.html under --out (with several symbols, one directory per symbol plus a
comparison). It refuses when the lake lacks the data, naming the series and
the carry backfill command that would fetch it, and warns (in the report too)
when the window has gaps.`,
		Example: `  carry backtest --symbol BTCUSDT --out runs/btc
  carry backtest --symbol BTCUSDT --symbol ETHUSDT --from 2026-01-01 --funding-enter 10% --funding-exit 2% --out runs/cmp
  carry backtest --symbol BTCUSDT --contract CURRENT_QUARTER --on-delivery roll --out runs/dated`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if err := opts.parse(symbols, period, contract, from, to, format, sources{prices, spot}, pf, f.Now()); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return backtestRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fl.StringArrayVar(&symbols, "symbol", nil, "symbol to run (repeat for several; required)")
	fl.StringVar(&period, "period", "1h", "grid period: the basis series' period, or the candles' interval")
	fl.StringVar(&contract, "contract", "PERPETUAL", "PERPETUAL, CURRENT_QUARTER or NEXT_QUARTER")
	fl.StringVar(&prices, "prices", string(backtest.PricesAuto), "what prices the legs: basis (the basis dataset), klines (candles), or auto (the basis where it covers the window, else klines; never a mix)")
	fl.StringVar(&spot, "spot", string(backtest.SpotIndex), "the spot leg of a klines market: index (index candles) or spot (the spot market's candles)")
	fl.StringVar(&from, "from", "", "first grid point (inclusive; date or RFC 3339; default: the series' first)")
	fl.StringVar(&to, "to", "", "last grid point (inclusive; default: the series' last)")
	fl.StringVar(&opts.Out, "out", "", "directory for the run's files (required)")
	fl.StringVar(&format, "chart-format", "png", "chart format: png or svg")
	fl.StringVar(&opts.Label, "label", "", "a label shown on every chart and the report (e.g. simulated market)")
	fl.BoolVar(&opts.Force, "force", false, "replace an earlier, different backtest in --out (only the files it wrote)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	pf = AddParamFlags(fl, &opts.Settings)
	cmd.RegisterFlagCompletionFunc("symbol", cmdutil.CompleteLakeSymbols(f, false))
	cmd.RegisterFlagCompletionFunc("period", cmdutil.CompleteValues(cmdutil.PeriodNames()...))
	cmd.RegisterFlagCompletionFunc("contract", cmdutil.CompleteValues(cmdutil.ContractTypeNames()...))
	cmd.RegisterFlagCompletionFunc("prices", cmdutil.CompleteValues(string(backtest.PricesAuto), string(backtest.PricesBasis), string(backtest.PricesKlines)))
	cmd.RegisterFlagCompletionFunc("spot", cmdutil.CompleteValues(string(backtest.SpotIndex), string(backtest.SpotMarket)))
	cmd.RegisterFlagCompletionFunc("chart-format", cmdutil.CompleteValues("png", "svg"))
	cmd.RegisterFlagCompletionFunc("on-delivery", cmdutil.CompleteValues("flat", "roll"))
	return cmd
}

// sources are the --prices and --spot flags' text.
type sources struct{ prices, spot string }

func (o *Options) parse(symbols []string, period, contract, from, to, format string, src sources, pf ParamFlags, now time.Time) error {
	if len(symbols) == 0 {
		return cmdutil.FlagErrorf("--symbol is required, e.g. --symbol BTCUSDT")
	}
	if o.Out == "" {
		return cmdutil.FlagErrorf("--out is required: the directory for the run's files")
	}
	p, err := data.ParsePeriod(period)
	if err != nil {
		return cmdutil.FlagErrorf("--period: %v", err)
	}
	ct, err := data.ParseContractType(contract)
	if err != nil {
		return cmdutil.FlagErrorf("--contract: %v", err)
	}
	prices, err := backtest.ParsePriceSource(src.prices)
	if err != nil {
		return cmdutil.FlagErrorf("--prices: %v", err)
	}
	spot, err := backtest.ParseSpotSource(src.spot)
	if err != nil {
		return cmdutil.FlagErrorf("--spot: %v", err)
	}
	if err := (backtest.Spec{Prices: prices, Spot: spot}).CheckSources(); err != nil {
		return cmdutil.FlagErrorf("--spot %s with --prices %s: %v", spot, prices, err)
	}
	var fromT, toT time.Time
	if from != "" {
		if fromT, err = data.ParseTime(from, now); err != nil {
			return cmdutil.FlagErrorf("--from: %v", err)
		}
	}
	if to != "" {
		if toT, err = data.ParseTime(to, now); err != nil {
			return cmdutil.FlagErrorf("--to: %v", err)
		}
	}
	if !fromT.IsZero() && !toT.IsZero() && !fromT.Before(toT) {
		return cmdutil.FlagErrorf("--from %s must be before --to %s", fromT.Format(time.RFC3339), toT.Format(time.RFC3339))
	}
	seen := map[string]bool{}
	for _, s := range symbols {
		for _, sym := range strings.Split(s, ",") {
			sym = strings.ToUpper(strings.TrimSpace(sym))
			if err := data.ValidateSymbol(sym); err != nil {
				return cmdutil.FlagErrorf("--symbol: %v", err)
			}
			if !seen[sym] {
				seen[sym] = true
				o.Specs = append(o.Specs, backtest.Spec{Symbol: sym, Period: p, Contract: ct, From: fromT, To: toT, Prices: prices, Spot: spot})
			}
		}
	}
	if format != "png" && format != "svg" {
		return cmdutil.FlagErrorf("--chart-format %q: want png or svg", format)
	}
	o.Chart = report.ChartOptions{Format: format}
	if err := pf.Err(); err != nil {
		return cmdutil.FlagErrorf("%v", err)
	}
	o.Slips = pf.Slips()
	return nil
}

func backtestRun(ctx context.Context, o *Options) error {
	out := o.outDir()
	if err := out.Prepare(); err != nil {
		return err
	}
	lake, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	for _, w := range o.Slips {
		fmt.Fprintf(o.IO.ErrOut, "warning: %s\n", w)
	}
	// Run every backtest, write their files, then hand them to the report.
	var runs []backtest.Named
	for _, spec := range o.Specs {
		if err := ctx.Err(); err != nil {
			return err
		}
		out, err := backtest.Simulate(lake, spec, o.Params, o.RiskFree)
		if err != nil {
			return err
		}
		for _, w := range out.Warnings {
			fmt.Fprintf(o.IO.ErrOut, "warning: %s\n", w)
		}
		runs = append(runs, backtest.Named{Outcome: out})
	}
	if err := backtest.WriteRuns(o.Out, runs); err != nil {
		return err
	}
	sections := make([]report.Section, len(runs))
	for i, r := range runs {
		sections[i] = report.Section{Named: r, Notices: o.Slips}
	}
	title := "carry backtest"
	if len(o.Specs) == 1 {
		title += " — " + o.Specs[0].Symbol
	}
	if err := report.WriteBacktest(o.Out, title, o.Label, sections, o.Chart, o.Now()); err != nil {
		return err
	}
	if err := out.Seal(); err != nil {
		return err
	}
	if o.JSON {
		var sums []backtest.Summary
		for _, r := range runs {
			sums = append(sums, r.Summary)
		}
		return cmdutil.WriteJSON(o.IO.Out, sums)
	}
	printSummaries(o.IO.Out, runs)
	fmt.Fprintf(o.IO.Out, "\nReport: %s\n", filepath.Join(o.Out, report.ReportHTML))
	return nil
}

func printSummaries(w io.Writer, runs []backtest.Named) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	// The Sharpe of daily returns: the reports' headline (docs/model.md).
	fmt.Fprintln(tw, "SYMBOL\tCONTRACT\tWINDOW\tFINAL EQUITY\tAPR\tSHARPE (DAILY)\tMAX DD\tFUNDING\tBASIS P&L\tFEES\tTRADES\tLIQUIDATED")
	short := 0
	for _, r := range runs {
		m := r.Summary
		apr := cmdutil.PctOr(m.APR.V, m.APR.Valid)
		if m.ShortWindow {
			apr, short = apr+" †", m.ShortWindowBelowDays
		}
		fmt.Fprintf(tw, "%s\t%s %s\t%s → %s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%v\n", m.Symbol, m.Contract, m.Period, m.From[:10], m.To[:10],
			cmdutil.Fixed(string(m.FinalEquity)), apr, cmdutil.NumOr(m.SharpeDaily.V, m.SharpeDaily.Valid), cmdutil.PctOr(m.MaxDrawdown.V, m.MaxDrawdown.Valid),
			cmdutil.Fixed(string(m.FundingIncome)), cmdutil.Fixed(string(m.BasisPnL)), cmdutil.Fixed(string(m.Fees)), m.Trades, m.Liquidated)
	}
	tw.Flush()
	fmt.Fprintln(w, "(APR on a 365-day calendar)")
	if short > 0 {
		fmt.Fprintf(w, "† a window under %d days: its annualized figures extrapolate a year from it.\n", short)
	}
}
