package sweep

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync/atomic"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Manifest is sweep.json: what an output directory holds, so that resumes
// and merges never mix different grids.
type Manifest struct {
	GridSHA256   string `json:"grid_sha256"`
	Grid         string `json:"grid"` // the grid file's text
	Combinations int    `json:"combinations"`
	Invalid      int    `json:"invalid_combinations"`
	Duplicates   int    `json:"duplicate_combinations"`
	Shard        int    `json:"shard"`
	Shards       int    `json:"shards"`
	Split        string `json:"split,omitempty"`
	// Lake is the lake the combinations ran on (its path on the machine
	// that ran them): carry sweep merge uses it when --data is not given.
	Lake string `json:"lake,omitempty"`
}

// Split cuts each series for the out-of-sample check: at a fraction of its
// grid's time span, or at an instant.
type Split struct {
	Fraction float64
	At       time.Time
}

func (s *Split) String() string {
	switch {
	case s == nil:
		return ""
	case !s.At.IsZero():
		return s.At.Format(time.RFC3339)
	}
	return fmt.Sprint(s.Fraction)
}

// cut is the instant separating in-sample (≤) from out-of-sample (>).
func (s *Split) cut(times []time.Time) time.Time {
	if !s.At.IsZero() {
		return s.At
	}
	first, last := times[0], times[len(times)-1]
	return first.Add(time.Duration(s.Fraction * float64(last.Sub(first)))).Truncate(time.Millisecond)
}

// Progress follows a sweep's combinations.
type Progress interface {
	Start(total, done int)
	Done()
	Finish()
}

// Job is a sweep to compute: the grid's combinations (of one shard) run
// on the lake's markets into Out.
//
// Names in this package: a Job Computes a grid's combinations into a
// results file and returns a Tally; evaluate runs one combination with the
// kernel and summarizes it (backtest.SummaryOfKernelStats); Analyze reads the
// results back and computes the analyses (AnalysisOptions choose them),
// ranked by a Metric of the table Metrics. Drawing and HTML are
// internal/report's.
type Job struct {
	Lake     *lake.Lake
	Out      string
	Workers  int
	Shard    int // 0-based
	Shards   int // 1: unsharded
	Split    *Split
	Progress Progress
	// DeferParquet leaves the Parquet conversion of a sweep written in
	// order to the caller, as Tally.Parquet, so that it can run beside the
	// analyses (which read results.csv).
	DeferParquet bool
	// Analyze, when set, scans a fresh sweep's rows for the analyses as
	// they are written (Tally.Scan), with these options.
	Analyze *AnalysisOptions
	// MemoryLimit is the soft memory limit of the compute phase, in bytes
	// (0: DefaultMemoryHeadroom above the memory the runtime holds when it starts, or the
	// process's GOMEMLIMIT when that is set). See limitMemory.
	MemoryLimit int64

	// noSignals leaves the series without shared signals (tests: the
	// results must not change).
	noSignals bool
}

// series is a loaded market shared read-only by the workers.
type series struct {
	market   *strategy.Market // in-sample when split
	prepared *strategy.Prepared
	stats    backtest.MarketStats
	oos      *strategy.Market // out-of-sample part, when split
	// signals are the rules' decisions on prepared for the grid's rule
	// values (addSignals), built before the workers start and then only
	// read; nil: the kernel decides as it goes (the same numbers).
	signals *strategy.Signals
}

// run runs p on the series with the kernel (the shared signals when there
// are) and summarizes it, the statistics taken in one pass over equity.
func (sr *series) run(p *strategy.Params, riskFree float64, equity []float64) (backtest.Summary, error) {
	eq := equity[:sr.prepared.Len()]
	kt := strategy.KernelSignals(sr.prepared, sr.signals, strategy.KernelParamsOf(*p), eq, nil)
	return backtest.SummaryOfKernelStats(sr.market, *p, riskFree, kt, eq, strategy.EquityStatsOf(eq, p.Capital.InexactFloat64()), sr.stats)
}

// Tally says what Compute did.
type Tally struct {
	Computed, Skipped, Total int // combinations computed now, found done, in this shard
	// Parquet, when not nil (Job.DeferParquet), writes results.parquet:
	// results.csv is final already.
	Parquet func(context.Context) error
	// Scan, when not nil (Job.Analyze, a fresh sweep completed), is the
	// analyses' scan of every row: AnalyzeScan takes it.
	Scan *Scan
}

