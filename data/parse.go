package data

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// The project's one reading of times and durations as people write them:
// every command's flags and a sweep's grid go through ParseTime, ParseDate
// and ParseDuration.

// EarliestHistory is the oldest instant "max" stands for: Binance USDⓈ-M
// perpetuals began trading in September 2019.
var EarliestHistory = time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC)

// ParseDate reads an absolute time: a date ("2026-01-01", UTC midnight) or
// an RFC 3339 instant, in UTC. Grids take only these: their windows are part
// of every combination's id, so they cannot move with the clock.
func ParseDate(s string) (time.Time, error) {
	// Read in UTC unless they carry an offset.
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q: want a date (2026-01-01) or RFC 3339", s)
}

// ParseTime reads a time relative to now: "max" (EarliestHistory), "now", a
// whole count of minutes, hours, days or weeks back ("90m", "12h", "30d",
// "2w"; beyond a Duration's 292 years it saturates rather than wrap
// around), or ParseDate's forms.
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
	if t, err := ParseDate(s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid time %q: want max, now, a duration back such as 30d or 12h, a date such as 2024-01-01, or an RFC 3339 time", s)
}

const day = 24 * time.Hour

// parseAgo reads a duration back: a whole count (1.5d is no time back) of
// one unit.
func parseAgo(s string) (time.Duration, bool) {
	if len(s) < 2 {
		return 0, false
	}
	var unit time.Duration
	switch s[len(s)-1] {
	case 'm':
		unit = time.Minute
	case 'h':
		unit = time.Hour
	case 'd':
		unit = day
	case 'w':
		unit = 7 * day
	default:
		return 0, false
	}
	n, err := strconv.Atoi(s[:len(s)-1])
	if err != nil {
		return 0, false
	}
	d, err := scale(decimal.NewFromInt(int64(n)), unit)
	if err != nil {
		// Beyond a Duration (292 years): saturate rather than wrap around.
		if n < 0 {
			return -math.MaxInt64, true
		}
		return math.MaxInt64, true
	}
	return d, true
}

// ErrDurationRange is a duration beyond time.Duration's ±292 years.
var ErrDurationRange = errors.New("beyond ±106751d (292 years)")

// ParseDuration reads a duration: a Go duration ("72h", "1h30m") or a
// decimal number of days ("14d", "1.5d"), exactly (no float rounding).
func ParseDuration(s string) (time.Duration, error) {
	days, ok := strings.CutSuffix(s, "d")
	if !ok {
		return time.ParseDuration(s)
	}
	n, err := decimal.NewFromString(days)
	if err != nil {
		return 0, fmt.Errorf("%q: not a number of days", s)
	}
	d, err := scale(n, day)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", s, err)
	}
	return d, nil
}

// scale is n units as a Duration, truncated toward zero to a nanosecond.
func scale(n decimal.Decimal, unit time.Duration) (time.Duration, error) {
	ns := n.Mul(decimal.NewFromInt(int64(unit)))
	if ns.Abs().GreaterThan(decimal.NewFromInt(math.MaxInt64)) {
		return 0, ErrDurationRange
	}
	return time.Duration(ns.IntPart()), nil
}
