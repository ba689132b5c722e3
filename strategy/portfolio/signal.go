package portfolio

import (
	"math"
	"math/big"
	"sort"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// annualizedRates are r_k·(24/h_k)·365 of each funding event of m, exactly
// (data.AnnualizedFundingExact, as the single-pair funding rule).
func annualizedRates(m *strategy.Market) []*big.Rat {
	out := make([]*big.Rat, len(m.Funding))
	for k, ev := range m.Funding {
		out[k] = data.AnnualizedFundingExact(data.Decimal(ev.Rate), ev.IntervalHours)
	}
	return out
}

// knownEvents is how many of m's funding events are known at t: those with
// τ ≤ t (events are sorted by τ).
func knownEvents(m *strategy.Market, t time.Time) int {
	return sort.Search(len(m.Funding), func(k int) bool { return m.Funding[k].Instant.After(t) })
}

// fundingSignal is the mean of the last n of the first known annualized
// rates, exactly; false with fewer than n known (spec point 5).
func fundingSignal(ann []*big.Rat, known, n int) (*big.Rat, bool) {
	if known < n {
		return nil, false
	}
	sum := new(big.Rat)
	for _, a := range ann[known-n : known] {
		sum.Add(sum, a)
	}
	return sum.Quo(sum, big.NewRat(int64(n), 1)), true
}

// basisSignal is the annualized basis (F/S − 1)·365 of m's grid point i,
// exactly: the value the single-pair basis rule compares for a perpetual
// (data.AnnualizedBasisExact with no delivery).
func basisSignal(m *strategy.Market, i int) *big.Rat {
	b, _ := data.AnnualizedBasisExact(data.Decimal(m.Futures[i]), data.Decimal(m.Spot[i]), m.Times[i], time.Time{})
	return b
}

// carryReturns are the returns r_i of a unit long spot / short perpetual
// over m's grid interval ending at i (spec point 7), NaN at i = 0:
//
//	r_i = ((S_i − S_{i−1}) − (F_i − F_{i−1}) + Σ rate·mark) / S_{i−1}
//
// over the events with τ in (T_{i−1}, T_i], a missing mark read as F at the
// last grid point at or before τ (as funding is settled).
func carryReturns(m *strategy.Market) []float64 {
	n := len(m.Times)
	r := make([]float64, n)
	r[0] = math.NaN()
	k := knownEvents(m, m.Times[0])
	for i := 1; i < n; i++ {
		fund := 0.0
		for ; k < len(m.Funding) && !m.Funding[k].Instant.After(m.Times[i]); k++ {
			ev := m.Funding[k]
			mark := ev.Mark.Float64
			if !ev.Mark.Valid {
				mark = m.Futures[i-1]
				if ev.Instant.Equal(m.Times[i]) {
					mark = m.Futures[i]
				}
			}
			fund += ev.Rate * mark
		}
		r[i] = ((m.Spot[i] - m.Spot[i-1]) - (m.Futures[i] - m.Futures[i-1]) + fund) / m.Spot[i-1]
	}
	return r
}

// windowStart is the first grid index of times after t − w (at least from).
func windowStart(times []time.Time, t time.Time, w time.Duration, from int) int {
	lo := t.Add(-w)
	return from + sort.Search(len(times)-from, func(i int) bool { return times[from+i].After(lo) })
}

// carryVol is the sample standard deviation (n − 1) of the carry returns
// of the grid points in (t − w, t], t = times[i]; false with fewer than two
// returns.
func carryVol(r []float64, times []time.Time, i int, w time.Duration) (float64, bool) {
	lo := windowStart(times, times[i], w, 1)
	n := i + 1 - lo
	if n < 2 {
		return 0, false
	}
	mean := 0.0
	for _, x := range r[lo : i+1] {
		mean += x
	}
	mean /= float64(n)
	ss := 0.0
	for _, x := range r[lo : i+1] {
		d := x - mean
		ss += d * d
	}
	return math.Sqrt(ss / float64(n-1)), true
}

// quoteVolume24h is the quote volume of the grid points in (t − 24h, t],
// t = times[i], NaN counted as 0.
func quoteVolume24h(qv []float64, times []time.Time, i int) float64 {
	sum := 0.0
	for _, v := range qv[windowStart(times, times[i], 24*time.Hour, 0) : i+1] {
		if !math.IsNaN(v) {
			sum += v
		}
	}
	return sum
}