// Compute computes the shard's combinations not yet in Out/results.csv, in
// parallel, streaming each row to disk as it completes; then rewrites the
// results sorted by index and writes results.parquet. The combinations are
// built as the workers reach them, never all held. Cancelling ctx stops
// it with every completed row kept; running it again resumes.
func (r *Job) Compute(ctx context.Context, gridText []byte, ex Expansion) (Tally, error) {
	var res Tally
	s, err := ex.planned()
	if err != nil {
		return res, err
	}
	if r.Shards < 1 {
		r.Shards = 1
	}
	if r.Workers < 1 {
		r.Workers = 1
	}
	if err := os.MkdirAll(r.Out, 0o755); err != nil {
		return res, err
	}
	man := Manifest{GridSHA256: sha(gridText), Grid: string(gridText), Combinations: ex.Len(), Invalid: ex.Invalid,
		Duplicates: ex.Duplicates, Shard: r.Shard, Shards: r.Shards, Split: r.Split.String()}
	if r.Lake != nil {
		man.Lake = r.Lake.Root()
	}
	// A lake that lacks a market's series fails now, before sweep.json
	// ties the directory to this grid.
	if err := r.checkSeries(s); err != nil {
		return res, err
	}
	if err := checkManifest(r.Out, man); err != nil {
		return res, err
	}
	results := filepath.Join(r.Out, ResultsCSV)
	done, err := readDoneIDs(ctx, results)
	if err != nil {
		return res, err
	}
	work, err := r.shardWork(ctx, s, done)
	if err != nil {
		return res, err
	}
	res.Total, res.Skipped = work.mine, work.mine-work.todo
	loaded, err := r.load(s, work.perMarket)
	if err != nil {
		return res, err
	}
	if !r.noSignals {
		s.addSignals(loaded)
	}
	if work.mine == 0 {
		return res, errors.New("this shard has no combinations")
	}
	header, kinds, err := columns()
	if err != nil {
		return res, err
	}
	fresh, err := onlyHeader(results)
	if err != nil {
		return res, err
	}
	footer := map[string]string{"carry.sweep.grid_sha256": man.GridSHA256}
	if work.todo > 0 {
		// Written in order from an empty file, the rows are sorted as they
		// come: converted to Parquet (and scanned) as they are written.
		var live *liveResults
		if fresh {
			var scan *Scan
			if r.Analyze != nil {
				scan, _ = NewScan(header, ex, *r.Analyze) // an unknown metric fails in AnalyzeContext, as before
			}
			if live, err = startLive(r.Out, header, kinds, footer, scan); err != nil {
				return res, err
			}
		}
		var complete bool
		res.Computed, complete, err = r.compute(ctx, s, done, work.todo, loaded, header, live)
		if live != nil && (err != nil || !complete) {
			live.abort()
		}
		if err != nil {
			return res, err
		}
		if live != nil && complete {
			parquet := func(ctx context.Context) error {
				_, err := live.commit(ctx)
				return err
			}
			if r.Analyze == nil && r.DeferParquet {
				res.Parquet = parquet
				return res, nil
			}
			if res.Scan, err = live.commit(ctx); res.Scan != nil {
				res.Scan.loaded = map[backtest.Spec]*series{}
				for m, sr := range loaded {
					if sr != nil {
						res.Scan.loaded[s.marketSpec(m)] = sr
					}
				}
			}
			return res, err
		}
	}
	h, rows, err := indexRows(ctx, []string{results})
	if err != nil {
		return res, err
	}
	if h == nil {
		h = header
	}
	return res, finalize(ctx, r.Out, h, kinds, []string{results}, rows, footer, r.Workers)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// checkManifest writes the manifest, or checks an existing one matches.
// OtherSweepError: the output directory holds another sweep (a different
// grid, shard or split); nothing was written.
type OtherSweepError struct{ Dir, Msg string }

func (e *OtherSweepError) Error() string { return e.Msg }

func checkManifest(dir string, m Manifest) error {
	path := filepath.Join(dir, ManifestJSON)
	if b, err := os.ReadFile(path); err == nil {
		var old Manifest
		if err := json.Unmarshal(b, &old); err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if old.GridSHA256 != m.GridSHA256 || old.Shard != m.Shard || old.Shards != m.Shards || old.Split != m.Split {
			return &OtherSweepError{Dir: dir, Msg: fmt.Sprintf("%s holds another sweep (grid %s…, shard %d/%d, split %q): use a new --out, or remove it to start over",
				dir, old.GridSHA256[:12], old.Shard, old.Shards, old.Split)}
		}
		return nil
	}
	return atomicfile.Write(path, func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(m)
	})
}

