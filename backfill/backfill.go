package backfill

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Config says what to fetch. Build it with the CLI's flags; Validate checks
// it before any request.
type Config struct {
	Symbols       []string
	Basis         bool
	Funding       bool
	Klines        bool
	Periods       []data.Period
	ContractTypes []data.ContractType // basis, and continuous klines
	// Kinds and Intervals name the kline series: one per kind × symbol (or
	// pair: index, continuous) × interval, and per contract type for
	// continuous klines.
	Kinds     []data.KlineKind
	Intervals []data.Interval
	// Source is where klines (and, with the archive, funding files) come
	// from; "" is SourceREST.
	Source       SourceMode
	Since, Until time.Time
	// SinceExplicit says Since was asked for (not the default): a stored
	// basis history_start later than it is checked again with one request.
	SinceExplicit bool
	// UntilNow says Until means "now": the exchange's clock then decides,
	// so a clock of ours that runs behind the exchange's misses nothing.
	UntilNow bool
	// Concurrency bounds the series fetched at once (default 4).
	Concurrency int
}

// Validate rejects a config that cannot be run, naming what is wrong.
func (c Config) Validate() error {
	if len(c.Symbols) == 0 {
		return errors.New("no symbols to fetch")
	}
	for _, s := range c.Symbols {
		if err := data.ValidateSymbol(s); err != nil {
			return err
		}
	}
	if !c.Basis && !c.Funding && !c.Klines {
		return errors.New("no datasets to fetch")
	}
	if c.Basis && (len(c.Periods) == 0 || len(c.ContractTypes) == 0) {
		return errors.New("basis needs at least one period and one contract type")
	}
	if c.Klines && (len(c.Kinds) == 0 || len(c.Intervals) == 0) {
		return errors.New("klines need at least one kind and one interval")
	}
	if c.Klines && slices.Contains(c.Kinds, data.KlineContinuous) && len(c.ContractTypes) == 0 {
		return errors.New("continuous klines need at least one contract type")
	}
	if _, err := ParseSourceMode(string(c.source())); err != nil {
		return err
	}
	if !c.Since.Before(c.Until) {
		return fmt.Errorf("--since %s is not before --until %s", c.Since.Format(time.RFC3339), c.Until.Format(time.RFC3339))
	}
	return nil
}

// Series names one series of a run.
type Series struct {
	Dataset string // lake.DatasetBasis, lake.DatasetFunding or lake.DatasetKlines
	Basis   data.BasisKey
	Kline   data.KlineKey
	Symbol  string
}

func (s Series) String() string {
	switch s.Dataset {
	case lake.DatasetBasis:
		return s.Basis.String()
	case lake.DatasetKlines:
		return "klines " + s.Kline.String()
	}
	return "funding " + s.Symbol
}

// Result is what happened to one series.
type Result struct {
	Series   Series
	NewRows  int
	Updated  int
	Requests int64
	Retries  int64
	// Repaired counts rows validation dropped or reordered.
	Repaired int
	// Rows counts the series' rows in the lake after the run (0: the
	// exchange has sent none for it, ever).
	Rows int
	// Missing counts points absent between the series' first and last
	// stored rows after the run, or after its last stored page when it
	// failed (gaps, never filled).
	Missing int
	// Skipped says why the series was not asked for at all (e.g.
	// exchangeInfo lists no such contract); "" when it was.
	Skipped string
	// Archive is what the public archive gave the series.
	Archive ArchiveResult
	Err     error
}

// ArchiveResult counts a series' use of the public archive.
type ArchiveResult struct {
	Imported  int // files whose rows were stored
	Unchanged int // files kept before, the same upstream: not downloaded
	Missing   int // files the archive answered 404 for (their spans fell back)
	// Failed are the files that failed (checksum, cut-off body, unreadable
	// rows): nothing of them was stored; the series is partial.
	Failed    []archive.FileError
	Requests  int64 // to the archive: .CHECKSUMs and zips
	Downloads int64 // zip downloads, retries included
	Bytes     int64 // bytes received from the archive
	// LeftToREST is what --source archive left for REST: today, and files
	// not published yet or missing.
	LeftToREST data.Spans
	// IntervalDisagreements counts funding events whose interval the
	// archive states differently from the lake's (REST) history.
	IntervalDisagreements int
}

// Progress shows a run's progress; the CLI draws bars on a terminal and
// logs otherwise.
type Progress interface {
	// Series starts tracking one series with an estimated number of
	// requests.
	Series(name string, requests int) Tracker
	// Wait flushes the display after the run.
	Wait()
}

// Tracker follows one series.
type Tracker interface {
	Request(newRows int) // one page fetched and stored
	Done(err error)
}

