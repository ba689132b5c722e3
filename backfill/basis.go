package backfill

import (
	"context"
	"errors"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// basisWindows splits [from, to] (both on the grid) into windows of at most
// MaxBasisLimit grid points each, back to back, never overlapping.
func basisWindows(from, to time.Time, step time.Duration) []data.Span {
	var out []data.Span
	for a := from; !a.After(to); a = a.Add(binance.MaxBasisLimit * step) {
		z := a.Add((binance.MaxBasisLimit - 1) * step)
		if z.After(to) {
			z = to
		}
		out = append(out, data.Span{From: a, To: z})
	}
	return out
}

// basisPager fetches the windows of one basis series.
type basisPager struct {
	b       *Backfiller
	key     data.BasisKey
	step    time.Duration
	now     time.Time // the exchange's clock
	res     *Result
	tracker Tracker
	last    time.Time // last stored row, for spotting holes at a page's start
	cache   map[data.Span]basisPage
}

func (b *Backfiller) basis(ctx context.Context, key data.BasisKey, cfg Config, res *Result) error {
	stored, err := b.lake.ReadBasis(key)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return err
	}
	step := key.Period.Duration()
	now := b.exchangeNow()
	plan := planBasis(stored.State, len(stored.Rows) > 0, cfg, step, now)
	planned := 0
	for _, sp := range plan.spans {
		planned += len(basisWindows(ceilGrid(sp.From, step), sp.To.Truncate(step), step))
	}
	p := &basisPager{b: b, key: key, step: step, now: now, res: res, tracker: b.progress.Series(key.String(), planned), cache: map[data.Span]basisPage{}}
	// Until a page is merged (the merge reports them), the stored rows and gaps.
	res.Rows, res.Missing = len(stored.Rows), data.MissingPoints(data.BasisGaps(stored.Times(), key.Period))
	if n := len(stored.Rows); n > 0 {
		p.last = stored.Rows[n-1].Timestamp
	}
	err = p.run(ctx, plan)
	p.tracker.Done(err)
	return err
}

// basisPlan is what one run asks for: the uncovered spans, oldest first.
// head says the first span starts where the wanted history starts with no
// known edge before it, so its rows may start late (the edge lies inside);
// recheck says that span ends just before a stored history_start that is
// being checked again.
type basisPlan struct {
	spans          []data.Span
	head, recheck  bool
	historyStart   time.Time
	documentedEdge time.Time
}

// planBasis turns the stored state and the config into spans to fetch.
// history_start is evidence, not a fence: it is asked across again when
// --since was given earlier than it, or when it is younger than the
// documented retention (the exchange should serve more than was seen).
// Coverage recorded before history_start (by older versions) is ignored:
// the edge alone speaks for that range.
func planBasis(st data.SeriesState, hasRows bool, cfg Config, step time.Duration, now time.Time) basisPlan {
	from := ceilGrid(cfg.Since, step)
	until := exchangeUntil(cfg, now)
	to := until.Truncate(step)
	pl := basisPlan{historyStart: st.HistoryStart, documentedEdge: now.Add(-data.DocumentedBasisRetention)}
	covered := st.Covered
	if hs := st.HistoryStart; !hs.IsZero() {
		covered = clipSpans(covered, hs)
		if from.Before(hs) {
			// The exchange's edge is the first grid point at or after
			// its retention's start, so one period of slack.
			// A series with no rows at all re-checks only when asked:
			// its newest window is asked every run anyway.
			pl.recheck = cfg.SinceExplicit || hasRows && hs.After(pl.documentedEdge.Add(step))
			if !pl.recheck {
				from = ceilGrid(hs, step)
			}
		}
	}
	if to.Before(from) {
		return pl
	}
	for _, sp := range covered.Missing(data.Span{From: from, To: to}) {
		a, z := ceilGrid(sp.From, step), sp.To.Truncate(step)
		if !z.Before(a) {
			pl.spans = append(pl.spans, data.Span{From: a, To: z})
		}
	}
	if len(pl.spans) == 0 || !pl.spans[0].From.Equal(from) {
		pl.recheck = false
		return pl
	}
	pl.head = st.HistoryStart.IsZero() || pl.recheck
	if pl.recheck && pl.spans[0].To.After(st.HistoryStart.Add(-step)) {
		// The span runs on past the edge (nothing covered after it):
		// split, so the re-check asks only the part before it.
		rest := data.Span{From: ceilGrid(st.HistoryStart, step), To: pl.spans[0].To}
		pl.spans[0].To = st.HistoryStart.Add(-step).Truncate(step)
		pl.spans = append(pl.spans[:1], append([]data.Span{rest}, pl.spans[1:]...)...)
	}
	return pl
}

// clipSpans drops the parts of s before t.
func clipSpans(s data.Spans, t time.Time) data.Spans {
	var out data.Spans
	for _, x := range s {
		if x.To.Before(t) {
			continue
		}
		if x.From.Before(t) {
			x.From = t
		}
		out = append(out, x)
	}
	return out
}

