// Package democmd implements `carry demo`: the whole pipeline, offline, on a
// simulated market served by the in-repository fake exchange.
package democmd

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancetest"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// Options are the inputs of `carry demo`.
type Options struct {
	IO   *iostreams.IOStreams
	Out  string
	Seed uint64
	Days int
	Now  time.Time
}

// NewCmdDemo builds `carry demo`; runF replaces demoRun in tests.
func NewCmdDemo(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run the whole pipeline offline on a simulated market",
		Long: `Generates a deterministic simulated market, serves it through carry's fake
Binance exchange on loopback, backfills it into a lake under --out with the
real backfiller, and reports what is stored. No network access is needed.
Everything it writes is labelled "simulated market".`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Days < 2 || opts.Days > 365 {
				return cmdutil.FlagErrorf("--days %d: want 2 to 365", opts.Days)
			}
			// The simulated market ends at a fixed instant so that every run
			// writes the same lake.
			opts.Now = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return demoRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Out, "out", filepath.Join("reports", "demo"), "directory for the demo's lake and reports")
	cmd.Flags().Uint64Var(&opts.Seed, "seed", 1, "seed of the simulated market")
	cmd.Flags().IntVar(&opts.Days, "days", 30, "days of simulated history")
	return cmd
}

func demoRun(ctx context.Context, o *Options) error {
	market := simulatedMarket(o.Now, o.Days, o.Seed)
	srv := binancetest.NewServer(market, binancetest.Options{Now: func() time.Time { return o.Now }, BasisRetention: time.Duration(o.Days+1) * 24 * time.Hour})
	defer srv.Close()
	fmt.Fprintf(o.IO.Out, "carry demo — simulated market (seed %d, %d days to %s), served by the fake exchange at %s\n\n",
		o.Seed, o.Days, o.Now.Format("2006-01-02"), srv.URL)

	lakeDir := filepath.Join(o.Out, "lake")
	lake, err := data.Open(lakeDir)
	if err != nil {
		return err
	}
	client, err := binance.NewClient(srv.URL, &http.Client{Timeout: 10 * time.Second, Transport: binance.NewLimiter(nil, binance.DefaultLimits, nil)})
	if err != nil {
		return err
	}
	bf := backfill.New(client, lake, backfill.WithClock(func() time.Time { return o.Now }))
	cfg := backfill.Config{
		Symbols: demoSymbols, Basis: true, Funding: true,
		Periods:       []data.Period{"1h"},
		ContractTypes: []data.ContractType{data.Perpetual, data.CurrentQuarter, data.NextQuarter},
		Since:         o.Now.Add(-time.Duration(o.Days) * 24 * time.Hour), Until: o.Now, Concurrency: 4,
	}
	results, err := bf.Run(ctx, cfg)
	if err != nil {
		return fmt.Errorf("backfilling the simulated market: %w", err)
	}
	var rows, requests int64
	for _, r := range results {
		rows += int64(r.NewRows)
		requests += r.Requests
	}
	fmt.Fprintf(o.IO.Out, "Backfilled %d series: %d new rows in %d requests.\n\n", len(results), rows, requests)
	status, err := lake.Status()
	if err != nil {
		return err
	}
	for _, s := range status {
		fmt.Fprintf(o.IO.Out, "  %-8s %-32s %5d rows  %s → %s  cadence %s  missing %d\n", s.Dataset, s.Series, s.Rows,
			s.First.Format("2006-01-02 15:04"), s.Last.Format("2006-01-02 15:04"), s.Cadence, s.Missing)
	}
	fmt.Fprintf(o.IO.Out, "\nLake (simulated market): %s\nInspect it with: carry data status --data %s\n", lakeDir, lakeDir)
	return nil
}
