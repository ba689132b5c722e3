// Package democmd implements `carry demo`: the whole pipeline, offline, on a
// simulated market served by the in-repository fake exchange.
package democmd

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/internal/sim"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Label is on every chart and report the demo writes.
const Label = "simulated market"

// Options are the inputs of `carry demo`.
type Options struct {
	IO   *iostreams.IOStreams
	Out  string
	Seed uint64
	Days int
	// Years of hourly klines and funding end at End: the multi-year runs'.
	Years int
	// End is the simulated market's last hour: fixed, so that every run
	// writes the same lake and the same numbers.
	End time.Time
	Now func() time.Time
}

// NewCmdDemo builds `carry demo`; runF replaces demoRun in tests.
func NewCmdDemo(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO, Now: f.Now, End: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline offline on a simulated market",
		Long: `Generates a deterministic simulated market (see carry simulate-market), serves
it through carry's fake Binance exchange on loopback (REST and the public
archive), backfills it into a lake under --out with the real backfiller (--days
of basis; --years of klines and funding of BTCUSDT, ETHUSDT and the universe's
seven perpetuals, whole months from the archive), runs perpetual, funding-rule,
dated and stress backtests on the basis, a multi-year perpetual and dated
backtest on klines, a sweep, and a multi-year carry portfolio over every
perpetual of the lake (one of them delisted) into --out/portfolio, and writes
report.html with charts and CSVs. No network is needed. Everything it writes
says "simulated market".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Days < 30 || opts.Days > 365 {
				return cmdutil.FlagErrorf("--days %d: want 30 to 365", opts.Days)
			}
			if opts.Years < 1 || opts.Years > 5 {
				return cmdutil.FlagErrorf("--years %d: want 1 to 5", opts.Years)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", filepath.Join("reports", "demo"), "directory for the demo's lake and report")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 7, "seed of the simulated market")
	cmd.Flags().IntVar(&opts.Days, "days", 120, "days of simulated 1h basis")
	cmd.Flags().IntVar(&opts.Years, "years", sim.DefaultYears, "years of simulated hourly klines and funding (the multi-year runs)")
	return cmd
}

func demoRun(ctx context.Context, o *Options) error {
	start := time.Now()
	cfg := sim.DefaultConfig(o.End, o.Days, o.Seed)
	cfg.Years = o.Years
	cfg.UniversePairs = sim.Universe()
	ex, err := sim.NewExchange(cfg)
	if err != nil {
		return err
	}
	srv := httptest.NewServer(ex)
	defer srv.Close()
	fmt.Fprintf(o.IO.Out, "carry demo — %s (seed %d, %d days of basis and %d years of klines to %s), served by the fake exchange (REST and archive) at %s\n",
		Label, o.Seed, o.Days, o.Years, o.End.Format("2006-01-02"), srv.URL)

	// The demo's lake holds one simulated market: start it afresh, so a
	// lake from another seed or version never mixes in.
	lakeDir := filepath.Join(o.Out, "lake")
	if err := os.RemoveAll(lakeDir); err != nil {
		return fmt.Errorf("clearing the demo lake %s: %w", lakeDir, err)
	}
	lake, err := lake.Open(lakeDir)
	if err != nil {
		return err
	}
	if err := backfillDemo(ctx, o, srv.URL, lake, cfg); err != nil {
		return err
	}
	sections, err := demoBacktests(lake, cfg)
	if err != nil {
		return err
	}
	runs := make([]backtest.Named, len(sections))
	for i, s := range sections {
		runs[i] = s.Named
	}
	if err := backtest.WriteRuns(o.Out, runs); err != nil {
		return err
	}
	brief, err := demoSweep(ctx, o, lake)
	if err != nil {
		return err
	}
	book, err := demoPortfolio(ctx, o, lake)
	if err != nil {
		return err
	}
	if err := report.WriteBacktestWithBriefs(o.Out, "carry demo — cash-and-carry on a "+Label, Label, sections, report.ChartOptions{}, o.Now(), brief, book); err != nil {
		return err
	}
	// The Sharpe of daily returns, the reports' headline (docs/model.md).
	fmt.Fprintf(o.IO.Out, "\n%-26s %12s %9s %14s %11s %10s\n", "RUN", "FINAL EQUITY", "APR", "SHARPE (DAILY)", "FUNDING", "LIQUIDATED")
	short := 0
	for _, s := range sections {
		m := s.Summary
		apr := orDash(m.APR, 100, "%.2f%%")
		if m.ShortWindow {
			apr, short = apr+"†", m.ShortWindowBelowDays
		}
		fmt.Fprintf(o.IO.Out, "%-26s %12.2f %9s %14s %11.2f %10v\n", s.Name, mustFloat(m.FinalEquity), apr, orDash(m.SharpeDaily, 1, "%.2f"), mustFloat(m.FundingIncome), m.Liquidated)
	}
	if short > 0 {
		fmt.Fprintf(o.IO.Out, "† a window under %d days: its annualized figures say little (docs/model.md).\n", short)
	}
	fmt.Fprintf(o.IO.Out, "\nDone in %.1fs. Report (%s): %s\n", time.Since(start).Seconds(), Label, filepath.Join(o.Out, report.ReportHTML))
	return nil
}

func backfillDemo(ctx context.Context, o *Options, url string, lake *lake.Lake, cfg sim.Config) error {
	results, err := sim.Backfill(ctx, cfg, lake, url, nil)
	if err != nil {
		return err
	}
	var rows, requests, files int64
	for _, r := range results {
		rows += int64(r.NewRows)
		requests += r.Requests
		files += int64(r.Archive.Imported)
	}
	fmt.Fprintf(o.IO.Out, "Backfilled %d series into %s: %d new rows from %d archive files and %d REST requests.\n", len(results), lake.Root(), rows, files, requests)
	return nil
}

// run is one of the demo's backtests.
type run struct {
	name, title string
	spec        backtest.Spec
	p           strategy.Params
}

// demoBacktests are the demo's runs: always-in perpetual carry on every
// pair, a funding-threshold rule through the regime switch, dated carry with
// rolls, and the rally's stress at 3× leverage with and without rebalancing.
func demoBacktests(lake *lake.Lake, cfg sim.Config) ([]report.Section, error) {
	f := func(v float64) *float64 { return &v }
	base := strategy.DefaultParams()
	rule := base
	rule.Rules.FundingEnter, rule.Rules.FundingExit = f(0.10), f(0.0)
	roll := base
	roll.OnDelivery = strategy.DeliverRoll
	stress := base
	stress.Leverage = strategy.DefaultParams().Leverage.Mul(decimalThree)
	rebalanced := stress
	rebalanced.RebalanceBelow = decimalRebalance
	perp := func(sym string) backtest.Spec {
		return backtest.Spec{Symbol: sym, Period: "1h", Contract: data.Perpetual}
	}
	// The stress runs enter a week before the rally and end two weeks after.
	rally := cfg.RallyStart("SOLUSDT")
	squeeze := backtest.Spec{Symbol: "SOLUSDT", Period: "1h", Contract: data.Perpetual, From: rally.AddDate(0, 0, -7), To: rally.AddDate(0, 0, 14)}
	var runs []run
	for _, p := range cfg.Pairs {
		runs = append(runs, run{p.Symbol, p.Symbol + " perpetual carry, always in", perp(p.Symbol), base})
	}
	runs = append(runs,
		run{"BTCUSDT-funding-rule", "BTCUSDT perpetual carry, funding rule: enter ≥ 10%/year, exit ≤ 0 (N = 3)", perp("BTCUSDT"), rule},
		run{"BTCUSDT-dated-roll", "BTCUSDT dated carry, current quarter, rolled at delivery", backtest.Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.CurrentQuarter}, roll},
		run{"SOLUSDT-3x", "SOLUSDT at 3× leverage, entered a week before the rally", squeeze, stress},
		run{"SOLUSDT-3x-rebalanced", "SOLUSDT at 3× leverage through the rally, rebalanced below a 15% margin ratio", squeeze, rebalanced},
	)
	runs = append(runs, multiYear(cfg, base, roll)...)
	var out []report.Section
	for _, r := range runs {
		res, err := backtest.Simulate(lake, r.spec, r.p, 0)
		if err != nil {
			return nil, fmt.Errorf("demo run %s: %w", r.name, err)
		}
		out = append(out, report.Section{Named: backtest.Named{Name: r.name, Outcome: res}, Title: r.title + " · " + Label})
	}
	return out, nil
}
