package backfill

import (
	"context"
	"fmt"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// klinePager fetches one kline series: from the public archive file by
// file, and from REST in weight-optimal windows (binance.KlineWindows).
type klinePager struct {
	b       *Backfiller
	m       *lake.KlineMerge // the series being stored
	key     data.KlineKey
	iv      time.Duration
	now     time.Time // the exchange's clock
	res     *Result
	tracker Tracker
}

// klineStep is one part of a span: an archive plan, or REST alone.
type klineStep struct {
	span data.Span
	plan *archive.Plan // nil: REST only
}

func (b *Backfiller) klines(ctx context.Context, key data.KlineKey, cfg Config, res *Result) (err error) {
	// One merge a series: its pages and files cost one write of the
	// series, whatever their number (lake.KlineMerge).
	m, err := b.lake.StartKlineMerge(key)
	if err != nil {
		return err
	}
	defer func() {
		mr, cerr := m.Commit() // what was fetched is kept, even after a failure
		res.Rows, res.Missing = mr.Rows, mr.Missing
		if err == nil {
			err = cerr
		} else if cerr != nil {
			err = fmt.Errorf("%w (and storing what was fetched: %w)", err, cerr)
		}
	}()
	stored := m.State()
	now := b.exchangeNow()
	iv := key.Interval.Duration()
	mode := cfg.source()
	ds, dsErr := archive.KlineDataset(key.Kind) // continuous: REST only
	useArchive := mode != SourceREST && dsErr == nil

	var spans []data.Span
	if from, to := ceilGrid(cfg.Since, iv), exchangeUntil(cfg, now); !to.Before(from) {
		want := data.Span{From: from, To: to}
		spans = stored.Covered.Missing(want)
		if useArchive && mode == SourceArchive {
			// Every file of the span is checked against its kept
			// checksum (a .CHECKSUM each), so files replaced upstream
			// are imported again.
			spans = []data.Span{want}
		}
	}
	var steps []klineStep
	planned := 0
	for _, sp := range spans {
		if !useArchive {
			steps = append(steps, klineStep{span: sp})
			planned += len(binance.KlineWindows(key, sp.From, sp.To))
			continue
		}
		pl, err := archive.PlanSpan(archive.Series{Dataset: ds, Symbol: key.Symbol, Interval: string(key.Interval)}, sp, now)
		if err != nil {
			return err
		}
		steps = append(steps, klineStep{span: sp, plan: &pl})
		planned += len(pl.Files)
		if mode == SourceAuto {
			for _, r := range pl.REST {
				planned += len(binance.KlineWindows(key, r.From, r.To))
			}
		}
	}
	p := &klinePager{b: b, m: m, key: key, iv: iv, now: now, res: res, tracker: b.progress.Series("klines "+key.String(), planned)}
	err = p.run(ctx, steps, mode, stored.Checksums)
	if err == nil {
		err = filesFailed(res)
	}
	p.tracker.Done(err)
	return err
}

func (p *klinePager) run(ctx context.Context, steps []klineStep, mode SourceMode, kept map[string]string) error {
	for _, st := range steps {
		rest := data.Spans{}.Add(st.span)
		if st.plan != nil {
			left, err := p.fromArchive(ctx, st.span, *st.plan, kept)
			if err != nil {
				return err
			}
			rest = left
		}
		if mode == SourceArchive && st.plan != nil { // continuous klines: REST whatever the source
			for _, sp := range rest {
				p.res.Archive.LeftToREST = p.res.Archive.LeftToREST.Add(sp)
			}
			continue
		}
		for _, sp := range rest {
			if err := p.rest(ctx, sp); err != nil {
				return err
			}
		}
	}
	if len(p.res.Archive.LeftToREST) > 0 {
		p.b.logger.Info("not published in the archive yet; --source auto fetches it from REST", "series", p.key, "spans", p.res.Archive.LeftToREST)
	}
	return nil
}

// keptChecksums are the archive files a series was imported from, by name
// (archive.Checksums).
type keptChecksums map[string]string

func (k keptChecksums) Checksum(f archive.File) (string, bool) { s, ok := k[f.Name()]; return s, ok }

// fromArchive imports a plan of span: each verified file's candles inside
// the span are stored with the file's checksum and its part of the span
// marked covered; a failed file leaves nothing. It returns the spans left
// to REST (the plan's and the fallbacks of missing files), within span.
func (p *klinePager) fromArchive(ctx context.Context, span data.Span, pl archive.Plan, kept map[string]string) (data.Spans, error) {
	im := archive.NewImporter(p.b.archive, keptChecksums(kept), func() time.Time { return p.now }, p.b.logger)
	var inSpan []data.KlineRow // reused from file to file
	store := func(f archive.File, sum string, rows []data.KlineRow) error {
		inSpan = inSpan[:0]
		for _, r := range rows {
			if !r.OpenTime.Before(span.From) && !r.OpenTime.After(span.To) {
				inSpan = append(inSpan, r)
			}
		}
		mr, err := p.m.Add(inSpan, lake.WithCovered(f.Span().Intersect(span)), lake.WithChecksum(f.Name(), sum))
		if err != nil {
			return err
		}
		p.merged(mr)
		return nil
	}
	r, err := im.ImportKlines(ctx, pl, store)
	p.res.Archive.Imported += len(r.Imported)
	p.res.Archive.Unchanged += len(r.Unchanged)
	p.res.Archive.Missing += len(r.Missing)
	p.res.Archive.Failed = append(p.res.Archive.Failed, r.Failed...)
	for range r.Unchanged {
		p.tracker.Request(0)
	}
	if err != nil {
		return nil, fmt.Errorf("importing %s from the archive: %w", p.key, err)
	}
	var left data.Spans
	for _, sp := range r.REST {
		if sp.To.Before(span.From) || sp.From.After(span.To) {
			continue
		}
		left = left.Add(sp.Intersect(span))
	}
	return left, nil
}

// rest pages a span from REST, each window stored as soon as it is
// validated. A window reaching the present covers only up to the open
// candle, which is never stored: the next run asks for it again.
func (p *klinePager) rest(ctx context.Context, sp data.Span) error {
	for _, q := range binance.KlineWindows(p.key, sp.From, sp.To) {
		rows, err := p.fetch(ctx, q)
		if err != nil {
			return err
		}
		covered := data.Span{From: q.Start, To: q.End.Add(p.iv - time.Millisecond)}
		if !covered.To.Before(p.now) {
			covered.To = p.now.Truncate(p.iv).Add(-time.Millisecond)
		}
		var opts []lake.MergeOption
		if !covered.To.Before(covered.From) {
			opts = append(opts, lake.WithCovered(covered))
		}
		mr, err := p.m.Add(rows, opts...)
		if err != nil {
			return err
		}
		p.merged(mr)
	}
	return nil
}

// fetch asks for one window; a page with a hole between its candles is
// asked for once more and the answers merged (as for basis pages). Only
// closed candles are returned, by the exchange's clock.
func (p *klinePager) fetch(ctx context.Context, q binance.KlineQuery) ([]data.KlineRow, error) {
	rows, err := p.fetchOnce(ctx, q)
	if err != nil || !klineHoles(rows, p.iv) {
		return rows, err
	}
	again, err := p.fetchOnce(ctx, q)
	if err != nil {
		return nil, err
	}
	rows = unionKlines(rows, again)
	if klineHoles(rows, p.iv) {
		p.b.logger.Info("kline gap confirmed by a second request", "series", p.key, "window_from", q.Start)
	}
	return rows, nil
}

func (p *klinePager) fetchOnce(ctx context.Context, q binance.KlineQuery) ([]data.KlineRow, error) {
	w := data.Span{From: q.Start, To: q.End}
	rows, err := retryBadPages(ctx, p.b, "klines", func() ([]data.KlineRow, error) {
		raw, err := p.b.src.Klines(ctx, q)
		if err != nil {
			return nil, err
		}
		rows, fix := validateKlines(p.key, w, raw)
		if len(raw) > 0 && len(rows) == 0 {
			return nil, badPage("klines "+p.key.String(), w, len(raw), fix)
		}
		if n := fix.total(); n > 0 {
			p.res.Repaired += n
			p.b.logger.Warn("repaired a page", append([]any{"series", "klines " + p.key.String(), "window_from", w.From}, fix.logArgs()...)...)
		}
		return rows, nil
	})
	if err != nil {
		return nil, err
	}
	closed, _ := binance.ClosedKlines(rows, p.now)
	return closed, nil
}

// merged counts a batch; the series' rows and gaps come with the commit.
func (p *klinePager) merged(mr lake.MergeResult) {
	p.res.NewRows += mr.Added
	p.res.Updated += mr.Updated
	p.tracker.Request(mr.Added)
}
