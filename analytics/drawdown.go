package analytics

import "time"

// Drawdown is the deepest fall of equity from a running peak.
type Drawdown struct {
	// Max is min over t of E_t / max_{s≤t} E_s − 1 (≤ 0); null when the
	// equity never falls below a previous peak.
	Max Value `json:"max"`
	// Peak, Trough and Recovery are when the peak before the trough was
	// set, when the trough came, and when equity first regained the peak
	// (nil if it never did).
	Peak     *time.Time `json:"peak"`
	Trough   *time.Time `json:"trough"`
	Recovery *time.Time `json:"recovery"`
	// Duration runs from the peak to the recovery, or to the end of the
	// window when there is none.
	Duration time.Duration `json:"-"`
	// DurationDays is Duration in days.
	DurationDays Value `json:"duration_days"`
}

// Drawdowns returns E_t / max_{s≤t} E_s − 1 at every point: the drawdown
// of a curve from its first value.
func Drawdowns(equity []float64) []float64 {
	if len(equity) == 0 {
		return []float64{}
	}
	return DrawdownsFrom(equity, equity[0])
}

// DrawdownsFrom returns E_t / max(C, max_{s≤t} E_s) − 1 at every point: the
// drawdown of a run's equity from its capital C, the first peak (a run
// that has lost its entry's costs is in drawdown from C).
func DrawdownsFrom(equity []float64, capital float64) []float64 {
	out := make([]float64, len(equity))
	peak := capital
	for i, e := range equity {
		if e > peak {
			peak = e
		}
		out[i] = e/peak - 1
	}
	return out
}

// MaxDrawdown finds the deepest drawdown of a curve from its first value,
// and its duration: MaxDrawdownFrom(times, equity, E_0).
func MaxDrawdown(times []time.Time, equity []float64) Drawdown {
	if len(equity) == 0 {
		return Drawdown{}
	}
	return MaxDrawdownFrom(times, equity, equity[0])
}

// MaxDrawdownFrom finds the deepest drawdown of a run's equity from its
// capital C, and its duration:
//
//	max drawdown = min_t E_t / max(C, max_{s≤t} E_s) − 1,
//
// the peak at C dated at the window's first grid time t_0 (the capital
// stands there before the entry), recovered at the first point after the
// trough where equity is back at the peak. A run that loses its entry's
// costs and never regains them is in drawdown from t_0 to the end.
func MaxDrawdownFrom(times []time.Time, equity []float64, capital float64) Drawdown {
	peak, peakIdx, worst, worstPeak, worstTrough := capital, 0, 0.0, -1, -1
	worstPeakValue := capital
	for i, e := range equity {
		if e > peak {
			peak, peakIdx = e, i
		}
		if dd := e/peak - 1; dd < worst {
			worst, worstPeak, worstTrough, worstPeakValue = dd, peakIdx, i, peak
		}
	}
	if worstTrough < 0 {
		return Drawdown{}
	}
	recovery := -1
	for i := worstTrough + 1; i < len(equity); i++ {
		if equity[i] >= worstPeakValue {
			recovery = i
			break
		}
	}
	return DrawdownAt(times, worst, worstPeak, worstTrough, recovery)
}

// DrawdownAt is the Drawdown of depth (< 0) from the peak at index
// peak to the trough at trough, recovered at recovery (−1: not within
// times): for callers that found the indexes themselves, in one pass with
// other statistics (strategy.EquityStatsOf). trough < 0 means no drawdown.
func DrawdownAt(times []time.Time, depth float64, peak, trough, recovery int) Drawdown {
	var d Drawdown
	if trough < 0 {
		return d
	}
	d.Max = Of(depth)
	pk, tr := times[peak], times[trough]
	d.Peak, d.Trough = &pk, &tr
	end := times[len(times)-1]
	if recovery >= 0 {
		rec := times[recovery]
		d.Recovery, end = &rec, rec
	}
	d.Duration = end.Sub(pk)
	d.DurationDays = Of(d.Duration.Hours() / 24)
	return d
}
