package archive_test

import (
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/data"
)

func TestMonthlyFilesAfterTheFirstMondayDailyTheNextDay(t *testing.T) {
	for _, c := range []struct{ month, from string }{
		{"2024-01-31", "2024-02-06"}, // Feb 1 is a Thursday: Monday Feb 5
		{"2024-02-10", "2024-03-05"}, // Mar 1 a Friday: Monday Mar 4
		{"2024-03-01", "2024-04-02"}, // Apr 1 is itself the Monday
		{"2026-01-15", "2026-02-03"}, // Feb 1 a Sunday: Monday Feb 2
		{"2025-09-30", "2025-10-07"}, // Oct 1 a Wednesday: Monday Oct 6
		{"2026-11-01", "2026-12-08"}, // Dec 1 a Tuesday: Monday Dec 7
	} {
		if got := archive.MonthlyFrom(day(c.month)); !got.Equal(day(c.from)) {
			t.Errorf("monthly file of %s from %s, want %s", c.month[:7], got.Format(time.DateOnly), c.from)
		}
		f := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", day(c.month))
		if archive.Available(f, day(c.from).Add(-time.Millisecond)) || !archive.Available(f, day(c.from)) {
			t.Errorf("monthly file of %s: availability flips elsewhere than %s", c.month[:7], c.from)
		}
	}
	d := archive.Daily(archive.SpotKlines, "BTCUSDT", "1h", at("2024-02-29T13:00:00Z"))
	if archive.Available(d, at("2024-02-29T23:59:59Z")) || !archive.Available(d, day("2024-03-01")) {
		t.Error("a day's file is expected from the next day's 00:00 UTC")
	}
}

// names lists the files of a plan by name.
func names(fs []archive.File) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name()
	}
	return out
}

// dailies names the daily files of [from, to] (dates) for BTCUSDT 1h.
func dailies(from, to string) []string {
	var out []string
	for d := day(from); !d.After(day(to)); d = d.AddDate(0, 0, 1) {
		out = append(out, archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", d).Name())
	}
	return out
}

func TestPlanCoversWholeMonthsMonthlyTheRestDailyTodayByREST(t *testing.T) {
	kl := archive.Series{Dataset: archive.FuturesKlines, Symbol: "BTCUSDT", Interval: "1h"}
	fu := archive.Series{Dataset: archive.FundingRate, Symbol: "BTCUSDT"}
	span := func(from, to string) data.Span { return data.Span{From: at(from), To: at(to)} }
	rest := func(sps ...data.Span) data.Spans { return sps }
	for _, c := range []struct {
		name  string
		s     archive.Series
		span  data.Span
		now   string
		files []string
		rest  data.Spans
	}{
		{"two whole months then days", kl, span("2024-01-01T00:00:00Z", "2024-03-15T12:00:00Z"), "2024-03-20T10:00:00Z",
			append([]string{"BTCUSDT-1h-2024-01.zip", "BTCUSDT-1h-2024-02.zip"}, dailies("2024-03-01", "2024-03-15")...), nil},
		{"on the first Monday the month is still daily; today by REST", kl, span("2024-01-01T00:00:00Z", "2024-03-04T12:00:00Z"), "2024-03-04T12:00:00Z",
			append(append([]string{"BTCUSDT-1h-2024-01.zip"}, dailies("2024-02-01", "2024-02-29")...), dailies("2024-03-01", "2024-03-03")...),
			rest(span("2024-03-04T00:00:00Z", "2024-03-04T12:00:00Z"))},
		{"the day after the first Monday, the month's file", kl, span("2024-02-01T00:00:00Z", "2024-03-04T23:59:59.999Z"), "2024-03-05T00:00:00Z",
			append([]string{"BTCUSDT-1h-2024-02.zip"}, dailies("2024-03-01", "2024-03-04")...), nil},
		{"a month begun mid-way is read by days", kl, span("2024-01-15T06:00:00Z", "2024-02-29T23:59:59.999Z"), "2024-04-10T00:00:00Z",
			append(dailies("2024-01-15", "2024-01-31"), "BTCUSDT-1h-2024-02.zip"), nil},
		{"month end and today", kl, span("2024-01-30T00:00:00Z", "2024-02-01T09:00:00Z"), "2024-02-01T09:00:00Z",
			dailies("2024-01-30", "2024-01-31"), rest(span("2024-02-01T00:00:00Z", "2024-02-01T09:00:00Z"))},
		{"all today", kl, span("2024-02-01T01:00:00Z", "2024-02-01T09:00:00Z"), "2024-02-01T09:30:00Z",
			nil, rest(span("2024-02-01T01:00:00Z", "2024-02-01T09:00:00Z"))},
		{"funding: months touched once published, the rest by REST", fu, span("2024-01-10T00:00:00Z", "2024-03-04T12:00:00Z"), "2024-03-04T12:00:00Z",
			[]string{"BTCUSDT-fundingRate-2024-01.zip"}, rest(span("2024-02-01T00:00:00Z", "2024-03-04T12:00:00Z"))},
		{"funding: across a year end", fu, span("2023-11-01T00:00:00Z", "2024-01-31T23:59:59.999Z"), "2024-02-06T00:00:00Z",
			[]string{"BTCUSDT-fundingRate-2023-11.zip", "BTCUSDT-fundingRate-2023-12.zip", "BTCUSDT-fundingRate-2024-01.zip"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			p, err := archive.PlanSpan(c.s, c.span, at(c.now))
			if err != nil {
				t.Fatal(err)
			}
			if got := names(p.Files); !slices.Equal(got, c.files) {
				t.Errorf("files\n got %v\nwant %v", got, c.files)
			}
			if !slices.Equal(p.REST, c.rest) {
				t.Errorf("REST %v, want %v", p.REST, c.rest)
			}
		})
	}
	if _, err := archive.PlanSpan(archive.Series{Dataset: archive.FuturesKlines, Symbol: "BTCUSDT"}, span("2024-01-01T00:00:00Z", "2024-02-01T00:00:00Z"), at("2024-03-01T00:00:00Z")); err == nil {
		t.Error("a klines plan without an interval was accepted")
	}
}

func TestFallbackFromMonthToDaysToREST(t *testing.T) {
	jan := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-01-01"))
	// On Feb 1 the month's days are all published.
	if got := archive.Fallback(jan, at("2024-02-01T12:00:00Z")); !slices.Equal(names(got.Files), dailies("2024-01-01", "2024-01-31")) || got.REST != nil {
		t.Errorf("a missing month falls back to its days: %v %v", names(got.Files), got.REST)
	}
	// One millisecond before Feb 1, Jan 31's file is not expected yet:
	// that day goes to REST.
	got := archive.Fallback(jan, at("2024-01-31T23:59:59.999Z"))
	if len(got.Files) != 30 || len(got.REST) != 1 || !got.REST[0].From.Equal(day("2024-01-31")) {
		t.Errorf("fallback before Jan 31 is published: %d files, REST %v", len(got.Files), got.REST)
	}
	d := archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-01-05"))
	if got := archive.Fallback(d, at("2024-03-01T00:00:00Z")); len(got.Files) != 0 || !slices.Equal(got.REST, data.Spans{d.Span()}) {
		t.Errorf("a missing day falls back to REST: %v", got)
	}
	fm := archive.Monthly(archive.FundingRate, "BTCUSDT", "", day("2024-01-01"))
	if got := archive.Fallback(fm, at("2024-03-01T00:00:00Z")); len(got.Files) != 0 || !slices.Equal(got.REST, data.Spans{fm.Span()}) {
		t.Errorf("a missing funding month falls back to REST: %v", got)
	}
}
