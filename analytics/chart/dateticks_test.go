package chart

import (
	"slices"
	"testing"
	"time"
)

// TestDateTicksCount: every span from 12 hours to 40 years, starting at
// midnight or at an odd instant, gets 5–8 ticks inside the span, evenly
// spaced in their unit and increasing.
func TestDateTicksCount(t *testing.T) {
	starts := []time.Time{
		time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2021, 7, 13, 5, 17, 0, 0, time.UTC),
		time.Date(2019, 12, 31, 23, 0, 0, 0, time.UTC),
	}
	for _, from := range starts {
		for h := 12.0; h <= 40*365*24; h *= 1.05 {
			span := time.Duration(h) * time.Hour
			to := from.Add(span)
			ticks := dateTicks{}.Ticks(unix(from), unix(to))
			if len(ticks) < minDateTicks || len(ticks) > maxDateTicks {
				s, _ := pickDateStep(from, to)
				t.Errorf("%s + %v: %d ticks (step %d×%d)", from.Format(time.RFC3339), span, len(ticks), s.n, s.unit)
			}
			for i, tk := range ticks {
				if tk.Value < unix(from) || tk.Value > unix(to) || (i > 0 && tk.Value <= ticks[i-1].Value) || tk.Label == "" {
					t.Fatalf("%s + %v: tick %d at %v %q", from.Format(time.RFC3339), span, i, tk.Value, tk.Label)
				}
			}
		}
	}
}

// TestDateTicksTable: the ticks of typical windows. Expected ticks by
// hand: the shortest step of the ladder whose count over the window is
// 5–8; weekdays checked with python3's datetime (2026-01-05 is a Monday).
func TestDateTicksTable(t *testing.T) {
	day := func(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }
	for _, c := range []struct {
		name     string
		from, to time.Time
		want     []string
	}{
		// 12 hours from 05:00: 1 h gives 12 ticks, 2 h gives 06:00…16:00.
		{"half a day", day(2020, 1, 1, 5), day(2020, 1, 1, 17),
			[]string{"Jan 1 06:00", "Jan 1 08:00", "Jan 1 10:00", "Jan 1 12:00", "Jan 1 14:00", "Jan 1 16:00"}},
		// A day: 1 h 25, 2 h 13, 3 h 9, 4 h 7 ticks.
		{"a day", day(2026, 3, 1, 0), day(2026, 3, 2, 0),
			[]string{"Mar 1 00:00", "Mar 1 04:00", "Mar 1 08:00", "Mar 1 12:00", "Mar 1 16:00", "Mar 1 20:00", "Mar 2 00:00"}},
		// Ten days: 12 h 21, 1 d 11, 2 d 6.
		{"ten days", day(2026, 3, 1, 0), day(2026, 3, 11, 0),
			[]string{"2026-03-01", "2026-03-03", "2026-03-05", "2026-03-07", "2026-03-09", "2026-03-11"}},
		// A month of 30 days: 2 d 16, 3 d 11, 5 d 7.
		{"a month", day(2026, 3, 1, 0), day(2026, 3, 31, 0),
			[]string{"2026-03-01", "2026-03-06", "2026-03-11", "2026-03-16", "2026-03-21", "2026-03-26", "2026-03-31"}},
		// A quarter: weekly from Monday 5 January 13, every 10 days 10,
		// fortnightly 7.
		{"a quarter", day(2026, 1, 1, 0), day(2026, 4, 1, 0),
			[]string{"2026-01-05", "2026-01-19", "2026-02-02", "2026-02-16", "2026-03-02", "2026-03-16", "2026-03-30"}},
		// A year: every 3 weeks 18, monthly 13, every 2 months 7.
		{"a year", day(2025, 1, 1, 0), day(2026, 1, 1, 0),
			[]string{"Jan 2025", "Mar 2025", "May 2025", "Jul 2025", "Sep 2025", "Nov 2025", "Jan 2026"}},
		// Five years: every 6 months 11, every 9 months (a filler) 7,
		// yearly 6: the yearly ticks, a filler being the last resort.
		{"five years", day(2021, 1, 1, 0), day(2026, 1, 1, 0),
			[]string{"2021", "2022", "2023", "2024", "2025", "2026"}},
		// 4½ years from March: every 6 months 10, yearly 4 (2027–2030),
		// so every 9 months: 7.
		{"four and a half years", day(2026, 3, 1, 0), day(2030, 9, 1, 0),
			[]string{"Mar 2026", "Dec 2026", "Sep 2027", "Jun 2028", "Mar 2029", "Dec 2029", "Sep 2030"}},
	} {
		ticks := dateTicks{}.Ticks(unix(c.from), unix(c.to))
		var got []string
		for _, tk := range ticks {
			got = append(got, tk.Label)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: ticks %q, want %q", c.name, got, c.want)
		}
	}
}
