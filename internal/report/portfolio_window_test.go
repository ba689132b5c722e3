package report

import (
	"testing"
	"time"

	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// TestFirstFullWindow: the funding chart's book line starts at the end of
// the first n whole days that begin at or after the book's first holding.
// By hand, days ending at 00:00 of Jan 2 … Jan 12 (spans (end k−1, end k]),
// n = 3: a first holding at Jan 1 00:00 (the first end) → the spans from
// Jan 1 → Jan 4; at Jan 2 05:00 → spans from Jan 3 → Jan 6; at Jan 10
// 00:00 → Jan 13, past the last end → after the grid; never held → after
// the grid.
func TestFirstFullWindow(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 1, d, 0, 0, 0, 0, time.UTC) }
	var ends []time.Time
	for d := 1; d <= 12; d++ {
		ends = append(ends, day(d))
	}
	times := []time.Time{day(1), day(12)}
	never := day(12).Add(time.Nanosecond)
	for _, c := range []struct {
		name string
		held time.Time // zero: never
		want time.Time
	}{
		{"from the start", day(1), day(4)},
		{"mid-day", day(2).Add(5 * time.Hour), day(6)},
		{"too late for a window", day(10), never},
		{"never held", time.Time{}, never},
	} {
		rows := []portfolio.BookRow{{Time: day(1)}}
		if !c.held.IsZero() {
			rows = append(rows, portfolio.BookRow{Time: c.held, Holdings: 2})
		}
		o := &book.Outcome{Result: &portfolio.Result{Rows: rows}, Series: book.Series{Times: times, SpanEnds: ends}}
		if got := firstFullWindow(o, 3); !got.Equal(c.want) {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}