// Backfiller fetches series into a lake.
type Backfiller struct {
	src      Source
	clockSrc Source // src without retries, for the clock reading
	lake     *lake.Lake
	now      func() time.Time
	logger   *slog.Logger
	progress Progress
	policy   RetryPolicy
	// clockOffset is the exchange's clock minus ours, measured once per
	// run (ServerTime); see exchangeNow.
	clockOffset time.Duration
	// archive downloads from the public archive; nil without WithArchive.
	archive *archive.Downloader
	// archiveOpts configure it (WithArchive), once the logger is known.
	archiveOpts []archive.Option
}

// exchangeNow is the exchange's clock: which windows are settled and where
// "now" is are judged by it, never by ours.
func (b *Backfiller) exchangeNow() time.Time { return b.now().Add(b.clockOffset) }

// exchangeUntil is the end of what a run asks for: the exchange's now
// when the config says "now" (or asks beyond it), since nothing exists
// after it and a clock of ours ahead of the exchange's would otherwise make
// its newest windows look empty.
func exchangeUntil(cfg Config, now time.Time) time.Time {
	if cfg.UntilNow || cfg.Until.After(now) {
		return now
	}
	return cfg.Until
}

// emptyWindow says why [cfg.Since, until] holds nothing to fetch by the
// exchange's clock now — a --since after the exchange's clock (a simulated
// or lagging exchange), or after --until; "" when it holds something.
func emptyWindow(cfg Config, now time.Time) string {
	until := exchangeUntil(cfg, now)
	if cfg.Since.Before(until) {
		return ""
	}
	if until.Equal(now) {
		return fmt.Sprintf("--since %s is not before the exchange's clock (%s)", cfg.Since.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return fmt.Sprintf("--since %s is not before --until %s", cfg.Since.UTC().Format(time.RFC3339), until.UTC().Format(time.RFC3339))
}

// measureClock reads the exchange's clock and keeps its offset from ours
// (half the round trip counted as on the way back). A server without
// /fapi/v1/time leaves our clock in charge, with a warning.
func (b *Backfiller) measureClock(ctx context.Context) error {
	sent := b.now()
	// One attempt, not retried: our clock is a fallback good enough to
	// start with, and a server that fails here is retried on data pages.
	server, err := b.clockSrc.ServerTime(ctx)
	var ban *binance.BannedError
	switch {
	case errors.As(err, &ban), ctx.Err() != nil:
		return err
	case err != nil:
		b.logger.Warn("could not read the exchange's clock; using ours", "err", err)
		return nil
	}
	got := b.now()
	b.clockOffset = server.Sub(sent.Add(got.Sub(sent) / 2))
	if d := b.clockOffset.Abs(); d > time.Minute {
		b.logger.Warn("the exchange's clock differs from ours; windows are judged by the exchange's", "offset", b.clockOffset)
	}
	return nil
}

// Option configures a Backfiller.
type Option func(*Backfiller)

// WithClock sets the clock (default time.Now).
func WithClock(now func() time.Time) Option { return func(b *Backfiller) { b.now = now } }

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(b *Backfiller) { b.logger = l } }

// WithProgress sets the progress display (default: none).
func WithProgress(p Progress) Option { return func(b *Backfiller) { b.progress = p } }

// WithRetryPolicy sets the retry policy (see RetryPolicy for defaults).
func WithRetryPolicy(p RetryPolicy) Option { return func(b *Backfiller) { b.policy = p } }

// WithArchive reads the public archive at baseURL (archive.DefaultBaseURL
// if empty) through hc (nil: a client of its own), for --source auto and
// archive. Its requests and bytes are counted per series.
func WithArchive(baseURL string, hc *http.Client) Option {
	return func(b *Backfiller) {
		c := &http.Client{}
		if hc != nil {
			c = new(http.Client)
			*c = *hc
		}
		c.Transport = archiveMeter{next: c.Transport}
		b.archiveOpts = []archive.Option{archive.WithHTTPClient(c)}
		if baseURL != "" {
			b.archiveOpts = append(b.archiveOpts, archive.WithBaseURL(baseURL))
		}
	}
}

// New returns a backfiller reading from src (usually a *binance.Client over
// a binance.Limiter) into lake. Calls to src are metered per series and
// transient failures retried.
func New(src Source, lake *lake.Lake, opts ...Option) *Backfiller {
	b := &Backfiller{
		lake:     lake,
		now:      time.Now,
		logger:   slog.New(slog.DiscardHandler),
		progress: nopProgress{},
	}
	for _, o := range opts {
		o(b)
	}
	if b.archiveOpts != nil {
		b.archive = archive.NewDownloader(append(b.archiveOpts, archive.WithLogger(b.logger))...)
	}
	b.src = retrying{src: metered{src}, policy: b.policy.withDefaults(), logger: b.logger}
	b.clockSrc = metered{src}
	return b
}

// AllPerpetuals lists the symbols of every trading perpetual, for
// `--symbols all`.
func (b *Backfiller) AllPerpetuals(ctx context.Context) ([]string, error) {
	contracts, err := b.src.ExchangeInfo(ctx)
	if err != nil {
		return nil, fmt.Errorf("listing perpetuals from exchangeInfo: %w", err)
	}
	var out []string
	for _, c := range contracts {
		if c.ContractType == string(data.Perpetual) && c.Status == "TRADING" && data.ValidateSymbol(c.Symbol) == nil {
			out = append(out, c.Symbol)
		}
	}
	slices.Sort(out)
	return out, nil
}

// Plan lists the series a config covers, in a stable order.
func (c Config) Plan() []Series {
	var out []Series
	for _, sym := range c.Symbols {
		if c.Basis {
			for _, ct := range c.ContractTypes {
				for _, p := range c.Periods {
					out = append(out, Series{Dataset: lake.DatasetBasis, Basis: data.BasisKey{Pair: sym, ContractType: ct, Period: p}})
				}
			}
		}
		if c.Klines {
			out = append(out, c.klineSeries(sym)...)
		}
		if c.Funding {
			out = append(out, Series{Dataset: lake.DatasetFunding, Symbol: sym})
		}
	}
	return out
}

// klineSeries lists a symbol's kline series: index and continuous klines
// are keyed by the pair (the symbol of a perpetual is its pair), continuous
// ones once per contract type.
func (c Config) klineSeries(sym string) []Series {
	var out []Series
	for _, kind := range c.Kinds {
		cts := []data.ContractType{""}
		if kind == data.KlineContinuous {
			cts = c.ContractTypes
		}
		for _, ct := range cts {
			for _, iv := range c.Intervals {
				out = append(out, Series{Dataset: lake.DatasetKlines, Symbol: sym,
					Kline: data.KlineKey{Kind: kind, Symbol: sym, ContractType: ct, Interval: iv}})
			}
		}
	}
	return out
}

// Run fetches every series of cfg, Concurrency at a time, each page stored
// as soon as it is validated. It returns one Result per series, in plan
// order. A series that fails does not stop the others; a ban (HTTP 418)
// stops them all at once. The error is nil, a *binance.BannedError, the
// context's error, or an error joining the failed series.
func (b *Backfiller) Run(ctx context.Context, cfg Config) ([]Result, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.usesArchive() && b.archive == nil {
		return nil, fmt.Errorf("--source %s reads the public archive, and the backfiller has none (WithArchive)", cfg.source())
	}
	plan := cfg.Plan()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	if err := b.measureClock(ctx); err != nil {
		return nil, fmt.Errorf("reading the exchange's clock: %w", err)
	}
	intervals := map[string]int{}
	if cfg.Funding {
		infos, err := b.src.FundingInfo(ctx)
		if err != nil {
			return nil, fmt.Errorf("reading funding intervals from fundingInfo: %w", err)
		}
		for _, in := range infos {
			intervals[in.Symbol] = in.IntervalHours
		}
	}

	var listed map[data.BasisKey]bool // quarterly (pair, contract type)s exchangeInfo lists; nil: unknown
	quarterlies := cfg.Basis && slices.ContainsFunc(cfg.ContractTypes, func(c data.ContractType) bool { return c != data.Perpetual })
	if quarterlies || cfg.Funding {
		// A funding backfill stores the perpetuals' rows too: their status
		// and, for a delisted one, its delivery (delisting) date, which a
		// portfolio's universe reads (strategy/book).
		listed = b.storeContracts(ctx, cfg.Symbols)
	}

	results := make([]Result, len(plan))
	if why := emptyWindow(cfg, b.exchangeNow()); why != "" {
		// Nothing to ask any series for: said once, not as 0-row "ok"s.
		b.logger.Warn("nothing to fetch", "why", why)
		for i := range plan {
			results[i] = Result{Series: plan[i], Skipped: why}
		}
		return results, nil
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range max(1, cfg.Concurrency) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				if why := unlisted(plan[i], listed); why != "" {
					b.logger.Info("skipped: not listed", "series", plan[i], "why", why)
					results[i] = Result{Series: plan[i], Skipped: why}
					continue
				}
				results[i] = b.runSeries(ctx, plan[i], cfg, intervals)
				var ban *binance.BannedError
				if errors.As(results[i].Err, &ban) {
					cancel(ban)
				}
			}
		}()
	}
