package backfill

import (
	"context"
	"errors"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

// DocumentedBasisRetention is how much basis history Binance documents:
// used only as the first guess of where the old edge lies.
const DocumentedBasisRetention = 30 * 24 * time.Hour

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
	now     time.Time
	res     *Result
	tracker Tracker
	last    time.Time // last stored row, for spotting holes at a page's start
	cache   map[time.Time]basisPage
}

type basisPage struct {
	rows   []data.BasisRow
	tooOld bool // the exchange refused the window as older than it keeps
}

func (b *Backfiller) basis(ctx context.Context, key data.BasisKey, since, until time.Time, res *Result) error {
	stored, err := b.lake.ReadBasis(key)
	if err != nil && !errors.Is(err, data.ErrNoSeries) {
		return err
	}
	step := key.Period.Duration()
	from := ceilGrid(since, step)
	if hs := stored.State.HistoryStart; !hs.IsZero() && from.Before(hs) {
		from = ceilGrid(hs, step) // nothing exists before the known edge
	}
	to := until.Truncate(step)
	var spans []data.Span
	if !to.Before(from) {
		spans = stored.State.Covered.Missing(data.Span{From: from, To: to})
	}
	planned := 0
	for _, sp := range spans {
		planned += len(basisWindows(ceilGrid(sp.From, step), sp.To.Truncate(step), step))
	}
	p := &basisPager{b: b, key: key, step: step, now: b.now(), res: res, tracker: b.progress.Series(key.String(), planned), cache: map[time.Time]basisPage{}}
	// Until a page is merged (the merge reports them), the stored rows and gaps.
	res.Rows, res.Missing = len(stored.Rows), data.MissingPoints(data.BasisGaps(stored.Times(), key.Period))
	if n := len(stored.Rows); n > 0 {
		p.last = stored.Rows[n-1].Timestamp
	}
	err = p.spans(ctx, spans, from, stored.State.HistoryStart.IsZero())
	p.tracker.Done(err)
	return err
}

func (p *basisPager) spans(ctx context.Context, spans []data.Span, from time.Time, edgeUnknown bool) error {
	for i, sp := range spans {
		a, z := ceilGrid(sp.From, p.step), sp.To.Truncate(p.step)
		if z.Before(a) {
			continue
		}
		head := i == 0 && sp.From.Equal(from) && edgeUnknown
		if err := p.span(ctx, basisWindows(a, z, p.step), head); err != nil {
			return err
		}
	}
	return nil
}

// span fetches the windows of one uncovered span, oldest first, storing each
// page as it comes. If the first window is refused as too old, or is empty
// at the head of the wanted history, the old edge is searched for first.
func (p *basisPager) span(ctx context.Context, wins []data.Span, head bool) error {
	first, err := p.fetch(ctx, wins[0])
	if err != nil {
		return err
	}
	next := 1
	switch {
	case first.tooOld || head && len(first.rows) == 0:
		k, page, err := p.findEdge(ctx, wins, first)
		if err != nil {
			return err
		}
		if k == len(wins) {
			// No window has rows: claim nothing, ask again next run.
			p.b.logger.Warn("the exchange serves no rows in this span", "series", p.key, "from", wins[0].From, "to", wins[len(wins)-1].To)
			return nil
		}
		edge := page.rows[0].Timestamp
		if head {
			p.b.logger.Info("found the old edge of the basis history", "series", p.key, "history_start", edge)
		} else {
			p.b.logger.Warn("the exchange no longer serves part of this span; it stays a gap", "series", p.key, "from", wins[0].From, "to", edge.Add(-p.step))
		}
		if err := p.commit(page.rows, data.Span{From: wins[0].From, To: wins[k].To}, data.WithHistoryStart(edge)); err != nil {
			return err
		}
		next = k + 1
	default:
		var opts []data.MergeOption
		if head && first.rows[0].Timestamp.After(wins[0].From) {
			// The head window's rows start late: nothing is served before.
			opts = append(opts, data.WithHistoryStart(first.rows[0].Timestamp))
		}
		if err := p.commit(first.rows, wins[0], opts...); err != nil {
			return err
		}
	}
	for _, w := range wins[next:] {
		page, err := p.fetch(ctx, w)
		if err != nil {
			return err
		}
		if page.tooOld {
			p.b.logger.Warn("the exchange no longer serves this window; it stays a gap", "series", p.key, "from", w.From, "to", w.To)
		}
		if err := p.commit(page.rows, w); err != nil {
			return err
		}
	}
	return nil
}

