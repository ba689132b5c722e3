package backfill

import (
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// TestParseTimeNeverWrapsAround: a duration back beyond 292 years (a
// Duration's range) saturates to the farthest instant instead of wrapping
// into a plausible recent one (213504d once read as 25 minutes ago); a
// negative one stays refused.
func TestParseTimeNeverWrapsAround(t *testing.T) {
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"106752d", "213504d", "15251w", "9223372036854775807m", "99999999999h"} {
		got, err := data.ParseTime(s, now)
		if err != nil || got.After(now.AddDate(-292, 0, 0)) {
			t.Errorf("ParseTime(%q) = %s, %v: want 292 years back", s, got, err)
		}
	}
	for _, s := range []string{"-106752d", "-213504d", "-5d"} {
		if got, err := data.ParseTime(s, now); err == nil {
			t.Errorf("ParseTime(%q) = %s, want an error", s, got)
		}
	}
}
