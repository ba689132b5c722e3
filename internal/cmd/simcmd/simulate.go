// Package simcmd implements `carry simulate-market`.
package simcmd

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/sim"
)

// Options are the inputs of `carry simulate-market`.
type Options struct {
	IO      *iostreams.IOStreams
	Logger  *slog.Logger
	DataDir string
	Serve   string
	Config  sim.Config
}

// NewCmdSimulate builds `carry simulate-market`; runF replaces simulateRun.
func NewCmdSimulate(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO}
	var seed uint64
	var days int
	var end string
	var rally, switchAt float64
	cmd := &cobra.Command{
		Use:   "simulate-market",
		Short: "Generate a simulated market (with stress scenarios) into a lake, or serve it",
		Long: `Generates a deterministic simulated Binance market — BTCUSDT, ETHUSDT and
SOLUSDT (funding every 4h); spot as a random walk, the perpetual premium as a
mean-reverting process that switches regime, funding from the premium with
Binance's formula and clamp, quarterly contracts converging at delivery, and a
sharp SOL rally — and backfills it into the lake at --data through carry's fake
exchange and real backfiller. With --serve it serves the market on loopback
instead, for carry backfill --base-url. See docs/simulated-market.md.`,
		Example: `  carry simulate-market --data /tmp/sim-lake --days 180 --rally 0.5
  carry simulate-market --serve 127.0.0.1:8099 &
  carry backfill --base-url http://127.0.0.1:8099 --symbols SOLUSDT --data /tmp/sim-lake`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 2 || days > 3650 {
				return cmdutil.FlagErrorf("--days %d: want 2 to 3650", days)
			}
			endT, err := data.ParseTime(end, f.Now())
			if err != nil {
				return cmdutil.FlagErrorf("--end: %v", err)
			}
			if !(rally >= 0 && rally <= 5) { // NaN too
				return cmdutil.FlagErrorf("--rally %v: want 0 (none) to 5 (+500%%)", rally)
			}
			if !(switchAt >= 0 && switchAt < 1) { // NaN too
				return cmdutil.FlagErrorf("--switch-at %v: want a fraction of the window in [0, 1)", switchAt)
			}
			opts.Config = sim.DefaultConfig(endT.Truncate(time.Hour), days, seed)
			w := time.Duration(days) * 24 * time.Hour
			opts.Config.SwitchAt = time.Duration(switchAt * float64(w))
			for i := range opts.Config.Pairs {
				if opts.Config.Pairs[i].Rally > 0 {
					opts.Config.Pairs[i].Rally = rally
				}
			}
			if opts.Serve == "" {
				opts.DataDir = f.DataDir(opts.DataDir)
			}
			opts.Logger = f.Logger()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return simulateRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fl.StringVar(&opts.Serve, "serve", "", "serve the market on this loopback address instead of writing a lake (e.g. 127.0.0.1:8099)")
	fl.Uint64Var(&seed, "seed", 7, "seed: the same seed gives the same market")
	fl.IntVar(&days, "days", 120, "days of history")
	fl.StringVar(&end, "end", "2026-09-30", "last simulated instant (date or RFC 3339)")
	fl.Float64Var(&rally, "rally", 0.35, "size of the SOLUSDT rally at 3/4 of the window (0.35 = +35% in a day; 0: none)")
	fl.Float64Var(&switchAt, "switch-at", 0.6, "when the funding regime turns from bull to bear, as a fraction of the window (0: never)")
	return cmd
}

func simulateRun(ctx context.Context, o *Options) error {
	market := sim.Market(o.Config)
	opts := binancesim.Options{Now: func() time.Time { return o.Config.End }, BasisRetention: time.Duration(o.Config.Days+1) * 24 * time.Hour}
	if o.Serve != "" {
		return serve(ctx, o, binancesim.NewUnstarted(market, opts))
	}
	srv := binancesim.NewUnstarted(market, opts)
	lake, err := lake.Open(o.DataDir, lake.WithLogger(o.Logger))
	if err != nil {
		return err
	}
	cmdutil.RemoveStaleTemps(lake, o.Logger)
	results, err := sim.Backfill(ctx, o.Config, lake, "http://simulated.invalid", srv.Transport())
	if err != nil {
		return err
	}
	rows := 0
	for _, r := range results {
		rows += r.NewRows
	}
	fmt.Fprintf(o.IO.Out, "Simulated market (seed %d, %s → %s) written to %s: %d series, %d new rows.\n",
		o.Config.Seed, o.Config.From().Format(time.RFC3339), o.Config.End.Format(time.RFC3339), lake.Root(), len(results), rows)
	return nil
}

func serve(ctx context.Context, o *Options, h http.Handler) error {
	host, _, err := net.SplitHostPort(o.Serve)
	if err != nil {
		return cmdutil.FlagErrorf("--serve %q: want host:port", o.Serve)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return cmdutil.FlagErrorf("--serve %q: the simulated exchange listens on loopback only (127.0.0.1 or ::1)", o.Serve)
	}
	ln, err := net.Listen("tcp", o.Serve)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.Serve, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(o.IO.Out, "Serving the simulated market (seed %d) at http://%s — Ctrl-C to stop.\n", o.Config.Seed, ln.Addr())
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shut)
	}()
	if err := srv.Serve(ln); err != nil && err != http.ErrServerClosed {
		return err
	}
	return nil
}
