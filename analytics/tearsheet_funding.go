package analytics

import "time"

// FundingHitRate is the share of funding settlements the position gained
// from: #{p_i > 0} / n over the payments p (signed from the position's
// view, positive = received). Null without payments.
func FundingHitRate(payments []float64) Value {
	if len(payments) == 0 {
		return Null
	}
	hits := 0
	for _, p := range payments {
		if p > 0 {
			hits++
		}
	}
	return Of(float64(hits) / float64(len(payments)))
}

// RollingFundingAPR is, at each funding event k, the simple annual rate the
// events of the trailing window W add up to (365-day calendar):
//
//	APR_k = Σ_{j : τ_k − W < τ_j ≤ τ_k} rate_j · 365 days / W
//
// times ascending. Whatever the events' intervals, it is what a position
// of constant size collected over the window, per year. Null at events
// with τ_k − W before start (the window reaches before the data).
func RollingFundingAPR(times []time.Time, rates []float64, window time.Duration, start time.Time) []Value {
	out := make([]Value, len(times))
	if window <= 0 || len(rates) != len(times) {
		return out
	}
	perYear := DaysPerYear * 24 * float64(time.Hour) / float64(window)
	j, sum := 0, 0.0
	for k, t := range times {
		sum += rates[k]
		for j <= k && !times[j].After(t.Add(-window)) {
			sum -= rates[j]
			j++
		}
		if !t.Add(-window).Before(start) {
			out[k] = Of(sum * perYear)
		}
	}
	return out
}
