package backtest

import (
	"fmt"
	"time"
)

// ClampWarnings says where a run's grid (times, the grid points the lake
// holds in the window) starts or ends a whole period or more inside the
// window the spec asks for: the lake's data begin later than From, or end
// earlier than To, and the run is clamped to them. carry backtest and
// carry sweep both run the clamped window and warn of it, with these
// words, on stderr and in their reports (docs/backtest.md, "The window").
func ClampWarnings(s Spec, times []time.Time) []string {
	if len(times) == 0 {
		return nil
	}
	step := s.Period.Duration()
	first, last := times[0], times[len(times)-1]
	var out []string
	if !s.From.IsZero() && !first.Before(s.From.Add(step)) {
		out = append(out, fmt.Sprintf("%s %s %s: the window asked starts %s, but the lake's data start %s (%s later): the run starts there, clamped to the data",
			s.Symbol, s.Contract, s.Period, stampUTC(s.From), stampUTC(first), days(first.Sub(s.From))))
	}
	if !s.To.IsZero() && !last.After(s.To.Add(-step)) {
		out = append(out, fmt.Sprintf("%s %s %s: the window asked ends %s, but the lake's data end %s (%s earlier): the run ends there, clamped to the data",
			s.Symbol, s.Contract, s.Period, stampUTC(s.To), stampUTC(last), days(s.To.Sub(last))))
	}
	return out
}

func stampUTC(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// days is a duration in days, one decimal ("30.0 days"), or under two
// days in hours ("1 hour", "36 hours").
func days(d time.Duration) string {
	if d < 48*time.Hour {
		if h := d.Hours(); h != 1 {
			return fmt.Sprintf("%.0f hours", h)
		}
		return "1 hour"
	}
	return fmt.Sprintf("%.1f days", d.Hours()/24)
}
