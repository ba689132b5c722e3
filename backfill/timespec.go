package backfill

import (
	"time"

	"github.com/carry-research/carry/data"
)

// EarliestHistory is the oldest instant `--since max` asks for
// (data.ParseTime reads "max" as it).
var EarliestHistory = data.EarliestHistory

// ceilGrid is the first multiple of step at or after t.
func ceilGrid(t time.Time, step time.Duration) time.Time {
	f := t.Truncate(step)
	if f.Before(t) {
		f = f.Add(step)
	}
	return f
}
