package backfill

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// fundingSettle is how recent a funding window's end may be before its
// coverage is cut back to the last event received: an event stamped just
// before now may not be published yet.
const fundingSettle = time.Hour

type fundingPager struct {
	b        *Backfiller
	symbol   string
	interval int
	now      time.Time
	res      *Result
	tracker  Tracker
	stored   data.FundingSeries
}

func (b *Backfiller) funding(ctx context.Context, symbol string, cfg Config, interval int, res *Result) error {
	stored, err := b.lake.ReadFunding(symbol)
	exists := err == nil
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return err
	}
	err = nil // a series not stored yet is no error
	if interval <= 0 {
		interval = data.DefaultFundingIntervalHours // not in fundingInfo: 8h
	}
	now := b.exchangeNow()
	since, until := cfg.Since, exchangeUntil(cfg, now)
	var spans []data.Span
	if since.Before(until) {
		spans = stored.State.Covered.Missing(data.Span{From: since, To: until})
	}
	planned := 0
	for _, sp := range spans {
		// One event an hour at most, on the shortest schedule.
		events := sp.To.Sub(sp.From).Hours() / float64(min(interval, 8))
		planned += max(1, int(math.Ceil(events/binance.MaxFundingLimit)))
	}
	// Until a page is merged (the merge reports them), the stored rows and gaps.
	res.Rows, res.Missing = len(stored.Rows), data.MissingPoints(stored.Gaps())
	p := &fundingPager{b: b, symbol: symbol, interval: interval, now: now, res: res, stored: stored,
		tracker: b.progress.Series("funding "+symbol, planned)}
	if cfg.source() != SourceArchive {
		for _, sp := range spans {
			if err = p.span(ctx, sp); err != nil {
				break
			}
		}
	}
	if err == nil && cfg.archiveFunding() {
		err = p.fromArchive(ctx, spans, cfg.source() == SourceArchive)
		if err == nil {
			err = filesFailed(res)
		}
	}
	// A stored series learns a new interval even when nothing is fetched;
	// a series not in the lake has no file to record it in until it has
	// rows.
	if err == nil && len(spans) == 0 && exists && stored.State.IntervalHours != interval {
		var mr lake.MergeResult
		if mr, err = b.lake.MergeFunding(symbol, nil, lake.WithIntervalHours(interval)); err == nil {
			res.Rows, res.Missing = mr.Rows, mr.Missing
		}
	}
	p.tracker.Done(err)
	return err
}

// span pages through one uncovered span: each request asks from the cursor
// to the span's end and gets the first MaxFundingLimit events; a full page
// moves the cursor past its last event, a short one ends the span.
func (p *fundingPager) span(ctx context.Context, sp data.Span) error {
	for cursor := sp.From; !cursor.After(sp.To); {
		w := data.Span{From: cursor, To: sp.To}
		rows, full, err := p.fetch(ctx, w)
		if err != nil {
			return err
		}
		covered := w
		if full {
			// A full page must move the cursor past its minute: one that
			// does not (the same row again and again) would page a
			// millisecond per request.
			if len(rows) == 0 || rows[len(rows)-1].Instant().Equal(cursor.Truncate(time.Minute)) {
				return &BadPageError{Series: "funding " + p.symbol, Window: w,
					Reason: fmt.Sprintf("a full page (%d events) that does not move the cursor past %s", binance.MaxFundingLimit, cursor.UTC().Format(time.RFC3339Nano))}
			}
			covered.To = rows[len(rows)-1].FundingTime
		} else if covered.To.After(p.now.Add(-fundingSettle)) {
			if len(rows) == 0 {
				covered = data.Span{}
			} else {
				covered.To = rows[len(rows)-1].FundingTime
			}
		} else if len(rows) == 0 {
			// An empty list, answered for a settled window: the exchange
			// has no events there (a symbol not listed yet, or delisted).
			p.b.logger.Info("the exchange has no funding events in this window; recorded as covered", "symbol", p.symbol, "from", w.From, "to", w.To)
		}
		if err := p.commit(rows, covered); err != nil {
			return err
		}
		if !full {
			return nil
		}
		cursor = covered.To.Add(time.Millisecond)
	}
	return nil
}

