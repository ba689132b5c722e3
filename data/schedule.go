package data

import (
	"slices"
	"time"
)

// Gap is a run of missing points inside a series: the expected points from
// From to To inclusive are absent. Gaps are reported, never filled.
type Gap struct {
	From    time.Time `json:"from"`
	To      time.Time `json:"to"`
	Missing int       `json:"missing"`
}

// binanceIntervals are the funding intervals (hours) Binance schedules.
var binanceIntervals = []int{1, 2, 4, 8}

// DefaultFundingIntervalHours is the interval of every symbol that
// /fapi/v1/fundingInfo does not list.
const DefaultFundingIntervalHours = 8

// InferFundingSchedule sets FundingIntervalHours on every row of a symbol's
// funding history (sorted by time, as the lake keeps it) and returns the gaps
// in its regular schedule. fallback is the interval to assume where the
// history says nothing (a lone event): the current one from fundingInfo, or 8.
//
// For a regular event whose gap g (whole hours between nominal instants) to
// the previous regular event is known, with p the interval in force before it
// and n the gap after it:
//
//   - g ∈ {1,2,4,8}: the interval is g, unless g is a multiple k>1 of p and
//     the schedule returns to p afterwards (n = p): then k−1 events of a
//     p-hour schedule are missing and the interval stays p.
//   - otherwise: if g < n the event ends a short transition period between
//     two schedules (seen on Binance: 1h → 4h via a 3h period) and its
//     interval is g; if not, events are missing from an n-hour schedule
//     (round(g/n) − 1 of them) and the interval is n.
//
// The first regular event takes the interval of the next; Special events
// (extra settlements off the schedule) take the interval in force and are
// ignored for the schedule.
func InferFundingSchedule(rows []FundingRow, fallback int) []Gap {
	if fallback <= 0 {
		fallback = DefaultFundingIntervalHours
	}
	var regular []int
	for i, r := range rows {
		if r.RateType != Special {
			regular = append(regular, i)
		}
	}
	gapHours := func(k int) int { // gap before regular[k], k ≥ 1
		d := rows[regular[k]].Instant().Sub(rows[regular[k-1]].Instant())
		return int(d.Round(time.Hour) / time.Hour)
	}
	var gaps []Gap
	interval := make([]int, len(regular))
	for k := range regular {
		if k == 0 {
			continue
		}
		g := gapHours(k)
		p := 0
		if k >= 2 {
			p = interval[k-1]
		}
		n := 0
		if k+1 < len(regular) {
			n = gapHours(k + 1)
		}
		h, missing := classifyGap(g, p, n)
		if h <= 0 {
			h = fallback
		}
		interval[k] = h
		if missing > 0 {
			prev := rows[regular[k-1]].Instant()
			next := rows[regular[k]].Instant()
			step := time.Duration(h) * time.Hour
			gaps = append(gaps, Gap{From: prev.Add(step), To: next.Add(-step), Missing: missing})
		}
	}
	if len(regular) > 1 {
		interval[0] = interval[1]
	} else if len(regular) == 1 {
		interval[0] = fallback
	}
	inForce := fallback
	if len(interval) > 0 {
		inForce = interval[0]
	}
	k := 0
	for i := range rows {
		if k < len(regular) && regular[k] == i {
			inForce = interval[k]
			rows[i].FundingIntervalHours = inForce
			k++
			continue
		}
		rows[i].FundingIntervalHours = inForce
	}
	return gaps
}

// classifyGap returns the interval of an event after a gap of g hours, given
// the interval p in force before (0 if unknown) and the next gap n (0 if
// none), and how many events are missing in between.
func classifyGap(g, p, n int) (interval, missing int) {
	if g <= 0 {
		return p, 0
	}
	if slices.Contains(binanceIntervals, g) {
		if p > 0 && g > p && g%p == 0 && n == p {
			return p, g/p - 1
		}
		return g, 0
	}
	if !slices.Contains(binanceIntervals, n) {
		n = p
	}
	if n <= 0 {
		// Nothing to compare with: the largest schedule that fits.
		for _, h := range slices.Backward(binanceIntervals) {
			if g%h == 0 {
				return h, g/h - 1
			}
		}
		return g, 0
	}
	if g < n {
		return g, 0
	}
	return n, int((float64(g)/float64(n))+0.5) - 1
}

// BasisGaps returns the runs of missing periods in sorted basis timestamps.
func BasisGaps(times []time.Time, period Period) []Gap { return gridGaps(times, period.Duration()) }

// KlineGaps lists the candles missing from sorted open times of interval
// iv: consecutive candles more than one interval apart.
func KlineGaps(times []time.Time, iv Interval) []Gap { return gridGaps(times, iv.Duration()) }

// gridGaps lists the points missing from sorted times on a grid of step.
func gridGaps(times []time.Time, step time.Duration) []Gap {
	var gaps []Gap
	for i := 1; i < len(times); i++ {
		d := times[i].Sub(times[i-1])
		if d > step {
			gaps = append(gaps, Gap{
				From:    times[i-1].Add(step),
				To:      times[i].Add(-step),
				Missing: int(d/step) - 1,
			})
		}
	}
	return gaps
}