// checkSeries makes sure the lake holds every market's series, failing
// with backtest.Load's message (what is missing and the backfill that
// fetches it) for the first it lacks.
func (r *Job) checkSeries(s *space) error {
	if r.Lake == nil {
		return nil
	}
	keys, err := r.Lake.BasisKeys()
	if err != nil {
		return fmt.Errorf("listing the lake's series: %w", err)
	}
	have := map[data.BasisKey]bool{}
	for _, k := range keys {
		have[k] = true
	}
	for m := range s.markets() {
		if s.marketFirst[m] == s.marketFirst[m+1] {
			continue // no valid combination uses it (e.g. a symbol that does not parse)
		}
		spec := s.marketSpec(m)
		basisWill := spec.Prices != backtest.PricesKlines && spec.Spot != backtest.SpotMarket
		if basisWill && have[data.BasisKey{Pair: spec.Symbol, ContractType: spec.Contract, Period: spec.Period}] {
			continue // (auto may still take klines when the basis leaves part of the window: loading decides)
		}
		if _, err := backtest.Load(r.Lake, spec); err != nil {
			return err
		}
	}
	return nil
}

// load reads the series of each market with combinations to compute,
// once (markets whose values differ only in spelling share it), in the
// order the combinations meet them.
func (r *Job) load(s *space, perMarket []int) ([]*series, error) {
	out := make([]*series, len(perMarket))
	bySpec := map[backtest.Spec]*series{}
	for m, n := range perMarket {
		if n == 0 {
			continue
		}
		spec := s.marketSpec(m)
		if out[m] = bySpec[spec]; out[m] != nil {
			continue
		}
		sr, err := r.loadSeries(spec)
		if err != nil {
			return nil, err
		}
		out[m], bySpec[spec] = sr, sr
	}
	return out, nil
}

func (r *Job) loadSeries(spec backtest.Spec) (*series, error) {
	ld, err := backtest.Load(r.Lake, spec)
	if err != nil {
		return nil, err
	}
	s := &series{market: ld.Market}
	if r.Split != nil {
		in, out := splitMarket(ld.Market, r.Split.cut(ld.Market.Times))
		if in == nil || out == nil {
			return nil, fmt.Errorf("%s %s %s: the split at %s leaves fewer than 2 grid points on one side", spec.Symbol, spec.Contract, spec.Period, r.Split)
		}
		s.market, s.oos = in, out
	}
	if s.prepared, err = strategy.Prepare(s.market); err != nil {
		return nil, err
	}
	s.stats = backtest.MarketStatsOf(s.market)
	return s, nil
}

// splitMarket cuts m into the grid points ≤ at and those after (each with
// every funding event known up to its end).
func splitMarket(m *strategy.Market, at time.Time) (*strategy.Market, *strategy.Market) {
	k := 0
	for k < len(m.Times) && !m.Times[k].After(at) {
		k++
	}
	if k < 2 || len(m.Times)-k < 2 {
		return nil, nil
	}
	return marketPart(m, 0, k), marketPart(m, k, len(m.Times))
}

// marketPart is m's grid points lo…hi−1 (every funding event kept: each
// point's lookups find what was known at its time).
func marketPart(m *strategy.Market, lo, hi int) *strategy.Market {
	p := *m
	p.Times, p.Spot, p.Futures = m.Times[lo:hi], m.Spot[lo:hi], m.Futures[lo:hi]
	if m.Delivery != nil {
		p.Delivery = m.Delivery[lo:hi]
	}
	if m.AltFutures != nil {
		p.AltFutures, p.AltDelivery = m.AltFutures[lo:hi], m.AltDelivery[lo:hi]
	}
	return &p
}

