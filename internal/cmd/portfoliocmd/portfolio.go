// Package portfoliocmd implements `carry portfolio`.
package portfoliocmd

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/internal/cmd/backtestcmd"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// Options are the inputs of `carry portfolio`, parsed.
type Options struct {
	IO      *iostreams.IOStreams
	Now     func() time.Time
	DataDir string
	Out     string
	// Spec is the universe, the book's parameters (Params.Pair bound to
	// the pair's flags) and the risk-free rate.
	Spec  book.Spec
	Label string
	JSON  bool
	// Force replaces an earlier, different portfolio run in Out.
	Force bool
	// Slips are the flags' warnings: the pair's (backtestcmd.ParamFlags.Slips)
	// and the book's (bookSlips, a repeated --universe symbol).
	Slips []string
}

// NewCmdPortfolio builds `carry portfolio`; runF replaces portfolioRun in
// tests.
func NewCmdPortfolio(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: f.Now}
	var fl flagText
	var settings strategy.Settings
	cmd := &cobra.Command{
		Use:   "portfolio --universe BTCUSDT,ETHUSDT,… --out DIR",
		Short: "Simulate a cross-sectional carry book over many pairs and report it",
		Long: `Reads a universe of perpetual pairs from the lake (a list of symbols, or
all-history: every perpetual with data in the window, delisted ones included),
ranks them by their carry at each rebalance, holds the top K with weights (each
short isolated), and writes summary.json, summary.csv, contributions.csv,
holdings.csv, trades.csv, ledger.csv, equity.csv and report.html under --out.
The model is docs/model.md, "Portfolios"; the files and the report are
docs/portfolio.md.`,
		Example: `  carry portfolio --universe BTCUSDT,ETHUSDT,SOLUSDT --top 2 --out runs/pf
  carry portfolio --universe all-history --signal funding --lookback 3 --top 5 --min-signal 5% --weights equal --rebalance 1d --out runs/pf
  carry portfolio --universe all-history --weights inverse-vol --vol-window 30d --rebalance funding --band 2% --out runs/pf-iv`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			if err := opts.parse(fl, f.Now()); err != nil {
				return err
			}
			if err := fl.pair.Err(); err != nil {
				return cmdutil.FlagErrorf("%v", err)
			}
			opts.Spec.Params.Pair, opts.Spec.RiskFree = settings.Params, settings.RiskFree
			// The pair flags' warnings first, then the book's (parse).
			opts.Slips = append(fl.pair.Slips(), opts.Slips...)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return portfolioRun(cmd.Context(), opts)
		},
	}
	fs := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fs.StringVar(&fl.universe, "universe", "", "the pairs: symbols separated by commas, or all-history (every perpetual with data in the window, delisted ones included; required)")
	fl.book = addBookFlags(fs)
	fs.StringVar(&fl.period, "period", "1h", "grid period of every pair")
	fs.StringVar(&fl.prices, "prices", string(backtest.PricesAuto), "what prices the legs: basis, klines or auto (per pair, never a mix within one)")
	fs.StringVar(&fl.spot, "spot", string(backtest.SpotIndex), "the spot leg of a klines market: index or spot")
	fs.StringVar(&fl.from, "from", "", "first grid point (inclusive; date or RFC 3339; default: the data's first)")
	fs.StringVar(&fl.to, "to", "", "last grid point (inclusive; default: the data's last)")
	fs.StringVar(&opts.Out, "out", "", "directory for the run's files (required)")
	fs.StringVar(&opts.Label, "label", "", "a label shown on every chart and the report (e.g. simulated market)")
	fs.BoolVar(&opts.Force, "force", false, "replace an earlier, different portfolio run in --out (only the files it wrote)")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	fl.pair = backtestcmd.AddParamFlagsOf(fs, &settings, portfolio.BookPairParams()...)
	cmd.RegisterFlagCompletionFunc("signal", cmdutil.CompleteValues(string(portfolio.SignalFunding), string(portfolio.SignalBasis)))
	cmd.RegisterFlagCompletionFunc("weights", cmdutil.CompleteValues(string(portfolio.WeightEqual), string(portfolio.WeightSignal), string(portfolio.WeightInverseVol)))
	cmd.RegisterFlagCompletionFunc("period", cmdutil.CompleteValues(cmdutil.PeriodNames()...))
	cmd.RegisterFlagCompletionFunc("prices", cmdutil.CompleteValues(string(backtest.PricesAuto), string(backtest.PricesBasis), string(backtest.PricesKlines)))
	cmd.RegisterFlagCompletionFunc("spot", cmdutil.CompleteValues(string(backtest.SpotIndex), string(backtest.SpotMarket)))
	return cmd
}

func portfolioRun(ctx context.Context, o *Options) error {
	dir := o.outDir()
	if err := dir.Prepare(); err != nil {
		return err
	}
	store, err := cmdutil.OpenLake(o.DataDir)
	if err != nil {
		return err
	}
	for _, w := range o.Slips {
		fmt.Fprintf(o.IO.ErrOut, "warning: %s\n", w)
	}
	line := newStatusLine(o.IO)
	defer line.clear() // also on an error or Ctrl-C: no half line left
	spec := o.Spec
	spec.Progress = line.show
	out, err := book.Run(ctx, store, spec)
	if err != nil {
		return err
	}
	line.clear()
	for _, w := range out.Warnings {
		fmt.Fprintf(o.IO.ErrOut, "warning: %s\n", w)
	}
	if len(out.Skipped) > 0 {
		fmt.Fprintf(o.IO.ErrOut, "warning: %s skipped (see the report)\n", count(len(out.Skipped), "symbol"))
	}
	line.show("writing the files and the report")
	if err := book.WriteRun(o.Out, out); err != nil {
		return err
	}
	if err := report.WritePortfolio(o.Out, report.PortfolioPage{Title: "carry portfolio", Label: o.Label, Generated: o.Now(), Outcome: out, Notices: o.Slips}, report.ChartOptions{}); err != nil {
		return err
	}
	if err := dir.Seal(); err != nil {
		return err
	}
	line.clear()
	if o.JSON {
		return cmdutil.WriteJSON(o.IO.Out, out.Summary)
	}
	printSummary(o.IO.Out, out)
	fmt.Fprintf(o.IO.Out, "\nReport: %s\n", filepath.Join(o.Out, report.ReportHTML))
	return nil
}

// runManifest is the manifest a portfolio run leaves in --out
// (cmdutil.OutDir).
const runManifest = ".carry-portfolio.json"

// outDir is --out guarded by the run's manifest: the run is its universe,
// parameters, risk-free rate and label, so the same flags again rewrite
// the directory in place and different ones need --force.
func (o *Options) outDir() *cmdutil.OutDir {
	id := cmdutil.RunID(struct {
		Spec  any
		Label string
	}{o.Spec, o.Label})
	return &cmdutil.OutDir{Dir: o.Out, Kind: "portfolio", Manifest: runManifest, Run: id, Force: o.Force}
}
