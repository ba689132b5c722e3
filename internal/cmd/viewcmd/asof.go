package viewcmd

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// clockOf is the factory's clock, time.Now when it has none.
func clockOf(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// printAsOf writes how old the data shown is: "As of 2026-03-01 23:00 UTC
// (the newest row shown, 7h ago)." and, when some of it is stale, which
// and why.
func printAsOf(w io.Writer, newest, now time.Time, stale []string, why string) {
	if newest.IsZero() {
		return
	}
	fmt.Fprintf(w, "As of %s UTC (the newest row shown, %s ago).\n", newest.UTC().Format("2006-01-02 15:04"), age(now.Sub(newest)))
	if len(stale) > 0 {
		fmt.Fprintf(w, "STALE: %s (%s); refresh with carry backfill.\n", strings.Join(stale, ", "), why)
	}
}

// age is a duration as people read ages: 45m, 7h, 7h30m, 3d4h.
func age(d time.Duration) string {
	d = max(0, d.Round(time.Minute))
	days, hours, minutes := int(d/(24*time.Hour)), int(d%(24*time.Hour)/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case days > 0 && hours > 0:
		return fmt.Sprintf("%dd%dh", days, hours)
	case days > 0:
		return fmt.Sprintf("%dd", days)
	case hours > 0 && minutes > 0:
		return fmt.Sprintf("%dh%02dm", hours, minutes)
	case hours > 0:
		return fmt.Sprintf("%dh", hours)
	}
	return fmt.Sprintf("%dm", minutes)
}