// fetch asks for one page; a page whose events leave a hole in the funding
// schedule is asked for once more and the answers merged (see basis fetch).
func (p *fundingPager) fetch(ctx context.Context, w data.Span) ([]data.FundingRow, bool, error) {
	rows, raw, err := p.fetchOnce(ctx, w)
	if err != nil || !p.hasHoles(w, rows) {
		return rows, raw >= binance.MaxFundingLimit || len(rows) >= binance.MaxFundingLimit, err
	}
	again, raw2, err := p.fetchOnce(ctx, w)
	if err != nil {
		return nil, false, err
	}
	rows = unionFunding(rows, again)
	if p.hasHoles(w, rows) {
		p.b.logger.Info("funding gap confirmed by a second request", "symbol", p.symbol, "window_from", w.From)
	}
	full := max(raw, raw2) >= binance.MaxFundingLimit || len(rows) >= binance.MaxFundingLimit
	if full && len(rows) > binance.MaxFundingLimit {
		rows = rows[:binance.MaxFundingLimit]
	}
	return rows, full, nil
}

func (p *fundingPager) fetchOnce(ctx context.Context, w data.Span) ([]data.FundingRow, int, error) {
	type page struct {
		rows []data.FundingRow
		raw  int
	}
	pg, err := retryBadPages(ctx, p.b, "fundingRate", func() (page, error) {
		evs, err := p.b.src.FundingRates(ctx, binance.FundingQuery{Symbol: p.symbol, Start: w.From, End: w.To, Limit: binance.MaxFundingLimit})
		if err != nil {
			return page{}, err
		}
		rows, fix := validateFunding(p.symbol, w, evs)
		if len(evs) > 0 && len(rows) == 0 {
			return page{}, badPage("funding "+p.symbol, w, len(evs), fix)
		}
		if n := fix.total(); n > 0 {
			p.res.Repaired += n
			p.b.logger.Warn("repaired a page", append([]any{"series", "funding " + p.symbol, "window_from", w.From}, fix.logArgs()...)...)
		}
		return page{rows, len(evs)}, nil
	})
	return pg.rows, pg.raw, err
}

// hasHoles reports whether the page's events, after the stored events just
// before it (when the page continues them), leave a gap in the schedule.
func (p *fundingPager) hasHoles(w data.Span, rows []data.FundingRow) bool {
	if len(rows) == 0 {
		return false
	}
	var seq []data.FundingRow
	if p.stored.State.Covered.Covers(w.From.Add(-time.Millisecond)) {
		for _, r := range p.stored.Rows {
			if r.FundingTime.Before(w.From) {
				seq = append(seq, r)
			}
		}
		if len(seq) > 2 {
			seq = seq[len(seq)-2:]
		}
	}
	seq = append(seq, rows...)
	for _, g := range data.InferFundingSchedule(seq, p.interval) {
		if !g.To.Before(w.From) {
			return true
		}
	}
	return false
}

func (p *fundingPager) commit(rows []data.FundingRow, covered data.Span) error {
	opts := []lake.MergeOption{lake.WithIntervalHours(p.interval)}
	if !covered.From.IsZero() {
		opts = append(opts, lake.WithCovered(covered))
	}
	mr, err := p.b.lake.MergeFunding(p.symbol, rows, opts...)
	if err != nil {
		return err
	}
	p.res.NewRows += mr.Added
	p.res.Updated += mr.Updated
	p.res.Rows, p.res.Missing = mr.Rows, mr.Missing
	p.stored.Rows = append(p.stored.Rows, rows...)
	p.stored.State.Covered = p.stored.State.Covered.Add(covered)
	p.tracker.Request(mr.Added)
	return nil
}
