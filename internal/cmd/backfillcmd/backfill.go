// Package backfillcmd implements `carry backfill`.
package backfillcmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/views"
)

// BaseURLEnv overrides the exchange's base URL.
const BaseURLEnv = "CARRY_BINANCE_URL"

// Options are the inputs of `carry backfill`, parsed and validated.
type Options struct {
	IO         *iostreams.IOStreams
	HTTPClient *http.Client
	Logger     *slog.Logger
	LoggerTo   func(io.Writer) *slog.Logger
	Now        func() time.Time

	DataDir     string
	BaseURL     string
	SpotBaseURL string // spot klines: another host
	ArchiveURL  string // the public archive (data.binance.vision)
	ListURL     string // where the archive's bucket is listed (--symbols all-history)
	AllSymbols  bool   // --symbols all: the perpetuals trading now
	AllHistory  bool   // --symbols all-history: and those the archive has in the window
	Config      backfill.Config
	JSON        bool
	NoProgress  bool
	MaxAttempts int
}

// NewCmdBackfill builds `carry backfill`; runF replaces backfillRun in tests.
func NewCmdBackfill(f *cmdutil.Factory, runF func(context.Context, *Options) error) *cobra.Command {
	opts := &Options{IO: f.IO}
	var symbols, datasets, periods, contractTypes, since, until string
	var kinds, intervals, source string
	cmd := &cobra.Command{
		Use:   "backfill --symbols BTCUSDT[,ETHUSDT…|all|all-history]",
		Short: "Fetch Binance basis, funding and kline history into the lake",
		Long: `Pages /futures/data/basis and /fapi/v1/fundingRate into the lake: only what the
lake does not cover yet, within Binance's rate limits, retrying faults, storing
each page as soon as it is validated. Run it on a schedule: the basis endpoint
keeps only about 30 days, so the lake is the archive.

A re-run resumes where the last one stopped; an up-to-date series costs one
request. Gaps the exchange has are recorded (carry data status), never filled.

Klines (--datasets klines) come, with --source auto, from the public archive
(data.binance.vision) for whole months and past days, each file's SHA-256
verified before any row of it is stored, and from REST for the rest.

--symbols all is every perpetual trading now; for research over years use
--symbols all-history, which adds the perpetuals the archive holds files of
in the window (delisted ones too): no survivorship bias.

A run that stores PERPETUAL basis and the futures and index klines at the
same period prints how the official basis agrees with the basis rebuilt
from the klines (as carry data compare-basis does).`,
		Example: `  carry backfill --symbols BTCUSDT
  carry backfill --symbols BTCUSDT,ETHUSDT --datasets basis --periods 5m,1h --since 30d
  carry backfill --symbols all --datasets funding --since 2024-01-01
  carry backfill --symbols all-history --datasets klines,funding --kinds futures,index --since 2021-01-01
  carry backfill --symbols BTCUSDT,ETHUSDT --datasets klines,funding --kinds futures,index,spot,mark --intervals 1h --since 2020-01-01`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.HTTPClient = f.HTTPClient()
			opts.Logger, opts.LoggerTo = f.Logger(), f.LoggerTo
			opts.Now = f.Now
			opts.DataDir = f.DataDir(opts.DataDir)
			if opts.BaseURL == "" {
				opts.BaseURL = f.Getenv(BaseURLEnv)
			}
			if opts.BaseURL == "" {
				opts.BaseURL = binance.DefaultBaseURL
			}
			if err := parseFlags(opts, f.Now(), symbols, datasets, periods, contractTypes, since, until); err != nil {
				return err
			}
			if err := parseKlineFlags(opts, kinds, intervals, source); err != nil {
				return err
			}
			opts.Config.SinceExplicit = cmd.Flags().Changed("since")
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return backfillRun(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	cmdutil.AddDataFlag(cmd, &opts.DataDir)
	fl.StringVar(&symbols, "symbols", "", "comma-separated symbols, all (every perpetual trading now) or all-history (and every one the archive has in the window, delisted too) (required)")
	fl.StringVar(&datasets, "datasets", "basis,funding", "datasets to fetch: basis, funding, klines")
	fl.StringVar(&periods, "periods", "1h", "basis periods: 5m,15m,30m,1h,2h,4h,6h,12h,1d")
	fl.StringVar(&contractTypes, "contract-types", "PERPETUAL,CURRENT_QUARTER,NEXT_QUARTER", "basis (and continuous klines) contract types")
	fl.StringVar(&kinds, "kinds", "futures,index,mark,spot", "kline kinds: futures, continuous, index, mark, premium, spot")
	fl.StringVar(&intervals, "intervals", "1h", "kline intervals: 1m,3m,5m,15m,30m,1h,2h,4h,6h,8h,12h,1d")
	fl.StringVar(&source, "source", string(backfill.SourceAuto), "where klines come from: auto (archive files, then REST), rest, or archive")
	fl.StringVar(&opts.ArchiveURL, "archive-url", archive.DefaultBaseURL, "Binance's public data archive")
	fl.StringVar(&opts.ListURL, "archive-list-url", archive.DefaultListURL, "where the archive's bucket is listed (S3 ListObjects), for --symbols all-history")
	fl.StringVar(&opts.SpotBaseURL, "spot-base-url", binance.DefaultSpotBaseURL, "spot API base URL (spot klines)")
	fl.StringVar(&since, "since", "max", "start: max (all the exchange serves), a duration back (30d), a date (2024-01-01) or RFC 3339")
	fl.StringVar(&until, "until", "now", "end, in the same forms as --since")
	fl.StringVar(&opts.BaseURL, "base-url", "", "exchange base URL (default $"+BaseURLEnv+", else "+binance.DefaultBaseURL+")")
	fl.IntVar(&opts.Config.Concurrency, "concurrency", 4, "series fetched at once (1 to 32)")
	fl.IntVar(&opts.MaxAttempts, "max-attempts", 8, "attempts per request before a series fails (1 to 100)")
	fl.BoolVar(&opts.NoProgress, "no-progress", false, "log lines instead of progress bars, even on a terminal")
	cmdutil.AddJSONFlag(cmd, &opts.JSON)
	cmd.RegisterFlagCompletionFunc("symbols", cmdutil.CompleteLakeSymbols(f, true))
	cmd.RegisterFlagCompletionFunc("datasets", cmdutil.CompleteList(func() []string {
		return []string{lake.DatasetBasis, lake.DatasetFunding, lake.DatasetKlines}
	}))
	cmd.RegisterFlagCompletionFunc("kinds", cmdutil.CompleteList(func() []string {
		var out []string
		for _, k := range data.KlineKinds() {
			out = append(out, string(k))
		}
		return out
	}))
	cmd.RegisterFlagCompletionFunc("intervals", cmdutil.CompleteList(func() []string {
		var out []string
		for _, i := range data.Intervals() {
			out = append(out, string(i))
		}
		return out
	}))
	cmd.RegisterFlagCompletionFunc("source", cmdutil.CompleteValues("auto", "rest", "archive"))
	cmd.RegisterFlagCompletionFunc("periods", cmdutil.CompleteList(cmdutil.PeriodNames))
	cmd.RegisterFlagCompletionFunc("contract-types", cmdutil.CompleteList(cmdutil.ContractTypeNames))
	cmd.RegisterFlagCompletionFunc("since", cmdutil.CompleteValues("max", "30d", "365d"))
	cmd.RegisterFlagCompletionFunc("until", cmdutil.CompleteValues("now"))
	return cmd
}

// parseFlags validates every flag before any request is sent.
func parseFlags(o *Options, now time.Time, symbols, datasets, periods, contractTypes, since, until string) error {
	if strings.TrimSpace(symbols) == "" {
		return cmdutil.FlagErrorf("--symbols is required, e.g. --symbols BTCUSDT, --symbols all or --symbols all-history")
	}
	switch strings.ToLower(strings.TrimSpace(symbols)) {
	case "all":
		o.AllSymbols = true
	case allHistory:
		o.AllHistory = true
	default:
		for _, s := range splitList(symbols) {
			if k := strings.ToLower(s); k == "all" || k == allHistory {
				// ALL would pass as a symbol and be asked of the exchange.
				return cmdutil.FlagErrorf("--symbols: %s stands alone, not in a list of symbols", k)
			}
			s = strings.ToUpper(s)
			if err := data.ValidateSymbol(s); err != nil {
				return cmdutil.FlagErrorf("--symbols: %v", err)
			}
			o.Config.Symbols = append(o.Config.Symbols, s)
		}
	}
	for _, d := range splitList(datasets) {
		switch strings.ToLower(d) {
		case lake.DatasetBasis:
			o.Config.Basis = true
		case lake.DatasetFunding:
			o.Config.Funding = true
		case lake.DatasetKlines:
			o.Config.Klines = true
		default:
			return cmdutil.FlagErrorf("--datasets: unknown dataset %q: want basis, funding and/or klines", d)
		}
	}
	if !o.Config.Basis && !o.Config.Funding && !o.Config.Klines {
		return cmdutil.FlagErrorf("--datasets: name at least one of basis, funding, klines")
	}
	for _, p := range splitList(periods) {
		period, err := data.ParsePeriod(p)
		if err != nil {
			return cmdutil.FlagErrorf("--periods: %v", err)
		}
		o.Config.Periods = append(o.Config.Periods, period)
	}
	for _, c := range splitList(contractTypes) {
		ct, err := data.ParseContractType(c)
		if err != nil {
			return cmdutil.FlagErrorf("--contract-types: %v", err)
		}
		o.Config.ContractTypes = append(o.Config.ContractTypes, ct)
	}
	if o.Config.Basis && (len(o.Config.Periods) == 0 || len(o.Config.ContractTypes) == 0) {
		return cmdutil.FlagErrorf("--periods and --contract-types need at least one value each when fetching basis")
	}
	var err error
	if o.Config.Since, err = data.ParseTime(since, now); err != nil {
		return cmdutil.FlagErrorf("--since: %v", err)
	}
	if o.Config.Until, err = data.ParseTime(until, now); err != nil {
		return cmdutil.FlagErrorf("--until: %v", err)
	}
	if err := checkWindow(since, until, o.Config.Since, o.Config.Until, now); err != nil {
		return err
	}
	o.Config.UntilNow = o.Config.Until.Equal(now) // after now is refused above
	if !o.Config.Since.Before(o.Config.Until) {
		return cmdutil.FlagErrorf("--since %s must be before --until %s", o.Config.Since.Format(time.RFC3339), o.Config.Until.Format(time.RFC3339))
	}
	if o.Config.Concurrency < 1 || o.Config.Concurrency > 32 {
		return cmdutil.FlagErrorf("--concurrency %d: want 1 to 32", o.Config.Concurrency)
	}
	if o.MaxAttempts < 1 || o.MaxAttempts > 100 {
		return cmdutil.FlagErrorf("--max-attempts %d: want 1 to 100", o.MaxAttempts)
	}
	if _, err := binance.NewClient(o.BaseURL, nil); err != nil {
		return cmdutil.FlagErrorf("--base-url: %v", err)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func backfillRun(ctx context.Context, o *Options) error {
	var prog backfill.Progress = logProgress{logger: o.Logger}
	if !o.NoProgress && !o.JSON {
		if bars, ok := o.IO.StartBars(ctx); ok {
			defer bars.Wait() // also on an early return: no bar is left running
			prog = barsProgress{bars}
			if o.LoggerTo != nil {
				o.Logger = o.LoggerTo(bars.Writer()) // log lines above the bars
			}
		}
	}
	// A damaged series file is set aside and its series fetched again.
	lake, err := lake.Open(o.DataDir, lake.WithLogger(o.Logger), lake.WithRebuildDamaged())
	if err != nil {
		return err
	}
	cmdutil.RemoveStaleTemps(lake, o.Logger)
	host := hostOf(o.BaseURL)
	if err := storedBan(lake, host, o.Now()); err != nil {
		return err
	}
	hc := *o.HTTPClient
	limits := binance.DefaultLimits
	limits.InFlight = o.Config.Concurrency
	// The limiter times each send itself: the client's timeout would count
	// the wait for a turn too.
	hc.Transport = binance.NewLimiter(hc.Transport, limits, o.Logger, binance.WithSendTimeout(hc.Timeout), saveBan(lake, host, o.Logger))
	hc.Timeout = 0
	client, err := binance.NewClient(o.BaseURL, &hc, binance.WithSpotBaseURL(o.SpotBaseURL))
	if err != nil {
		return cmdutil.FlagErrorf("--base-url: %v", err)
	}
	// The archive is no API: no weight, no limiter; its downloads run as
	// long as they need (cancelled with the run), so no client timeout.
	ahc := *o.HTTPClient
	ahc.Timeout = 0
	bf := backfill.New(client, lake, backfill.WithClock(o.Now), backfill.WithLogger(o.Logger),
		backfill.WithProgress(prog), backfill.WithRetryPolicy(backfill.RetryPolicy{MaxAttempts: o.MaxAttempts}),
		backfill.WithArchive(o.ArchiveURL, &ahc))
	cfg := o.Config
	if o.AllSymbols || o.AllHistory {
		if cfg.Symbols, err = bf.AllPerpetuals(ctx); err != nil {
			return err
		}
	}
	if o.AllHistory {
		if cfg.Symbols, err = withHistory(ctx, archive.NewLister(&ahc, o.ListURL), cfg, o.Now(), cfg.Symbols, o.Logger); err != nil {
			return err
		}
	}
	results, runErr := bf.Run(ctx, cfg)
	if len(results) == 0 && runErr != nil {
		return classify(results, runErr) // failed before any series: no empty table
	}
	var cmp *views.BasisComparison
	if ctx.Err() == nil {
		// The run's outcome stands whatever the comparison does.
		if cmp, err = compareStored(lake, comparedKeys(results)); err != nil {
			o.Logger.Warn("basis not compared with klines", "err", err)
		}
	}
	if o.JSON {
		if err := cmdutil.WriteJSON(o.IO.Out, summaryJSON(lake.Root(), results, cmp)); err != nil {
			return err
		}
	} else {
		printSummary(o.IO.Out, results)
		if cmp != nil {
			fmt.Fprintln(o.IO.Out, "\nBasis vs klines (the official basis and the basis rebuilt from the futures and index candles):")
			if err := views.WriteBasisComparison(o.IO.Out, *cmp); err != nil {
				return err
			}
		}
	}
	return classify(results, runErr)
}

// classify maps a run's outcome to the error kinds the exit codes know.
func classify(results []backfill.Result, err error) error {
	if err == nil {
		return nil
	}
	var ban *binance.BannedError
	if errors.As(err, &ban) {
		return &cmdutil.RetryLaterError{Err: fmt.Errorf("%w; everything fetched before the ban is stored, and the next run continues from there", ban)}
	}
	if errors.Is(err, context.Canceled) {
		return err
	}
	failed := 0
	for _, r := range results {
		if r.Err != nil {
			failed++
		}
	}
	if failed > 0 && len(results) > 0 {
		return &cmdutil.PartialError{Failed: failed, Total: len(results), Err: err}
	}
	return err
}

type seriesJSON struct {
	Series   string       `json:"series"`
	Dataset  string       `json:"dataset"`
	NewRows  int          `json:"new_rows"`
	Updated  int          `json:"updated_rows"`
	Requests int64        `json:"requests"`
	Retries  int64        `json:"retries"`
	Repaired int          `json:"repaired_rows"`
	Missing  int          `json:"missing"`
	Rows     int          `json:"rows"`
	Skipped  string       `json:"skipped,omitempty"`
	Archive  *archiveJSON `json:"archive,omitempty"`
	Error    string       `json:"error,omitempty"`
}

func summaryJSON(lake string, results []backfill.Result, cmp *views.BasisComparison) any {
	out := make([]seriesJSON, len(results))
	for i, r := range results {
		out[i] = seriesJSON{Series: r.Series.String(), Dataset: r.Series.Dataset, NewRows: r.NewRows, Updated: r.Updated,
			Requests: r.Requests, Retries: r.Retries, Repaired: r.Repaired, Missing: r.Missing, Rows: r.Rows, Skipped: r.Skipped,
			Archive: archiveSummary(r.Archive)}
		if r.Err != nil {
			out[i].Error = seriesStatus(r)
		}
	}
	m := map[string]any{"lake": lake, "series": out}
	if cmp != nil {
		m["basis_comparison"] = cmp
	}
	return m
}

// seriesStatus is the STATUS column: ok, ok but empty, interrupted,
// stopped by a ban, or the failure.
func seriesStatus(r backfill.Result) string {
	var ban *binance.BannedError
	err := r.Err
	switch {
	case r.Skipped != "":
		return "skipped, 0 requests: " + r.Skipped
	case err == nil && r.Rows == 0:
		return noRows
	case err == nil:
		return "ok" + archiveNote(r.Archive)
	case errors.As(err, new(*backfill.FilesFailedError)):
		return partialStatus(r)
	case errors.Is(err, context.Canceled):
		return "interrupted (stored pages kept)"
	case errors.As(err, &ban):
		return "stopped: IP banned until " + ban.Until.UTC().Format(time.RFC3339)
	}
	return "failed: " + err.Error()
}

// noRows is the status of a series the exchange answered for with no rows
// at all: a pair without that contract, a period it does not serve, a
// window with no events.
const noRows = "ok, but no rows: the exchange sent none for this series"

func printSummary(w io.Writer, results []backfill.Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SERIES\tNEW ROWS\tREQUESTS\tRETRIES\tREPAIRED\tMISSING\tSTATUS")
	var rows, reqs, retries int64
	for _, r := range results {
		status := seriesStatus(r)
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%s\n", r.Series, r.NewRows, r.Requests, r.Retries, r.Repaired, r.Missing, status)
		rows += int64(r.NewRows)
		reqs += r.Requests
		retries += r.Retries
	}
	fmt.Fprintf(tw, "TOTAL (%d series)\t%d\t%d\t%d\t\t\t\n", len(results), rows, reqs, retries)
	tw.Flush()
	printArchiveNotes(w, results)
}
