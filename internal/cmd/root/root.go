// Package root assembles the carry command tree and runs it.
package root

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/internal/cmd/backfillcmd"
	"github.com/carry-research/carry/internal/cmd/backtestcmd"
	"github.com/carry-research/carry/internal/cmd/datacmd"
	"github.com/carry-research/carry/internal/cmd/democmd"
	"github.com/carry-research/carry/internal/cmd/portfoliocmd"
	"github.com/carry-research/carry/internal/cmd/simcmd"
	"github.com/carry-research/carry/internal/cmd/sweepcmd"
	"github.com/carry-research/carry/internal/cmd/viewcmd"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
)

// NewCmdRoot builds the carry command with every subcommand.
func NewCmdRoot(f *cmdutil.Factory) *cobra.Command {
	var logLevel string
	cmd := &cobra.Command{
		Use:   "carry",
		Short: "Archive Binance basis and funding, backtest cash-and-carry, report yields",
		Long: `carry pages Binance USDⓈ-M basis and funding-rate history into a Parquet lake,
simulates long spot / short perpetual (and dated futures) carry with funding
accrual, and writes yield statistics, charts and reports.`,
		Version:       f.Version,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := f.LogLevel.UnmarshalText([]byte(logLevel)); err != nil {
				return cmdutil.FlagErrorf("invalid --log-level %q: want debug, info, warn or error", logLevel)
			}
			return nil
		},
	}
	cmd.SetOut(f.IO.Out)
	cmd.SetErr(f.IO.ErrOut)
	cmd.SetIn(f.IO.In)
	cmd.PersistentFlags().StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	cmd.SetFlagErrorFunc(flagError)
	cmd.AddCommand(datacmd.NewCmdData(f))
	cmd.AddCommand(backfillcmd.NewCmdBackfill(f, nil))
	cmd.AddCommand(democmd.NewCmdDemo(f, nil))
	cmd.AddCommand(backtestcmd.NewCmdBacktest(f, nil))
	cmd.AddCommand(portfoliocmd.NewCmdPortfolio(f, nil))
	cmd.AddCommand(simcmd.NewCmdSimulate(f, nil))
	cmd.AddCommand(sweepcmd.NewCmdSweep(f, nil))
	cmd.AddCommand(viewcmd.NewCmdFunding(f, nil))
	cmd.AddCommand(viewcmd.NewCmdBasis(f, nil))
	cmd.AddCommand(viewcmd.NewCmdServe(f, nil))
	argumentErrorsAreUsage(cmd)
	return cmd
}

// NewFactory returns the production dependencies.
func NewFactory(version string) *cmdutil.Factory {
	f := &cmdutil.Factory{
		IO:         iostreams.System(),
		Now:        time.Now,
		HTTPClient: func() *http.Client { return &http.Client{Timeout: 30 * time.Second} },
		Getenv:     os.Getenv,
		LogLevel:   new(slog.LevelVar),
		Version:    version,
	}
	// Built on call, so that whatever streams f.IO holds then get the logs.
	f.LoggerTo = func(w io.Writer) *slog.Logger {
		return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: f.LogLevel}))
	}
	f.Logger = func() *slog.Logger { return f.LoggerTo(f.IO.ErrOut) }
	return f
}

// Main runs carry with args and returns the process exit code. SIGINT and
// SIGTERM cancel the command's context; commands keep what they committed.
func Main(f *cmdutil.Factory, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// After the first signal, a second one ends the process at once (the
	// default disposition) instead of waiting for the clean stop.
	go func() { <-ctx.Done(); stop() }()
	return Execute(ctx, f, args)
}

// Execute runs the command tree with ctx and reports errors on f.IO.ErrOut.
func Execute(ctx context.Context, f *cmdutil.Factory, args []string) int {
	cmd := NewCmdRoot(f)
	cmd.SetArgs(args)
	err := cmd.ExecuteContext(ctx)
	if err == nil {
		return cmdutil.ExitOK
	}
	if errors.Is(err, context.Canceled) || ctx.Err() != nil {
		if f.IO.IsStderrTTY() {
			// A progress line (and the terminal's echoed ^C) may stand
			// where the cursor is: the message starts on a clean line.
			fmt.Fprint(f.IO.ErrOut, "\r\033[K")
		}
		fmt.Fprintln(f.IO.ErrOut, "carry: interrupted; everything committed before the interrupt is kept (carry sweep and carry backfill go on from there when run again with the same arguments)")
		return cmdutil.ExitInterrupted
	}
	fmt.Fprintf(f.IO.ErrOut, "carry: %v\n", err)
	var flagErr *cmdutil.FlagError
	if errors.As(err, &flagErr) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintln(f.IO.ErrOut, "Run 'carry --help' or 'carry <command> --help' for usage.")
		return cmdutil.ExitUsage
	}
	return cmdutil.ExitCode(err)
}
