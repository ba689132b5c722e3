package backfill

import (
	"context"
	"errors"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

type basisPage struct {
	rows []data.BasisRow
	// tooOld: the exchange refused the window as older than it keeps.
	tooOld bool
	// emptyBefore and refusedBefore tell what the part of the window
	// before its first row was answered when asked on its own: empty
	// (nothing is served there) or refused as too old (the edge may lie
	// in it).
	emptyBefore, refusedBefore bool
}

// fetch asks for one window and validates the answer, so that what comes
// back is everything the exchange serves in it:
//   - holes between the rows (or after the stored row just before it) are
//     asked for once more and the two answers merged, so a row dropped in
//     transit is not mistaken for a gap; what is still missing then is a
//     gap of the exchange's;
//   - rows that start after the window's start, or end before its end
//     (unless that end is too recent to be published), have the part they
//     leave out asked for on its own: a server that answers fewer rows than
//     asked (a lower limit, either end of the window) loses nothing, and
//     the answer tells whether the history's edge lies in the window.
func (p *basisPager) fetch(ctx context.Context, w data.Span) (basisPage, error) {
	if page, ok := p.cache[w]; ok {
		delete(p.cache, w)
		return page, nil
	}
	page, err := p.fetchOnce(ctx, w)
	if err != nil || page.tooOld || len(page.rows) == 0 {
		return page, err
	}
	if p.hasHoles(w, page.rows) {
		again, err := p.fetchOnce(ctx, w)
		if err != nil {
			return basisPage{}, err
		}
		page.rows = unionBasis(page.rows, again.rows)
		if p.hasHoles(w, page.rows) {
			p.b.logger.Info("gap confirmed by a second request", "series", p.key, "window_from", w.From, "window_to", w.To)
		}
	}
	if first := page.rows[0].Timestamp; first.After(w.From) {
		before, err := p.fetch(ctx, data.Span{From: w.From, To: first.Add(-p.step)})
		if err != nil {
			return basisPage{}, err
		}
		page.rows = unionBasis(before.rows, page.rows)
		page.emptyBefore = !before.tooOld && len(before.rows) == 0 || before.emptyBefore
		page.refusedBefore = before.tooOld || before.refusedBefore
	}
	if last := page.rows[len(page.rows)-1].Timestamp; last.Before(w.To) && last.Before(p.settled()) {
		after, err := p.fetch(ctx, data.Span{From: last.Add(p.step), To: w.To})
		if err != nil {
			return basisPage{}, err
		}
		page.rows = unionBasis(page.rows, after.rows)
	}
	return page, nil
}

// fetchOnce sends one request for w. A window refused with -1130 is
// reported as too old. A page that has rows none of which belongs to the
// window asked (another series, outside the window, invalid) is a bad
// response: asked again, and the series fails if it persists. It never
// counts as "no rows here".
func (p *basisPager) fetchOnce(ctx context.Context, w data.Span) (basisPage, error) {
	q := binance.BasisQuery{Pair: p.key.Pair, ContractType: p.key.ContractType, Period: p.key.Period, Start: w.From, End: w.To, Limit: binance.MaxBasisLimit}
	return retryBadPages(ctx, p.b, "basis", func() (basisPage, error) {
		pts, err := p.b.src.Basis(ctx, q)
		var api *binance.APIError
		if errors.As(err, &api) && api.Code == binance.CodeInvalidParameter {
			return basisPage{tooOld: true}, nil
		}
		if err != nil {
			return basisPage{}, err
		}
		rows, fix := validateBasis(p.key, w, pts)
		if len(pts) > 0 && len(rows) == 0 {
			return basisPage{}, badPage(p.key.String(), w, len(pts), fix)
		}
		if n := fix.total(); n > 0 {
			p.res.Repaired += n
			p.b.logger.Warn("repaired a page", append([]any{"series", p.key, "window_from", w.From}, fix.logArgs()...)...)
		}
		return basisPage{rows: rows}, nil
	})
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
