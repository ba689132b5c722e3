package backtest

import (
	"strings"
	"testing"
	"time"
)

// TestClampWarnings: a window is clamped when the data start a whole
// period or more after From, or end a whole period or more before To; a
// bound inside the first or last period (a --from between grid points) or
// an open end is not (by hand, on hourly points from 00:00 to 23:00).
func TestClampWarnings(t *testing.T) {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var times []time.Time
	for h := range 24 {
		times = append(times, day.Add(time.Duration(h)*time.Hour))
	}
	cases := []struct {
		from, to time.Time
		want     []string
	}{
		{want: nil},
		{from: day, to: day.Add(23 * time.Hour), want: nil},
		{from: day.Add(-59 * time.Minute), to: day.Add(23*time.Hour + 59*time.Minute), want: nil},
		{from: day.Add(-time.Hour), want: []string{"starts 2025-12-31T23:00:00Z, but the lake's data start 2026-01-01T00:00:00Z (1 hour later)"}},
		{from: day.AddDate(0, 0, -3), to: day.AddDate(0, 0, 2), want: []string{"(3.0 days later): the run starts there, clamped to the data",
			"the window asked ends 2026-01-03T00:00:00Z, but the lake's data end 2026-01-01T23:00:00Z (25 hours earlier): the run ends there, clamped to the data"}},
	}
	for i, c := range cases {
		got := ClampWarnings(Spec{Symbol: "BTCUSDT", Period: "1h", Contract: "PERPETUAL", From: c.from, To: c.to}, times)
		if len(got) != len(c.want) {
			t.Errorf("case %d: %q, want %d warnings", i, got, len(c.want))
			continue
		}
		for k := range got {
			if !strings.HasPrefix(got[k], "BTCUSDT PERPETUAL 1h: ") || !strings.Contains(got[k], c.want[k]) {
				t.Errorf("case %d: %q, want it to hold %q", i, got[k], c.want[k])
			}
		}
	}
}
