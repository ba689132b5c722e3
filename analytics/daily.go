package analytics

import "time"

// DailyIndices are where a curve over times is read at each 00:00 UTC: for
// each midnight m with times[0] < m ≤ times[n−1], the index of the last
// grid point at or before m, then n−1 when times[n−1] is not a midnight
// (the last, partial day); ends are the matching times (the midnights,
// then times[n−1]). Equity after grid point i is the curve's value at
// times[i], so idx[k] is the equity at the k-th day's end. Times must be
// ascending; a window within one day gives [n−1], an empty one nil.
func DailyIndices(times []time.Time) (idx []int, ends []time.Time) {
	n := len(times)
	if n == 0 {
		return nil, nil
	}
	last := times[n-1]
	i := 0
	for m := nextMidnight(times[0]); !m.After(last); m = m.AddDate(0, 0, 1) {
		for i+1 < n && !times[i+1].After(m) {
			i++
		}
		idx, ends = append(idx, i), append(ends, m)
	}
	if !isMidnight(last) || len(idx) == 0 {
		idx, ends = append(idx, n-1), append(ends, last.UTC())
	}
	return idx, ends
}

// DailyEquity samples an equity curve at each 00:00 UTC, starting from the
// capital C at the window's first grid time (the entry's costs are in the
// first day's return):
//
//	days[0] = times[0], values[0] = C;
//	days[k], values[k] = the k-th day's end and the equity there, k ≥ 1
//	(DailyIndices: each midnight after times[0], then times[n−1] when it
//	is not a midnight).
//
// Daily returns are values[k]/values[k−1] − 1 (Returns(values)); 365 of
// them make a year. Partial first and last days are days: the daily
// returns compound to the window's total return.
func DailyEquity(times []time.Time, equity []float64, capital float64) (days []time.Time, values []float64) {
	if len(times) == 0 || len(times) != len(equity) {
		return nil, nil
	}
	idx, ends := DailyIndices(times)
	days = append(make([]time.Time, 0, len(idx)+1), times[0].UTC())
	values = append(make([]float64, 0, len(idx)+1), capital)
	for k, i := range idx {
		days, values = append(days, ends[k]), append(values, equity[i])
	}
	return days, values
}

// nextMidnight is the first 00:00 UTC strictly after t.
func nextMidnight(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
}

func isMidnight(t time.Time) bool {
	t = t.UTC()
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}
