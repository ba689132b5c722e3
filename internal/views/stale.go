package views

import "time"

// StaleAfter is how many funding intervals (funding) or periods (basis)
// the newest row may be old before a view calls its data stale.
const StaleAfter = 2

// fundingStale: the newest funding row is older than StaleAfter intervals
// at now.
func fundingStale(now, newest time.Time, intervalHours int) bool {
	return olderThan(now, newest, StaleAfter*time.Duration(intervalHours)*time.Hour)
}

// basisStale: the newest basis row is older than StaleAfter periods at now.
func basisStale(now, newest time.Time, period time.Duration) bool {
	return olderThan(now, newest, StaleAfter*period)
}

func olderThan(now, t time.Time, d time.Duration) bool {
	return !t.IsZero() && d > 0 && now.Sub(t) > d
}