// compute runs the shard's combinations not done on r.Workers workers and
// streams rows to results.csv. Each worker takes the next chunk of the
// grid, builds its combinations and runs those of the shard; the writer
// puts the chunks in grid order (a reorder buffer of a few chunks), so
// that a fresh sweep's results.csv is sorted when the last row is
// written. It says whether every chunk was written.
func (r *Job) compute(ctx context.Context, s *space, done doneSet, todo int, loaded []*series, header []string, live *liveResults) (int, bool, error) {
	app, err := openAppender(r.Out, header)
	if err != nil {
		return 0, false, err
	}
	defer r.limitMemory()()
	if r.Progress != nil {
		r.Progress.Start(todo, 0)
		defer r.Progress.Finish()
	}
	maxLen := 0
	for _, sr := range loaded {
		if sr != nil {
			maxLen = max(maxLen, sr.prepared.Len())
		}
	}
	// Eight lines a worker: the writer (a buffered append) keeps ahead of
	// the kernels easily, and an interrupt then stops the sweep within a
	// few combinations of the row that saw it, instead of writing a
	// backlog (with 64 lines, a short sweep could finish in the buffer).
	rows := make(chan chunkRow, 8*r.Workers)
	// A worker may start a chunk only this many ahead of the one being
	// written: what the reorder buffer holds stays a few chunks.
	window := make(chan struct{}, 4*r.Workers)
	for range cap(window) {
		window <- struct{}{}
	}
	// A failed write stops the workers through stop; an interrupt through ctx.
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	finished := make(chan error, 1)
	var failed atomic.Pointer[error]
	plan := newRowPlan()
	type worker struct {
		equity []float64
		format *rowFormatter
	}
	ws := make([]worker, r.Workers) // one buffer and formatter per worker, reused
	go func() {
		defer close(rows)
		finished <- forEachChunk(wctx, s.chunks(), r.Workers, window, func(ctx context.Context, w, chunk int) error {
			wk := &ws[w]
			if wk.equity == nil {
				wk.equity, wk.format = make([]float64, maxLen), newRowFormatter(plan)
			}
			err := s.walk(ctx, chunk, func(index int, pos []int, t *tuple, p *strategy.Params) error {
				if index%r.Shards != r.Shard {
					return nil
				}
				if ctx.Err() != nil {
					return ctx.Err() // interrupted: stop between combinations
				}
				id := s.id(t)
				if done.has(id) {
					return nil
				}
				sr := loaded[s.market(pos)]
				sum, err := sr.run(p, s.settings(t).RiskFree, wk.equity)
				var line []byte
				if err == nil {
					// Formatting is done here, in parallel, not by the writer.
					line, err = wk.format.line(index, id, &sum)
				}
				if err != nil {
					return fmt.Errorf("combination %d (%s): %w", index, id, err)
				}
				rows <- chunkRow{chunk: chunk, line: slices.Clone(line)}
				return nil
			})
			if err != nil {
				// The writer will never pass this chunk: release the
				// workers waiting for the window (the first error is
				// kept, not the cancellations it causes).
				failed.CompareAndSwap(nil, &err)
				stop()
				return err
			}
			rows <- chunkRow{chunk: chunk, end: true}
			return nil
		})
	}()
	// Rows reach the file every 200 ms (and the disk every 2 s): a kill
	// loses at most that much work, and the few chunks held ahead of the
	// one being written, which the next run recomputes.
	written := 0
	lastFlush, lastSync := time.Now(), time.Now()
	ro := reorder{held: map[int]*heldChunk{}, window: window}
	write := func(line []byte) error {
		err := app.writeLine(line)
		if err == nil && live != nil {
			live.line(line)
		}
		if err == nil && time.Since(lastFlush) > 200*time.Millisecond {
			sync := time.Since(lastSync) > 2*time.Second
			err = app.flush(sync)
			lastFlush = time.Now()
			if sync {
				lastSync = lastFlush
			}
		}
		if err != nil {
			return err
		}
		written++
		if r.Progress != nil {
			r.Progress.Done()
		}
		return nil
	}
	for row := range rows {
		if err := ro.add(row, write); err != nil {
			stop()
			for range rows {
			}
			app.close()
			return written, false, fmt.Errorf("writing results: %w", err)
		}
	}
	// Interrupted: the chunks held are kept too, out of order (a resumed
	// sweep sorts its results at the end).
	err = ro.flushHeld(write)
	if err := errors.Join(err, app.close()); err != nil {
		return written, false, err
	}
	if err := <-finished; err != nil {
		if first := failed.Load(); first != nil && ctx.Err() == nil {
			err = *first
		}
		return written, false, err
	}
	return written, ro.next == s.chunks(), ctx.Err()
}

// evaluate runs one combination on its series with the kernel and
// summarizes it.
func evaluate(s *series, c Combination, equity []float64) (Row, error) {
	sum, err := s.run(&c.Params, c.RiskFree, equity)
	if err != nil {
		return Row{}, err
	}
	return Row{Index: c.Index, ID: c.ID, Summary: sum}, nil
}
