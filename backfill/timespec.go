package backfill

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// EarliestHistory is the oldest instant `--since max` asks for: Binance
// USDⓈ-M perpetuals began trading in September 2019.
var EarliestHistory = time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)

// ParseTime parses a --since or --until value relative to now: "max" (as far
// back as the exchange serves), "now", a duration back from now ("30d",
// "12h", "90m", "2w"), a date ("2024-01-01", UTC midnight) or an RFC 3339
// instant.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "":
		return time.Time{}, fmt.Errorf("empty time")
	case "max":
		return EarliestHistory, nil
	case "now":
		return now, nil
	}
	if d, ok := parseAgo(s); ok {
		if d <= 0 {
			return time.Time{}, fmt.Errorf("invalid time %q: the duration must be positive", s)
		}
		return now.Add(-d), nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want max, now, a duration back such as 30d or 12h, a date such as 2024-01-01, or an RFC 3339 time", s)
}

func parseAgo(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	unit := map[byte]time.Duration{'m': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit == 0 {
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil {
		return 0, false
	}
	if limit := math.MaxInt64 / int64(unit); int64(n) > limit || int64(n) < -limit {
		// Beyond a Duration (292 years): saturate rather than wrap around.
		if n < 0 {
			return -math.MaxInt64, true
		}
		return math.MaxInt64, true
	}
	return time.Duration(n) * unit, true
}

// ceilGrid is the first multiple of step at or after t.
func ceilGrid(t time.Time, step time.Duration) time.Time {
	f := t.Truncate(step)
	if f.Before(t) {
		f = f.Add(step)
	}
	return f
}