feed:
	for i := range plan {
		select {
		case jobs <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	b.progress.Wait()

	for i := range results {
		if results[i].Series.Dataset == "" {
			results[i] = Result{Series: plan[i], Err: fmt.Errorf("not started: %w", context.Cause(ctx))}
		}
	}
	if cause := context.Cause(ctx); cause != nil {
		return results, cause
	}
	var errs []error
	for _, r := range results {
		if r.Err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.Series, r.Err))
		}
	}
	return results, errors.Join(errs...)
}

func (b *Backfiller) runSeries(ctx context.Context, s Series, cfg Config, intervals map[string]int) Result {
	c := &counters{}
	ctx = withCounters(ctx, c)
	res := Result{Series: s}
	var err error
	switch s.Dataset {
	case lake.DatasetBasis:
		err = b.basis(ctx, s.Basis, cfg, &res)
	case lake.DatasetKlines:
		err = b.klines(ctx, s.Kline, cfg, &res)
	default:
		err = b.funding(ctx, s.Symbol, cfg, intervals[s.Symbol], &res)
	}
	res.Requests, res.Retries = c.requests.Load(), c.retries.Load()
	res.Archive.Requests, res.Archive.Downloads, res.Archive.Bytes = c.archiveRequests.Load(), c.downloads.Load(), c.archiveBytes.Load()
	if err == nil {
		err = filesFailed(&res)
	}
	res.Err = describe(s, err)
	return res
}

