package backfill

import (
	"context"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

// linearEmptyWindows is how many empty windows at the newest end of a span
// (a series that ended, or is not served) the edge search steps back one
// at a time before it takes doubling steps.
const linearEmptyWindows = 8

// findEdge finds the oldest row the exchange serves in the span the
// windows tile, from the exchange's own answers alone (never from our clock
// or the documented retention): it walks back from the newest window to the
// first with rows (one window at a time for the first few empty ones, then
// doubling steps), gallops back from there (k−1, k−2, k−4, …) until a
// window is refused or has no rows, bisects the windows
// between the last without rows and the first with them, and then finds the
// edge's grid point inside that pair (resolveEdge). Pages fetched on the
// way are kept for the fetches that follow. It returns the zero time when
// no window of the span has rows.
//
// The search assumes what the exchange serves is contiguous from the edge
// to the newest row: a gap in the exchange's own data longer than a window
// just after the edge would be taken for the edge.
func (p *basisPager) findEdge(ctx context.Context, wins []data.Span) (time.Time, error) {
	n := len(wins)
	pages := map[int]basisPage{}
	probe := func(k int) (bool, error) {
		page, err := p.fetch(ctx, wins[k])
		if err != nil {
			return false, err
		}
		pages[k] = page
		p.cache[wins[k]] = page
		if len(page.rows) == 0 {
			return false, nil
		}
		// Stored at once, so an interrupted search loses nothing fetched;
		// it covers only what its rows prove (the part before its first
		// row may be before the edge).
		return true, p.commit(page.rows, data.Span{From: page.rows[0].Timestamp, To: wins[k].To})
	}
	lastBad, firstGood := -1, n
	for k, empties, d := n-1, 0, 1; k >= 0; {
		ok, err := probe(k)
		if err != nil {
			return time.Time{}, err
		}
		switch {
		case ok:
			firstGood = k
		case pages[k].tooOld || firstGood < n:
			lastBad = k
		default:
			empties++ // newer than any row found: a series that ended
		}
		if lastBad >= 0 || k == 0 {
			break
		}
		switch {
		case firstGood < n:
			k, d = max(firstGood-d, 0), d*2
		case empties < linearEmptyWindows:
			k--
		default:
			k, d = max(k-d, 0), d*2
		}
	}
	for firstGood-lastBad > 1 {
		mid := (lastBad + firstGood) / 2
		ok, err := probe(mid)
		if err != nil {
			return time.Time{}, err
		}
		if ok {
			firstGood = mid
		} else {
			lastBad = mid
		}
	}
	if firstGood == n && lastBad == n-1 && pages[lastBad].tooOld {
		// Even the newest window was refused as too old: its later part
		// may still be served.
		none := wins[n-1].To.Add(p.step)
		edge, err := p.resolveEdge(ctx, wins[n-1].From, none)
		if err != nil || edge.Before(none) {
			return edge, err
		}
	}
	if firstGood == n {
		p.b.logger.Warn("the exchange serves no rows in this span", "series", p.key, "from", wins[0].From, "to", wins[n-1].To)
		return time.Time{}, nil
	}
	good := pages[firstGood]
	r0 := good.rows[0].Timestamp
	// lo: nothing is served at or before it (exclusive lower bound).
	lo := wins[0].From.Add(-p.step)
	if lastBad >= 0 {
		if pages[lastBad].tooOld {
			lo = wins[lastBad].From // refused: its start is older than kept
		} else {
			lo = wins[lastBad].To // answered empty: nothing in it
		}
	}
	switch {
	case good.emptyBefore:
		lo = r0.Add(-p.step)
	case good.refusedBefore && wins[firstGood].From.After(lo):
		lo = wins[firstGood].From
	}
	return p.resolveEdge(ctx, lo, r0)
}

// resolveEdge narrows the edge E, known to lie in (lo, r0] with a row
// served at r0 (or r0 just past the span, where nothing may be served), to
// one grid point by bisection: a window starting at t
// refused as too old means E > t; answered empty up to u, E > u; answered
// with rows, E ≤ its first row. About log2(1000) requests at most.
func (p *basisPager) resolveEdge(ctx context.Context, lo, r0 time.Time) (time.Time, error) {
	for r0.Sub(lo) > p.step {
		points := int(r0.Sub(lo) / p.step)
		t := lo.Add(time.Duration((points+1)/2) * p.step)
		u := t.Add((binance.MaxBasisLimit - 1) * p.step)
		if last := r0.Add(-p.step); u.After(last) {
			u = last
		}
		page, err := p.fetchOnce(ctx, data.Span{From: t, To: u})
		if err != nil {
			return time.Time{}, err
		}
		switch {
		case page.tooOld:
			lo = t
		case len(page.rows) == 0:
			lo = u
		default:
			r0 = page.rows[0].Timestamp
			// Stored at once, like the search's other pages.
			// (Covering only up to its last row: a server answering fewer
			// rows than asked may have cut the window's end.)
			if err := p.commit(page.rows, data.Span{From: r0, To: page.rows[len(page.rows)-1].Timestamp}); err != nil {
				return time.Time{}, err
			}
		}
	}
	return r0, nil
}

// windowsFrom is the windows from t on: the part of t's window from t, then
// the windows after it, keeping their grid so pages fetched already are
// reused. t lies in one of wins.
func windowsFrom(wins []data.Span, t time.Time) []data.Span {
	for i, w := range wins {
		if !t.Before(w.From) && !t.After(w.To) {
			return append([]data.Span{{From: t, To: w.To}}, wins[i+1:]...)
		}
	}
	return nil
}
