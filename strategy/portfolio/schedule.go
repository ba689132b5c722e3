package portfolio

import (
	"sort"
	"time"
)

// rebalancePoints are the book grid indexes where the book rebalances
// (spec point 3): the first point; for every positive multiple x of
// s.Every since the Unix epoch, and with s.OnFunding every funding instant
// of any member, the first point at or after x. The book's last point is
// left out: its action is the close (step e).
func rebalancePoints(times []time.Time, s Schedule, u *Universe) []int {
	n := len(times)
	due := make([]bool, n)
	due[0] = true
	if s.Every > 0 {
		// A multiple of Every lies in (t[k−1], t[k]] exactly when the
		// multiples at or before t[k] outnumber those at or before t[k−1].
		every := int64(s.Every)
		for k := 1; k < n; k++ {
			if floorDiv(times[k].UnixNano(), every) > floorDiv(times[k-1].UnixNano(), every) {
				due[k] = true
			}
		}
	}
	if s.OnFunding {
		for _, mem := range u.Members {
			for _, ev := range mem.Market.Funding {
				k := sort.Search(n, func(k int) bool { return !times[k].Before(ev.Instant) })
				if k < n {
					due[k] = true
				}
			}
		}
	}
	var points []int
	for k := range n - 1 {
		if due[k] {
			points = append(points, k)
		}
	}
	return points
}

// floorDiv is ⌊a/b⌋ for b > 0, also for negative a.
func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}
