package book

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// TestCorrelateDailyCommonDays: a benchmark one hour short of the book
// (its last point 23:00, the book's the next midnight) is correlated over
// the days both have. The book's daily equity 100, 101, 103, 102, 105 at
// t0 and the next four midnights; the benchmark's hourly curve reads 100,
// 99, 106, 104 at t0 and the next three midnights and ends at 23:00 of
// the fourth day (107), so the common days are the first four. Expected
// (python3, statistics.correlation of the returns [0.01, 0.019802,
// −0.009709] and [−0.01, 0.070707, −0.018868]): 0.8109140966840283.
// Before, the differing last day made it null.
func TestCorrelateDailyCommonDays(t *testing.T) {
	day := func(k int) time.Time { return t0.AddDate(0, 0, k) }
	st := &bookStats{}
	st.series.SpanEnds = []time.Time{day(0), day(1), day(2), day(3), day(4)}
	st.series.DailyEquity = []float64{100, 101, 103, 102, 105}
	var times []time.Time
	var equity []float64
	at := map[int]float64{0: 100, 24: 99, 48: 106, 72: 104}
	v := 100.0
	for h := 0; h <= 4*24-1; h++ {
		if x, ok := at[h]; ok {
			v = x
		}
		if h == 4*24-1 {
			v = 107
		}
		times, equity = append(times, hour(h)), append(equity, v)
	}
	m := &strategy.Market{Symbol: BenchmarkSymbol, Period: data.Period("1h"), Times: times}
	got := correlateDaily(st, m, equity, 100)
	if !got.Valid || math.Abs(got.V-0.8109140966840283) > 1e-12 {
		t.Errorf("correlation %+v, want 0.8109140966840283", got)
	}
}

// TestCoverageNote: how loudly a benchmark's window is noted against the
// book's (00:00 day 0 → 00:00 day 10, hourly).
func TestCoverageNote(t *testing.T) {
	book := []time.Time{t0, t0.AddDate(0, 0, 10)}
	cases := []struct {
		name        string
		first, last time.Time
		partial     bool
		want        string // a part of the note; "" for none
	}{
		{"same", t0, t0.AddDate(0, 0, 10), false, ""},
		{"an hour short", t0, t0.AddDate(0, 0, 10).Add(-time.Hour), false, "end 1h before the book's"},
		{"a day late", t0.AddDate(0, 0, 1), t0.AddDate(0, 0, 10), false, "start 24h after the book's"},
		{"three days short", t0, t0.AddDate(0, 0, 7), true, "cover 2026-01-01T00:00:00Z → 2026-01-08T00:00:00Z only"},
	}
	for _, c := range cases {
		m := &strategy.Market{Period: data.Period("1h"), Times: []time.Time{c.first, c.last}}
		note, partial := coverageNote(m, book)
		if partial != c.partial || (c.want == "") != (note == "") || !strings.Contains(note, c.want) {
			t.Errorf("%s: note %q partial %v, want %q partial %v", c.name, note, partial, c.want, c.partial)
		}
	}
}