// unlisted says why a quarterly basis series is not asked for: exchangeInfo
// lists no contract of its type for its pair (most pairs have no
// quarterlies), so the exchange has nothing to serve. "" otherwise: for a
// pair exchangeInfo does not list at all, and when it could not be read.
func unlisted(s Series, listed map[data.BasisKey]bool) string {
	if listed == nil || s.Dataset != lake.DatasetBasis || s.Basis.ContractType == data.Perpetual {
		return ""
	}
	if !listed[data.BasisKey{Pair: s.Basis.Pair}] || listed[data.BasisKey{Pair: s.Basis.Pair, ContractType: s.Basis.ContractType}] {
		return "" // an unknown pair is asked, so the exchange names the error
	}
	return fmt.Sprintf("exchangeInfo lists no %s contract for %s", s.Basis.ContractType, s.Basis.Pair)
}

// storeContracts records the pairs' quarterly contracts and their delivery
// dates from exchangeInfo (the engine needs them, and delivered contracts
// vanish from exchangeInfo, so the lake keeps them), and their perpetuals'
// rows: status and, once delisted, the delisting's date. It returns the (pair,
// contract type)s listed, or nil if exchangeInfo could not be read: a
// failure is logged, not fatal, as the basis itself can still be fetched.
func (b *Backfiller) storeContracts(ctx context.Context, symbols []string) map[data.BasisKey]bool {
	contracts, err := b.src.ExchangeInfo(ctx)
	if err != nil {
		b.logger.Warn("could not read quarterly delivery dates from exchangeInfo", "err", err)
		return nil
	}
	listed := map[data.BasisKey]bool{}
	byPair := map[string][]data.ContractRow{}
	for _, c := range contracts {
		listed[data.BasisKey{Pair: c.Pair}] = true // the pair is known at all
		switch c.ContractType {
		case string(data.CurrentQuarter), string(data.NextQuarter):
			listed[data.BasisKey{Pair: c.Pair, ContractType: data.ContractType(c.ContractType)}] = true
		case string(data.Perpetual):
		default:
			continue
		}
		byPair[c.Pair] = append(byPair[c.Pair], data.ContractRow{Symbol: c.Symbol, ContractType: data.ContractType(c.ContractType),
			DeliveryDate: c.DeliveryDate, OnboardDate: c.OnboardDate, Status: c.Status})
	}
	for _, sym := range symbols {
		if rows := byPair[sym]; len(rows) > 0 {
			if _, err := b.lake.MergeContracts(sym, rows); err != nil {
				b.logger.Warn("could not store contracts", "pair", sym, "err", err)
			}
		}
	}
	return listed
}

// describe turns an exchange error into one a researcher can act on.
func describe(s Series, err error) error {
	var api *binance.APIError
	if errors.As(err, &api) && api.Code == binance.CodeInvalidSymbol {
		name := s.Symbol
		if s.Dataset == lake.DatasetBasis {
			name = s.Basis.Pair
		}
		if s.Dataset == lake.DatasetKlines {
			name = s.Kline.Symbol
		}
		return fmt.Errorf("unknown symbol %s: Binance answered %d %q; check the spelling or `carry backfill --symbols all`: %w", name, api.Code, api.Msg, err)
	}
	return err
}

type nopProgress struct{}

func (nopProgress) Series(string, int) Tracker { return nopTracker{} }
func (nopProgress) Wait()                      {}

type nopTracker struct{}

func (nopTracker) Request(int) {}
func (nopTracker) Done(error)  {}
