package sweep

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/strategy/portfolio"
)

// splitUniverse cuts a universe for the out-of-sample check at the
// split's instant (a fraction of the book's span, the union of its
// members' grids): each member's grid points ≤ the cut in-sample, those
// after it out of sample, a member with fewer than 2 points on a side
// left out of that side. An in-sample part is never delisted (its data
// goes on after the cut).
func splitUniverse(u *portfolio.Universe, s *Split) (in, out *portfolio.Universe, err error) {
	var first, last time.Time
	for _, m := range u.Members {
		t := m.Market.Times
		if first.IsZero() || t[0].Before(first) {
			first = t[0]
		}
		if last.IsZero() || t[len(t)-1].After(last) {
			last = t[len(t)-1]
		}
	}
	// On a grid point (the latest at or before the cut): the parts are
	// the same, and the instant reads as the data's.
	at := gridPointAtOrBefore(u, s.cut([]time.Time{first, last}))
	in, out = &portfolio.Universe{}, &portfolio.Universe{}
	for _, m := range u.Members {
		if a := memberBetween(m, time.Time{}, at, true); a != nil {
			a.Delisted = false
			in.Members = append(in.Members, *a)
		}
		if b := memberBetween(m, at, time.Time{}, false); b != nil {
			out.Members = append(out.Members, *b)
		}
	}
	if len(in.Members) == 0 || len(out.Members) == 0 {
		return nil, nil, fmt.Errorf("the split at %s leaves no member with 2 grid points on one side", stamp(at))
	}
	return in, out, nil
}

// memberBetween is m's grid points from `from` (inclusive when
// withFrom, else after it; zero: the start) to `to` (inclusive; zero: the
// end), its funding events all kept; nil when fewer than two.
func memberBetween(m portfolio.Member, from, to time.Time, withFrom bool) *portfolio.Member {
	mk := m.Market
	lo := 0
	for !from.IsZero() && lo < len(mk.Times) && (mk.Times[lo].Before(from) || (!withFrom && mk.Times[lo].Equal(from))) {
		lo++
	}
	hi := lo
	for hi < len(mk.Times) && (to.IsZero() || !mk.Times[hi].After(to)) {
		hi++
	}
	if hi-lo < 2 {
		return nil
	}
	part := m
	part.Market = marketPart(mk, lo, hi)
	if m.QuoteVolume != nil {
		part.QuoteVolume = m.QuoteVolume[lo:hi]
	}
	if hi < len(mk.Times) {
		part.Delisted = false // the data goes on after the part
	}
	return &part
}
