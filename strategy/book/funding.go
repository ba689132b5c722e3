package book

import (
	"math"
	"slices"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// fundingAPRs are, per span (ends[k−1], ends[k]] (k ≥ 1), the book's
// funding received over its equity at the span's start, annualized by the
// span's length, and the median over the members with events in the span
// (and in their own window) of their events' mean annualized rate. Index
// 0, and spans without data, are NaN.
func fundingAPRs(res *portfolio.Result, ends []time.Time, equity []float64) (book, median []float64) {
	n := len(ends)
	book, median = make([]float64, n), make([]float64, n)
	for k := range n {
		book[k], median[k] = math.NaN(), math.NaN()
	}
	received := make([]float64, n)
	for _, s := range res.Settlements {
		if k := spanOf(ends, s.SettledAt); k > 0 {
			received[k] += s.Payment.InexactFloat64()
		}
	}
	for k := 1; k < n; k++ {
		days := ends[k].Sub(ends[k-1]).Hours() / 24
		if days > 0 && equity[k-1] > 0 {
			book[k] = received[k] / equity[k-1] * analytics.DaysPerYear / days
		}
	}
	// Per member and span: the sum and count of annualized rates.
	sums := make([][]float64, len(res.Universe.Members))
	counts := make([][]int, len(res.Universe.Members))
	for j, m := range res.Universe.Members {
		sums[j], counts[j] = make([]float64, n), make([]int, n)
		for _, ev := range windowEvents(m.Market) {
			if k := spanOf(ends, ev.Instant); k > 0 {
				sums[j][k] += data.AnnualizedFunding(ev.Rate, ev.IntervalHours)
				counts[j][k]++
			}
		}
	}
	means := make([]float64, 0, len(res.Universe.Members))
	for k := 1; k < n; k++ {
		means = means[:0]
		for j := range sums {
			if counts[j][k] > 0 {
				means = append(means, sums[j][k]/float64(counts[j][k]))
			}
		}
		if len(means) > 0 {
			median[k] = medianOf(means)
		}
	}
	return book, median
}

// spanOf is the k with ends[k−1] < t ≤ ends[k], or −1.
func spanOf(ends []time.Time, t time.Time) int {
	lo, hi := 1, len(ends)-1
	if hi < 1 || !t.After(ends[0]) || t.After(ends[hi]) {
		return -1
	}
	for lo < hi { // the first k with t ≤ ends[k]
		mid := (lo + hi) / 2
		if t.After(ends[mid]) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return lo
}

// windowEvents are a market's funding events with τ in its grid window.
func windowEvents(m *strategy.Market) []strategy.FundingEvent {
	first, last := m.Times[0], m.Times[len(m.Times)-1]
	var out []strategy.FundingEvent
	for _, ev := range m.Funding {
		if !ev.Instant.Before(first) && !ev.Instant.After(last) {
			out = append(out, ev)
		}
	}
	return out
}

// universeMedianAPR is the median over the members of the mean annualized
// rate of the events in each one's window (members without one left out).
func universeMedianAPR(u *portfolio.Universe) analytics.Value {
	var means []float64
	for _, m := range u.Members {
		evs := windowEvents(m.Market)
		if len(evs) == 0 {
			continue
		}
		t := 0.0
		for _, ev := range evs {
			t += data.AnnualizedFunding(ev.Rate, ev.IntervalHours)
		}
		means = append(means, t/float64(len(evs)))
	}
	if len(means) == 0 {
		return analytics.Null
	}
	return analytics.Of(medianOf(means))
}

// medianOf is the middle value of xs (non-empty), the mean of the two
// middle ones for an even count (analytics.Describe's median interpolates
// gonum's way, which for two values is the lower one). xs is sorted in
// place.
func medianOf(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
