package data

import "time"

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

func hour(h int) time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
}