// findEdge finds the first window with rows, given that wins[0] has none:
// a bisection whose first probe is the window holding the documented
// retention's start. If the window before the edge was refused as too old,
// the edge may lie inside it: the part after the documented start is asked
// for, so nothing served is skipped. It returns len(wins) if no window has
// rows.
func (p *basisPager) findEdge(ctx context.Context, wins []data.Span, first basisPage) (int, basisPage, error) {
	probes := map[int]basisPage{0: first}
	probe := func(k int) (bool, error) {
		page, err := p.fetch(ctx, wins[k])
		probes[k] = page
		return len(page.rows) > 0, err
	}
	lo, hi := 0, len(wins)
	documented := ceilGrid(p.now.Add(-DocumentedBasisRetention), p.step)
	if hint := indexOf(wins, documented); hint > 0 {
		good, err := probe(hint)
		if err != nil {
			return 0, basisPage{}, err
		}
		if good {
			hi = hint
		} else {
			lo = hint
		}
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		good, err := probe(mid)
		if err != nil {
			return 0, basisPage{}, err
		}
		if good {
			hi = mid
		} else {
			lo = mid
		}
	}
	// The window before the first one with rows was refused as too old:
	// the edge may lie inside it, after the documented retention's start.
	if probes[lo].tooOld && documented.After(wins[lo].From) && !documented.After(wins[lo].To) {
		part, err := p.fetch(ctx, data.Span{From: documented, To: wins[lo].To})
		if err == nil && part.tooOld && documented.Add(p.step).Before(wins[lo].To) {
			// Our clock runs ahead of the exchange's: one period later.
			part, err = p.fetch(ctx, data.Span{From: documented.Add(p.step), To: wins[lo].To})
		}
		if err != nil {
			return 0, basisPage{}, err
		}
		if len(part.rows) > 0 {
			if hi < len(wins) {
				p.cache[wins[hi].From] = probes[hi] // fetched already
			}
			return lo, part, nil
		}
	}
	if hi == len(wins) {
		return hi, basisPage{}, nil
	}
	return hi, probes[hi], nil
}

func indexOf(wins []data.Span, t time.Time) int {
	for i, w := range wins {
		if !t.Before(w.From) && !t.After(w.To) {
			return i
		}
	}
	return -1
}

// fetch asks for one window and validates the answer. A page with holes
// between its rows (or after the stored row just before it) is asked for
// once more and the two answers merged, so a row dropped in transit is not
// mistaken for a gap; what is still missing then is a gap of the exchange's.
func (p *basisPager) fetch(ctx context.Context, w data.Span) (basisPage, error) {
	if page, ok := p.cache[w.From]; ok {
		delete(p.cache, w.From)
		return page, nil
	}
	page, err := p.fetchOnce(ctx, w)
	if err != nil || page.tooOld || !p.hasHoles(w, page.rows) {
		return page, err
	}
	again, err := p.fetchOnce(ctx, w)
	if err != nil {
		return basisPage{}, err
	}
	page.rows = unionBasis(page.rows, again.rows)
	if p.hasHoles(w, page.rows) {
		p.b.logger.Info("gap confirmed by a second request", "series", p.key, "window_from", w.From, "window_to", w.To)
	}
	return page, nil
}

func (p *basisPager) fetchOnce(ctx context.Context, w data.Span) (basisPage, error) {
	pts, err := p.b.src.Basis(ctx, binance.BasisQuery{Pair: p.key.Pair, ContractType: p.key.ContractType, Period: p.key.Period, Start: w.From, End: w.To, Limit: binance.MaxBasisLimit})
	var api *binance.APIError
	if errors.As(err, &api) && api.Code == binance.CodeInvalidParameter {
		return basisPage{tooOld: true}, nil
	}
	if err != nil {
		return basisPage{}, err
	}
	rows, fix := validateBasis(p.key, w, pts)
	if n := fix.total(); n > 0 {
		p.res.Repaired += n
		p.b.logger.Warn("repaired a page", append([]any{"series", p.key, "window_from", w.From}, fix.logArgs()...)...)
	}
	return basisPage{rows: rows}, nil
}

func (p *basisPager) hasHoles(w data.Span, rows []data.BasisRow) bool {
	if len(rows) == 0 {
		return false
	}
	times := make([]time.Time, 0, len(rows)+1)
	if !p.last.IsZero() && p.last.Add(p.step).Equal(w.From) {
		times = append(times, p.last)
	}
	for _, r := range rows {
		times = append(times, r.Timestamp)
	}
	return len(data.BasisGaps(times, p.key.Period)) > 0
}

// commit stores a page with the span it covers. A window reaching into the
// last two periods covers only up to its last row: later rows may not be
// published yet, and the next run asks for them.
func (p *basisPager) commit(rows []data.BasisRow, covered data.Span, opts ...data.MergeOption) error {
	if covered.To.After(p.now.Add(-2 * p.step)) {
		if len(rows) == 0 {
			covered = data.Span{}
		} else {
			covered.To = rows[len(rows)-1].Timestamp
		}
	}
	if !covered.From.IsZero() {
		opts = append(opts, data.WithCovered(covered))
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