func (p *basisPager) run(ctx context.Context, pl basisPlan) error {
	for i, sp := range pl.spans {
		wins := basisWindows(sp.From, sp.To, p.step)
		var err error
		switch {
		case i == 0 && pl.recheck:
			err = p.recheckEdge(ctx, wins, pl.historyStart)
		case i == 0 && pl.head:
			err = p.headSpan(ctx, wins)
		default:
			err = p.span(ctx, wins)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// span fetches the windows of an uncovered span after stored history,
// oldest first, storing each page as it comes. A first window refused as
// too old (a cron job that stopped for longer than the exchange keeps)
// starts an edge search: what lies before the edge is gone from the
// exchange, logged, and covered as a judgement so it is not asked again.
func (p *basisPager) span(ctx context.Context, wins []data.Span) error {
	first, err := p.fetch(ctx, wins[0])
	if err != nil {
		return err
	}
	if !first.tooOld {
		p.cache[wins[0]] = first
		return p.fetchAll(ctx, wins)
	}
	edge, err := p.findEdge(ctx, wins)
	if err != nil || edge.IsZero() {
		return err
	}
	lost := data.Span{From: wins[0].From, To: edge.Add(-p.step)}
	p.b.logger.Warn("the exchange no longer serves part of this span; it stays a gap", "series", p.key, "from", lost.From, "to", lost.To)
	if err := p.commit(nil, lost); err != nil {
		return err
	}
	return p.fetchAll(ctx, windowsFrom(wins, edge))
}

// headSpan fetches the oldest wanted span of a series whose edge is not
// known: the edge is searched for on the exchange's own answers, and every
// served row from it to the span's end is stored. The edge is recorded as
// history_start when it lies after the span's start.
func (p *basisPager) headSpan(ctx context.Context, wins []data.Span) error {
	edge, err := p.findEdge(ctx, wins)
	if err != nil {
		return err
	}
	if edge.IsZero() {
		// Nothing served anywhere in the span: the edge lies after it.
		// Recorded, so later runs ask only what follows (one request for
		// a series the exchange serves nothing of), not the whole search.
		after := wins[len(wins)-1].To.Add(p.step)
		p.b.logger.Info("the exchange serves nothing before this instant; recorded as the history's edge", "series", p.key, "history_start", after)
		return p.commit(nil, data.Span{}, lake.WithHistoryStart(after))
	}
	if !edge.After(wins[0].From) {
		return p.fetchAll(ctx, wins)
	}
	p.b.logger.Info("found the old edge of the basis history", "series", p.key, "history_start", edge)
	rest := windowsFrom(wins, edge)
	page, err := p.fetch(ctx, rest[0])
	if err != nil {
		return err
	}
	if err := p.commit(page.rows, rest[0], lake.WithHistoryStart(edge)); err != nil {
		return err
	}
	return p.fetchAll(ctx, rest[1:])
}

// recheckEdge asks whether the exchange now serves rows before the stored
// history_start: one request for the period just before it; only if that
// has a row is the edge searched for again.
func (p *basisPager) recheckEdge(ctx context.Context, wins []data.Span, historyStart time.Time) error {
	before := wins[len(wins)-1].To
	page, err := p.fetchOnce(ctx, data.Span{From: before, To: before})
	if err != nil {
		return err
	}
	if len(page.rows) == 0 {
		p.b.logger.Info("no basis history served before the stored edge", "series", p.key, "history_start", historyStart)
		return nil
	}
	p.b.logger.Info("the exchange serves history before the stored edge; searching again", "series", p.key, "history_start", historyStart)
	return p.headSpan(ctx, wins)
}

// fetchAll fetches and stores windows in order.
func (p *basisPager) fetchAll(ctx context.Context, wins []data.Span) error {
	for _, w := range wins {
		page, err := p.fetch(ctx, w)
		if err != nil {
			return err
		}
		if page.tooOld {
			p.b.logger.Warn("the exchange no longer serves this window; it stays a gap", "series", p.key, "from", w.From, "to", w.To)
		} else if len(page.rows) == 0 && !w.To.After(p.settled()) {
			p.b.logger.Info("the exchange serves no rows in this window; recorded as its gap", "series", p.key, "from", w.From, "to", w.To)
		}
		if err := p.commit(page.rows, w); err != nil {
			return err
		}
	}
	return nil
}

// settled is the newest instant whose row must be published by now (the
// exchange's clock): later rows may still come.
func (p *basisPager) settled() time.Time { return p.now.Add(-2 * p.step) }

// commit stores a page with the span it covers. A window reaching into the
// last two periods (by the exchange's clock) covers only up to its last
// row: later rows may not be published yet, and the next run asks for them.
func (p *basisPager) commit(rows []data.BasisRow, covered data.Span, opts ...lake.MergeOption) error {
	if covered.To.After(p.settled()) {
		if len(rows) == 0 {
			covered = data.Span{}
		} else {
			covered.To = rows[len(rows)-1].Timestamp
		}
	}
	if !covered.From.IsZero() {
		opts = append(opts, lake.WithCovered(covered))
	}
	mr, err := p.b.lake.MergeBasis(p.key, rows, opts...)
	if err != nil {
		return err
	}
	p.res.NewRows += mr.Added
	p.res.Updated += mr.Updated
	p.res.Rows, p.res.Missing = mr.Rows, mr.Missing
	if n := len(rows); n > 0 && rows[n-1].Timestamp.After(p.last) {
		p.last = rows[n-1].Timestamp
	}
	p.tracker.Request(mr.Added)
	return nil
}
