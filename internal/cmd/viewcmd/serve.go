package viewcmd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/api"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// ServeOptions are the inputs of `carry serve`.
type ServeOptions struct {
	IO      *iostreams.IOStreams
	Logger  *slog.Logger
	Addr    string
	DataDir string
	Reports string
	// Ready, when set, receives the listening address (tests).
	Ready chan<- string
}

// NewCmdServe builds `carry serve`.
func NewCmdServe(f *cmdutil.Factory, runF func(context.Context, *ServeOptions) error) *cobra.Command {
	opts := &ServeOptions{IO: f.IO}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the funding and basis views as read-only JSON over HTTP",
		Long: `Serves, read-only, on loopback by default:
  GET /api/v1/funding-rates                          {"rates":[…]}
  GET /api/v1/funding-rates/{symbol}                 one rate
  GET /api/v1/funding-rates/{symbol}/history?limit=N {"rates":[…]} (default 100, max 1000)
  GET /api/v1/futures/basis                          {"data":{"rows":[…],"lastTs":…},"meta":{"total":…,"tableMissing":…}}
  GET /api/v1/funding/settlements?run=NAME&limit=N   {"settlements":[…]}: a backtest run under --reports
Rates and prices of the funding answers are decimal strings, next_funding_time
epoch ms; the basis answer's prices are numbers, ts and lastTs epoch ms.
Stops gracefully on SIGINT/SIGTERM. See docs/views.md.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.DataDir = f.DataDir(opts.DataDir)
			opts.Logger = f.Logger()
			host, _, err := net.SplitHostPort(opts.Addr)
			if err != nil {
				return cmdutil.FlagErrorf("--addr %q: want host:port, e.g. 127.0.0.1:8080", opts.Addr)
			}
			if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
				f.Logger().Warn("serving beyond loopback: anyone who can reach this address can read the lake", "addr", opts.Addr)
			}
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return Serve(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8080", "listen address")
	cmd.Flags().StringVar(&opts.Reports, "reports", "reports", "directory whose subdirectories are backtest runs (for /funding/settlements)")
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	return cmd
}

// Serve runs the API until ctx ends, then shuts down gracefully.
func Serve(ctx context.Context, o *ServeOptions) error {
	lake, err := lake.Open(o.DataDir)
	if err != nil {
		return err
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if !lake.Exists() {
		o.Logger.Warn("no lake at this path yet: the API serves empty views until a backfill writes one", "data", lake.Root())
	}
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", o.Addr, err)
	}
	h := api.New(lake, o.Reports, o.Logger)
	go func() {
		// Requests arriving meanwhile share its reads.
		start := time.Now()
		if err := h.Warm(); err != nil {
			o.Logger.Warn("reading the lake at start failed: requests will read it", "err", err)
			return
		}
		o.Logger.Debug("lake read into memory", "took", time.Since(start))
	}()
	srv := api.NewServer(h, o.Logger)
	fmt.Fprintf(o.IO.Out, "Serving the lake %s at http://%s/api/v1/ — Ctrl-C to stop.\n", lake.Root(), ln.Addr())
	if o.Ready != nil {
		o.Ready <- ln.Addr().String()
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(o.IO.Out, "Stopped.")
	return nil
}
