package strategy

import "math"

// EquityStats are the statistics of a run's equity that a summary needs
// from every point, taken in one pass (EquityStatsOf) instead of one walk
// each; the figures are bit for bit those of analytics.PerformanceOf and
// analytics.MaxDrawdownFrom on the same series from the same capital (a
// test holds it), so a sweep can take them from here without changing a
// number it writes.
type EquityStats struct {
	// Returns from the capital C, r_0 = E_0/C − 1 (the entry's costs), r_i
	// = E_i/E_{i−1} − 1, i = 1…n−1: their count N (= n), mean, sample
	// standard deviation SD and Down = Σ min(r_i, 0)², the variance from
	// sums shifted by r_0 (robust against cancellation):
	//
	//	mean = r_0 + Σd/N,  var = (Σd² − (Σd)²/N)/(N − 1),  d = r − r_0
	//
	// (SD = 0 for N < 2; all zero for no points).
	N              int
	Mean, SD, Down float64
	// MaxDrawdown = min_t E_t / max(C, max_{s≤t} E_s) − 1 at Trough, from
	// the peak at Peak (0 when the peak is C: the capital stands at the
	// first grid time); Recovery is the first point after Trough where E is
	// back at the peak. Trough is −1 when the equity never falls below a
	// previous peak (no drawdown: MaxDrawdown 0), Recovery −1 when it never
	// recovers.
	MaxDrawdown            float64
	Peak, Trough, Recovery int
}

// ddMargin is the relative margin of EquityStatsOf's drawdown filter: far
// above the few roundings of E_t/peak − 1 and of its bound (each ≤ 2^−53
// relative), far below any drawdown a summary shows.
const ddMargin = 1e-12

// EquityStatsOf computes the statistics of a run's equity from its capital
// in one pass, without allocating.
//
// The drawdown is compared by multiplication: E_t/peak − 1 < worst
// (rounded, as analytics computes it) implies E_t < (1 + worst)·peak, so
// the division is made only where E_t < bound, bound = (1 + worst)·peak
// widened by ddMargin, recomputed when the peak or the worst changes
// (rarely): one comparison a point, the division only near a new trough.
func EquityStatsOf(equity []float64, capital float64) EquityStats {
	s := EquityStats{Peak: -1, Trough: -1, Recovery: -1}
	if len(equity) == 0 {
		return s
	}
	var sum, sumSq, down float64
	shift := equity[0]/capital - 1
	// The capital is the first peak, dated at point 0.
	dd := ddState{peak: capital, worstPeak: -1, worstAt: -1, recAt: -1, recover: math.Inf(1)}
	dd.bound = ddBound(0, dd.peak)
	peak, bound, recover := dd.peak, dd.bound, dd.recover
	prev := capital
	for i, e := range equity {
		r := e/prev - 1
		prev = e
		d := r - shift
		sum += d
		sumSq += d * d
		// min(r, 0)² adds r² where r < 0 and an exact 0 elsewhere: the
		// sum analytics takes, without a branch on the returns' signs.
		neg := min(r, 0)
		down += neg * neg
		if e > peak || e < bound || e >= recover {
			dd.point(i, e)
			peak, bound, recover = dd.peak, dd.bound, dd.recover
		}
	}
	if dd.worstAt >= 0 {
		s.MaxDrawdown, s.Peak, s.Trough, s.Recovery = dd.worst, dd.worstPeak, dd.worstAt, dd.recAt
	}
	n := len(equity)
	s.N, s.Down = n, down
	s.Mean = shift + sum/float64(n)
	if n >= 2 {
		v := (sumSq - sum*sum/float64(n)) / float64(n-1)
		s.SD = math.Sqrt(math.Max(v, 0))
	}
	return s
}

// ddBound is (1 + worst)·peak widened by ddMargin, or +∞ (always divide)
// where that bound would not be one (peak ≤ 0, or 1 + worst ≤ 0).
func ddBound(worst, peak float64) float64 {
	c := 1 + worst
	if !(peak > 0) || !(c > 0) {
		return math.Inf(1)
	}
	return c * (1 + ddMargin) * peak
}

// ddState is EquityStatsOf's drawdown, updated (point) only at a point
// that is a new peak, below the bound, or a recovery: the loop keeps peak,
// bound and recover in registers and compares them alone.
type ddState struct {
	peak, bound, recover, worst       float64
	peakAt, worstPeak, worstAt, recAt int
}

// point is analytics.MaxDrawdownFrom's step at point i of equity e.
func (s *ddState) point(i int, e float64) {
	if e > s.peak {
		s.peakAt, s.peak = i, e
		s.bound = ddBound(s.worst, s.peak)
	}
	if e < s.bound {
		if dd := e/s.peak - 1; dd < s.worst {
			s.worst, s.worstPeak, s.worstAt, s.recAt = dd, s.peakAt, i, -1
			s.bound, s.recover = ddBound(s.worst, s.peak), s.peak
		}
	}
	if e >= s.recover {
		s.recAt, s.recover = i, math.Inf(1)
	}
}
