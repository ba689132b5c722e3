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

// Drawdowns returns E_t / max_{s≤t} E_s − 1 at every point.
func Drawdowns(equity []float64) []float64 {
	out := make([]float64, len(equity))
	peak := 0.0
	for i, e := range equity {
		if i == 0 || e > peak {
			peak = e
		}
		out[i] = e/peak - 1
	}
	return out
}

// MaxDrawdown finds the deepest drawdown and its duration.
func MaxDrawdown(times []time.Time, equity []float64) Drawdown {
	var d Drawdown
	peakIdx, worst, worstPeak, worstTrough := 0, 0.0, -1, -1
	for i, e := range equity {
		if e > equity[peakIdx] {
			peakIdx = i
		}
		if dd := e/equity[peakIdx] - 1; dd < worst {
			worst, worstPeak, worstTrough = dd, peakIdx, i
		}
	}
	if worstTrough < 0 {
		return d
	}
	recovery := -1
	for i := worstTrough + 1; i < len(equity); i++ {
		if equity[i] >= equity[worstPeak] {
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
