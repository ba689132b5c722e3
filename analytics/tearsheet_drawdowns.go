package analytics

import (
	"math"
	"slices"
	"time"
)

// DrawdownPeriod is one spell under water: from a peak until equity is
// back at it (or the window ends).
type DrawdownPeriod struct {
	// Depth is min over the spell of E_t / E_peak − 1 (< 0).
	Depth Value `json:"depth"`
	// Start is the peak: the last time equity stood at it before falling.
	Start time.Time `json:"start"`
	// Trough is when the depth was reached (the first time, if twice).
	Trough time.Time `json:"trough"`
	// Recovery is the first time equity was back at the peak; null when
	// the window ended under water.
	Recovery *time.Time `json:"recovery"`
	// Days runs from Start to Recovery, or to the window's end: (t − start)/24h.
	Days float64 `json:"days"`
}

// DrawdownPeriods are the spells of equity below its running peak, in time
// order. A spell starts at the peak P = E_s (the last point with
// E_s = max_{j≤s} E_j before a fall), holds the points with E_t < P, and
// ends at the first t with E_t ≥ P (its recovery); the last one may not
// end. Depth is min E_t/P − 1 over the spell.
func DrawdownPeriods(times []time.Time, equity []float64) []DrawdownPeriod {
	if len(times) != len(equity) || len(equity) == 0 {
		return nil
	}
	var out []DrawdownPeriod
	peak, trough, in := 0, 0, false
	end := times[len(times)-1]
	closeAt := func(rec int) {
		d := DrawdownPeriod{Depth: Of(equity[trough]/equity[peak] - 1), Start: times[peak], Trough: times[trough]}
		until := end
		if rec >= 0 {
			r := times[rec]
			d.Recovery, until = &r, r
		}
		d.Days = until.Sub(d.Start).Hours() / 24
		out = append(out, d)
	}
	for i, e := range equity {
		switch {
		case !in && e >= equity[peak]:
			peak = i
		case !in:
			in, trough = true, i
		case e >= equity[peak]:
			closeAt(i)
			in, peak = false, i
		case e < equity[trough]:
			trough = i
		}
	}
	if in {
		closeAt(-1)
	}
	return out
}

// WorstDrawdowns are the n deepest DrawdownPeriods, deepest first (the
// earlier of equal depths first).
func WorstDrawdowns(times []time.Time, equity []float64, n int) []DrawdownPeriod {
	ps := DrawdownPeriods(times, equity)
	slices.SortStableFunc(ps, func(a, b DrawdownPeriod) int {
		switch {
		case a.Depth.V < b.Depth.V:
			return -1
		case a.Depth.V > b.Depth.V:
			return 1
		}
		return 0
	})
	if len(ps) > n {
		ps = ps[:n]
	}
	return ps
}

// TimeUnderWater is the share of the points after the first that are below
// the running peak, and the longest spell under water in days:
//
//	share   = #{k ≥ 1 : E_k < max_{j<k} E_j} / (n − 1)
//	longest = max over DrawdownPeriods of Days
//
// On daily equity (DailyEquity) the share is of days (partial first and
// last days count as days). Share null for fewer than two points; longest
// 0 when equity never falls.
func TimeUnderWater(times []time.Time, equity []float64) (share, longestDays Value) {
	if len(equity) < 2 || len(times) != len(equity) {
		return Null, Null
	}
	under, peak := 0, equity[0]
	for _, e := range equity[1:] {
		if e < peak {
			under++
		}
		peak = math.Max(peak, e)
	}
	longest := 0.0
	for _, p := range DrawdownPeriods(times, equity) {
		longest = math.Max(longest, p.Days)
	}
	return Of(float64(under) / float64(len(equity)-1)), Of(longest)
}

// UlcerIndex is the root mean square of the drawdowns from the running
// peak over the points after the first (as fractions: 0.01 is 1 %):
//
//	UI = √( Σ_{k=1}^{n−1} d_k² / (n − 1) ),  d_k = E_k / max_{j≤k} E_j − 1
//
// Null for fewer than two points.
func UlcerIndex(equity []float64) Value {
	if len(equity) < 2 {
		return Null
	}
	dd := Drawdowns(equity)
	var sum float64
	for _, d := range dd[1:] {
		sum += d * d
	}
	return Of(math.Sqrt(sum / float64(len(dd)-1)))
}

// RecoveryFactor is the total return over the deepest drawdown:
//
//	(E_last / E_0 − 1) / |min_k d_k|,  d_k = E_k / max_{j≤k} E_j − 1
//
// With DailyEquity, E_0 is the capital C. Null when equity never falls.
func RecoveryFactor(equity []float64) Value {
	if len(equity) < 2 {
		return Null
	}
	worst := slices.Min(Drawdowns(equity))
	if worst >= 0 {
		return Null
	}
	return Of((equity[len(equity)-1]/equity[0] - 1) / math.Abs(worst))
}
