package book

import (
	"slices"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// span is the first and last time of a symbol's data.
type span struct{ first, last time.Time }

func (s span) union(o span) span {
	if s.first.IsZero() {
		return o
	}
	if o.first.Before(s.first) {
		s.first = o.first
	}
	if o.last.After(s.last) {
		s.last = o.last
	}
	return s
}

// within is how long the span lasts inside [from, to] (zero: open);
// negative when it does not meet it.
func (s span) within(from, to time.Time) time.Duration {
	if !from.IsZero() && from.After(s.first) {
		s.first = from
	}
	if !to.IsZero() && to.Before(s.last) {
		s.last = to
	}
	return s.last.Sub(s.first)
}

// meets reports whether the span intersects [from, to] (zero: open).
func (s span) meets(from, to time.Time) bool {
	return (from.IsZero() || !s.last.Before(from)) && (to.IsZero() || !s.first.After(to))
}

// extents are what the lake's series footers say of each symbol's data,
// read once for the whole universe.
type extents struct {
	// klines and basis span each symbol's futures candles of the period's
	// interval and its perpetual basis of the period: the member's prices.
	klines, basis map[string]span
	// perpetual spans each symbol's funding and futures candles of any
	// interval: what makes it a perpetual of the lake (all-history).
	perpetual map[string]span
}

func newExtents(st []lake.SeriesStatus, period data.Period) *extents {
	ex := &extents{klines: map[string]span{}, basis: map[string]span{}, perpetual: map[string]span{}}
	add := func(m map[string]span, sym string, s span) { m[sym] = m[sym].union(s) }
	for _, s := range st {
		if s.Failed() || s.First == nil || s.Last == nil {
			continue // unreadable or empty: backtest.Load says why if it matters
		}
		sp := span{*s.First, *s.Last}
		switch {
		case s.Dataset == lake.DatasetFunding:
			add(ex.perpetual, s.Symbol, sp)
		case s.Dataset == lake.DatasetKlines && s.Kind == data.KlineFutures && !strings.Contains(s.Symbol, "_"): // not a delivery contract's
			add(ex.perpetual, s.Symbol, sp)
			if string(s.Interval) == string(period) {
				add(ex.klines, s.Symbol, sp)
			}
		case s.Dataset == lake.DatasetBasis && s.ContractType == data.Perpetual && s.Period == period:
			add(ex.basis, s.Pair, sp)
		}
	}
	return ex
}

// perpetualsMeeting lists the perpetuals whose data meets [from, to],
// sorted.
func (ex *extents) perpetualsMeeting(from, to time.Time) []string {
	var out []string
	for sym, s := range ex.perpetual {
		if s.meets(from, to) {
			out = append(out, sym)
		}
	}
	slices.Sort(out)
	return out
}

// newestBesides is the latest time of any other symbol's perpetual data:
// how far the lake reaches.
func (ex *extents) newestBesides(symbol string) time.Time {
	var newest time.Time
	for _, m := range []map[string]span{ex.perpetual, ex.basis} {
		for sym, s := range m {
			if sym != symbol && s.last.After(newest) {
				newest = s.last
			}
		}
	}
	return newest
}

// firstData is the first time the lake has any data of the symbol's
// perpetual (funding, futures candles of any interval, its basis): its
// listing as far as the lake knows, which a book's minimum history counts
// from (portfolio.Member.Since). Never after first, the member's first
// grid point: the window may start after the listing, not before.
func (ex *extents) firstData(sym string, first time.Time) time.Time {
	since := first
	for _, m := range []map[string]span{ex.perpetual, ex.basis, ex.klines} {
		if s, ok := m[sym]; ok && s.first.Before(since) {
			since = s.first
		}
	}
	return since
}
