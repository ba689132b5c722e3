package backfill

import (
	"time"
)

// ceilGrid is the first multiple of step at or after t.
func ceilGrid(t time.Time, step time.Duration) time.Time {
	f := t.Truncate(step)
	if f.Before(t) {
		f = f.Add(step)
	}
	return f
}
