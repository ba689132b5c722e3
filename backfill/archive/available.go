package archive

import "time"

// The archive publishes a day's file the next day and a month's file after
// the first Monday following the month's end. A file expected too early
// answers 404 (see NotFoundError) and its span falls back to daily files or
// REST, so these rules decide only what is asked first.

// MonthlyFrom is the instant from which the monthly file of the month
// holding t is expected: 00:00 UTC on the day after the first Monday on or
// after the first day of the next month.
func MonthlyFrom(t time.Time) time.Time {
	next := monthOf(t).AddDate(0, 1, 0)
	toMonday := (int(time.Monday) - int(next.Weekday()) + 7) % 7
	return next.AddDate(0, 0, toMonday+1)
}

// DailyFrom is the instant from which the daily file of the day holding t
// is expected: 00:00 UTC the next day.
func DailyFrom(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 1)
}

// Available reports whether f is expected to exist at now.
func Available(f File, now time.Time) bool {
	if f.Daily {
		return !now.Before(DailyFrom(f.Start))
	}
	return !now.Before(MonthlyFrom(f.Start))
}
