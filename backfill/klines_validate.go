package backfill

import (
	"slices"
	"time"

	"github.com/carry-research/carry/data"
)

// validateKlines keeps the candles of a page that open inside the asked
// window, on the interval's grid, valid (data.KlineRow.Validate: a
// "wrong symbol" candle, which names no symbol, shows as one of another
// interval), once each, in time order; everything else is counted.
func validateKlines(key data.KlineKey, w data.Span, raw []data.KlineRow) ([]data.KlineRow, repairs) {
	fix := repairs{}
	step := key.Interval.Duration().Milliseconds()
	byTime := map[int64]data.KlineRow{}
	for _, r := range raw {
		ms := r.OpenTime.UnixMilli()
		switch {
		case r.OpenTime.Before(w.From) || r.OpenTime.After(w.To):
			fix.add("dropped_outside_window")
		case ms%step != 0:
			fix.add("dropped_off_grid")
		case r.Validate(key.Kind, key.Interval) != nil:
			fix.add("dropped_invalid")
		default:
			if prev, dup := byTime[ms]; dup {
				if prev != r {
					fix.add("dropped_conflicting_duplicate")
				} else {
					fix.add("dropped_duplicate")
				}
				continue
			}
			byTime[ms] = r
		}
	}
	out := make([]data.KlineRow, 0, len(byTime))
	for _, r := range byTime {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b data.KlineRow) int { return a.OpenTime.Compare(b.OpenTime) })
	if !slices.IsSortedFunc(raw, func(a, b data.KlineRow) int { return a.OpenTime.Compare(b.OpenTime) }) {
		fix.add("sorted")
	}
	return out, fix
}

// klineHoles reports whether candles are missing between a page's first
// and last candle.
func klineHoles(rows []data.KlineRow, iv time.Duration) bool {
	for i := 1; i < len(rows); i++ {
		if rows[i].OpenTime.Sub(rows[i-1].OpenTime) != iv {
			return true
		}
	}
	return false
}

// unionKlines merges two answers for the same window by open time.
func unionKlines(a, b []data.KlineRow) []data.KlineRow {
	byTime := map[int64]data.KlineRow{}
	for _, r := range append(slices.Clone(a), b...) {
		if _, ok := byTime[r.OpenTime.UnixMilli()]; !ok {
			byTime[r.OpenTime.UnixMilli()] = r
		}
	}
	out := make([]data.KlineRow, 0, len(byTime))
	for _, r := range byTime {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b data.KlineRow) int { return a.OpenTime.Compare(b.OpenTime) })
	return out
}
