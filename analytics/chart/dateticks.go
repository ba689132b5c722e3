package chart

import (
	"time"

	"gonum.org/v1/plot"
)

// Tick counts a time axis aims for: enough dates to read a point's time
// off the axis, few enough that their labels do not crowd.
const (
	minDateTicks = 5
	maxDateTicks = 8
)

// dateUnit is the calendar unit a tick step counts.
type dateUnit int

const (
	unitHour dateUnit = iota
	unitDay
	unitWeek // Mondays
	unitMonth
	unitYear
)

// dateStep is a tick spacing on a time axis: every n units, on the
// calendar's boundaries (UTC), labelled in the format that suits it.
type dateStep struct {
	unit   dateUnit
	n      int
	format string
	filler bool // an odd step (18 hours, 9 months), taken only to fill a gap
}

// Label formats: hours and minutes within days, dates within months,
// months within years, years beyond.
const (
	hourFormat  = "Jan 2 15:04"
	dayFormat   = "2006-01-02"
	monthFormat = "Jan 2006"
	yearFormat  = "2006"
)

// dateSteps are the spacings a time axis picks from, shortest first.
// With the two fillers, every span from half a day to decades has a step
// giving 5–8 ticks (TestDateTicksCount).
var dateSteps = []dateStep{
	{unitHour, 1, hourFormat, false}, {unitHour, 2, hourFormat, false}, {unitHour, 3, hourFormat, false}, {unitHour, 4, hourFormat, false},
	{unitHour, 6, hourFormat, false}, {unitHour, 8, hourFormat, false}, {unitHour, 12, hourFormat, false}, {unitHour, 18, hourFormat, true},
	{unitDay, 1, dayFormat, false}, {unitDay, 2, dayFormat, false}, {unitDay, 3, dayFormat, false}, {unitDay, 5, dayFormat, false},
	{unitWeek, 1, dayFormat, false}, {unitDay, 10, dayFormat, false}, {unitWeek, 2, dayFormat, false}, {unitWeek, 3, dayFormat, false},
	{unitMonth, 1, monthFormat, false}, {unitMonth, 2, monthFormat, false}, {unitMonth, 3, monthFormat, false}, {unitMonth, 4, monthFormat, false},
	{unitMonth, 6, monthFormat, false}, {unitMonth, 9, monthFormat, true},
	{unitYear, 1, yearFormat, false}, {unitYear, 2, yearFormat, false}, {unitYear, 3, yearFormat, false}, {unitYear, 5, yearFormat, false},
	{unitYear, 10, yearFormat, false}, {unitYear, 20, yearFormat, false}, {unitYear, 50, yearFormat, false},
}

// mondayEpochDay is 1970-01-05, the first Monday after the Unix epoch, in
// days since the epoch.
const mondayEpochDay = 4

// first is the step's first tick at or after from: for hours, the first
// multiple of n hours since the epoch (midnight, when n divides a day);
// for longer steps, the unit's first boundary (midnight, Monday, the
// first of a month, New Year's Day), so that a window gets as many ticks
// as its length allows, every n units from there.
func (s dateStep) first(from time.Time) time.Time {
	from = from.UTC()
	ceil := func(u, size, offset int64) time.Time {
		k := floorDiv(u-offset, size)
		if k*size+offset < u || (k*size+offset == u && from.Nanosecond() > 0) {
			k++
		}
		return time.Unix(k*size+offset, 0).UTC()
	}
	switch s.unit {
	case unitHour:
		return ceil(from.Unix(), int64(s.n)*3600, 0)
	case unitDay:
		return ceil(from.Unix(), 86400, 0)
	case unitWeek:
		return ceil(from.Unix(), 7*86400, mondayEpochDay*86400)
	case unitMonth:
		t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		if t.Before(from) {
			t = t.AddDate(0, 1, 0)
		}
		return t
	default:
		t := time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		if t.Before(from) {
			t = t.AddDate(1, 0, 0)
		}
		return t
	}
}

// next is the tick after t, a tick of s.
func (s dateStep) next(t time.Time) time.Time {
	switch s.unit {
	case unitMonth:
		return t.AddDate(0, s.n, 0)
	case unitYear:
		return t.AddDate(s.n, 0, 0)
	}
	return t.Add(time.Duration(s.seconds()) * time.Second)
}

// seconds is the length of an hour, day or week step.
func (s dateStep) seconds() int64 {
	switch s.unit {
	case unitHour:
		return int64(s.n) * 3600
	case unitDay:
		return int64(s.n) * 86400
	}
	return int64(s.n) * 7 * 86400
}

// ticks are the step's ticks in [from, to], at most limit of them (limit
// + 1 says there are more).
func (s dateStep) ticks(from, to time.Time, limit int) []time.Time {
	var ts []time.Time
	for t := s.first(from); !t.After(to) && len(ts) <= limit; t = s.next(t) {
		ts = append(ts, t)
	}
	return ts
}

// pickDateStep is the step giving the most ticks within 5–8 over
// [from, to], a filler step only when no other one does; when none does
// (a span under five hours), the step whose count is nearest that band,
// more ticks winning a tie.
func pickDateStep(from, to time.Time) (dateStep, []time.Time) {
	best, bestTicks, bestRank := dateSteps[0], []time.Time(nil), -1
	for _, s := range dateSteps {
		ts := s.ticks(from, to, 2*maxDateTicks)
		rank := 0 // smaller is better: in band, then filler in band, then by the miss
		switch {
		case len(ts) > maxDateTicks:
			rank = 2 + len(ts) - maxDateTicks
		case len(ts) < minDateTicks:
			rank = 2 + minDateTicks - len(ts)
		case s.filler:
			rank = 1
		}
		if bestRank < 0 || rank < bestRank {
			best, bestTicks, bestRank = s, ts, rank
		}
	}
	return best, bestTicks
}

// dateTicks is a plot.Ticker for an axis of Unix seconds: 5–8 ticks on
// calendar boundaries (UTC), labelled in the step's format.
type dateTicks struct{}

// Ticks implements plot.Ticker.
func (dateTicks) Ticks(lo, hi float64) []plot.Tick {
	from, to := time.Unix(int64(lo), 0).UTC(), time.Unix(int64(hi), 0).UTC()
	if float64(from.Unix()) < lo {
		from = from.Add(time.Second) // the range starts inside a second
	}
	s, ts := pickDateStep(from, to)
	ticks := make([]plot.Tick, len(ts))
	for i, t := range ts {
		ticks[i] = plot.Tick{Value: unix(t), Label: t.Format(s.format)}
	}
	return ticks
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
