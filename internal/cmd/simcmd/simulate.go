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
	var days, years int
	var end string
	var rally, switchAt float64
	cmd := &cobra.Command{
		Use:   "simulate-market",
		Short: "Generate a simulated market (with stress scenarios) into a lake, or serve it",
		Long: `Generates a deterministic simulated Binance market — BTCUSDT, ETHUSDT and
SOLUSDT (funding every 4h); spot as a random walk, the perpetual premium as a
mean-reverting process that switches regime, funding from the premium with
Binance's formula and clamp, quarterly contracts converging at delivery, and a
sharp SOL rally — over --days of 1h basis, with --years of hourly klines
(futures, continuous quarterlies, index, mark, spot) and funding before that,
and backfills it into the lake at --data through carry's fake exchange (REST
and the public archive) and real backfiller: the basis of every pair, and the
klines of BTCUSDT and ETHUSDT (--source auto: whole months from the archive).
With --serve it serves the market on loopback instead, REST and archive on one
URL, for carry backfill --base-url, --spot-base-url and --archive-url. See
docs/simulated-market.md.`,
		Example: `  carry simulate-market --data /tmp/sim-lake --days 180 --rally 0.5
  carry simulate-market --serve 127.0.0.1:8099 &
  carry backfill --base-url http://127.0.0.1:8099 --symbols SOLUSDT --data /tmp/sim-lake
  carry backfill --base-url http://127.0.0.1:8099 --spot-base-url http://127.0.0.1:8099 \
    --archive-url http://127.0.0.1:8099 --datasets klines,funding --kinds futures,spot \
    --symbols BTCUSDT --since 2024-09-01 --until 2026-09-30 --data /tmp/sim-lake`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if days < 2 || days > 3650 {
				return cmdutil.FlagErrorf("--days %d: want 2 to 3650", days)
			}
			if years < 0 || years > 10 {
				return cmdutil.FlagErrorf("--years %d: want 0 (the basis window only) to 10", years)
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
			opts.Config.Years = years
			w := time.Duration(days) * 24 * time.Hour
			opts.Config.SwitchAt = time.Duration(switchAt * float64(w))
			for i := range opts.Config.Pairs {
				if opts.Config.Pairs[i].Rally > 0 {
					opts.Config.Pairs[i].Rally = rally
				}
			}
			if opts.Serve == "" {
				opts.DataDir = f.DataDir(opts.DataDir)
			} else if err := checkLoopback(opts.Serve); err != nil {
				return err
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
	fl.IntVar(&days, "days", 120, "days of 1h basis history")
	fl.IntVar(&years, "years", sim.DefaultYears, "years of hourly klines and funding, to --end (0: the basis window only)")
	fl.StringVar(&end, "end", "2026-09-30", "last simulated instant (date or RFC 3339)")
	fl.Float64Var(&rally, "rally", 0.35, "size of the SOLUSDT rally at 3/4 of the window (0.35 = +35% in a day; 0: none)")
	fl.Float64Var(&switchAt, "switch-at", 0.6, "when the funding regime turns from bull to bear, as a fraction of the window (0: never)")
	return cmd
}

func simulateRun(ctx context.Context, o *Options) error {
	ex, err := sim.NewExchange(o.Config)
	if err != nil {
		return err
	}
	if o.Serve != "" {
		return serve(ctx, o, ex)
	}
	lake, err := lake.Open(o.DataDir, lake.WithLogger(o.Logger))
	if err != nil {
		return err
	}
	cmdutil.RemoveStaleTemps(lake, o.Logger)
	results, err := sim.Backfill(ctx, o.Config, lake, "http://simulated.invalid", ex.Transport())
	if err != nil {
		return err
	}
	rows := 0
	for _, r := range results {
		rows += r.NewRows
	}
	fmt.Fprintf(o.IO.Out, "Simulated market (seed %d, basis %s → %s, klines from %s) written to %s: %d series, %d new rows.\n",
		o.Config.Seed, o.Config.From().Format(time.RFC3339), o.Config.End.Format(time.RFC3339), o.Config.KlinesFrom().Format(time.RFC3339), lake.Root(), len(results), rows)
	return nil
}

// checkLoopback refuses a --serve address off loopback, before the
// market is generated.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return cmdutil.FlagErrorf("--serve %q: want host:port", addr)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return cmdutil.FlagErrorf("--serve %q: the simulated exchange listens on loopback only (127.0.0.1 or ::1)", addr)
	}
	return nil
}

func serve(ctx context.Context, o *Options, h http.Handler) error {
	ln, err := net.Listen("tcp", o.Serve)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.Serve, err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	url := "http://" + ln.Addr().String()
	fmt.Fprintf(o.IO.Out, "Serving the simulated market (seed %d, basis from %s, klines and funding from %s, to %s) — Ctrl-C to stop.\n",
		o.Config.Seed, o.Config.From().Format("2006-01-02"), o.Config.KlinesFrom().Format("2006-01-02"), o.Config.End.Format("2006-01-02"))
	fmt.Fprintf(o.IO.Out, "  REST:    %s (--base-url, --spot-base-url)\n  archive: %s (--archive-url)\n", url, url)
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
