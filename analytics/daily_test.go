package analytics

import (
	"math"
	"slices"
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestDailyIndices: the last grid point at or before each midnight, then
// the last point when the window ends mid-day. Expected indices worked out
// by hand from the listed times.
func TestDailyIndices(t *testing.T) {
	every := func(from string, step time.Duration, n int) []time.Time {
		out := make([]time.Time, n)
		for i := range out {
			out[i] = at(from).Add(time.Duration(i) * step)
		}
		return out
	}
	cases := []struct {
		name  string
		times []time.Time
		idx   []int
		ends  []string
	}{
		// 00:00 … 00:00 two days later, hourly: points 24 and 48 are midnights.
		{"hourly, whole days", every("2026-03-01T00:00:00Z", time.Hour, 49), []int{24, 48}, []string{"2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z"}},
		// 13:00 … 12:00 next day: one midnight (index 11), then a partial day.
		{"hourly, mid-day ends", every("2026-03-01T13:00:00Z", time.Hour, 24), []int{11, 23}, []string{"2026-03-02T00:00:00Z", "2026-03-02T12:00:00Z"}},
		// 8h grid from 05:00: points 05, 13, 21, 05, 13 — midnight of the 2nd
		// reads point 2 (21:00), the end point 4.
		{"8h off-midnight", every("2026-03-01T05:00:00Z", 8*time.Hour, 5), []int{2, 4}, []string{"2026-03-02T00:00:00Z", "2026-03-02T13:00:00Z"}},
		{"within a day", every("2026-03-01T01:00:00Z", time.Hour, 3), []int{2}, []string{"2026-03-01T03:00:00Z"}},
		// Daily grid: every point is a midnight.
		{"daily", every("2026-03-01T00:00:00Z", 24*time.Hour, 4), []int{1, 2, 3}, []string{"2026-03-02T00:00:00Z", "2026-03-03T00:00:00Z", "2026-03-04T00:00:00Z"}},
		{"empty", nil, nil, nil},
	}
	for _, c := range cases {
		idx, ends := DailyIndices(c.times)
		var es []string
		for _, e := range ends {
			es = append(es, e.Format(time.RFC3339))
		}
		if !slices.Equal(idx, c.idx) || !slices.Equal(es, c.ends) {
			t.Errorf("%s: %v %v, want %v %v", c.name, idx, es, c.idx, c.ends)
		}
	}
}

// TestDailyEquityStartsFromCapital: the first value is C at the first grid
// time, so the daily returns compound to the window's total return
// E_last/C − 1 (here 10,250/10,000 − 1 = 2.5 %, by hand).
func TestDailyEquityStartsFromCapital(t *testing.T) {
	times := []time.Time{at("2026-03-01T12:00:00Z"), at("2026-03-02T00:00:00Z"), at("2026-03-02T12:00:00Z"), at("2026-03-03T00:00:00Z"), at("2026-03-03T06:00:00Z")}
	equity := []float64{9990, 10100, 9900, 10200, 10250}
	days, values := DailyEquity(times, equity, 10000)
	want := []float64{10000, 10100, 10200, 10250}
	if !slices.Equal(values, want) || len(days) != 4 || !days[0].Equal(times[0]) || !days[3].Equal(times[4]) {
		t.Fatalf("%v %v", days, values)
	}
	growth := 1.0
	for _, r := range Returns(values) {
		growth *= 1 + r
	}
	if math.Abs(growth-1.025) > 1e-12 {
		t.Errorf("daily returns compound to %v, want 1.025", growth)
	}
}

// TestProbabilisticSharpe: reference values computed with Python (statistics
// .stdev for the sample sd, central moments by hand, Φ from math.erf),
// following the formula of ProbabilisticSharpe's doc comment.
func TestProbabilisticSharpe(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03, 0.005, -0.001, 0.004, 0.002, -0.007, 0.011, 0.0}
	for _, c := range []struct{ sr0, want float64 }{
		{0, 0.7891098479094905}, {0.1, 0.6908515424961303}, {0.5, 0.23514164513149105},
	} {
		got := ProbabilisticSharpe(r, c.sr0)
		if !got.Valid || math.Abs(got.V-c.want) > 1e-12 {
			t.Errorf("PSR(sr0=%v) = %+v, want %v", c.sr0, got, c.want)
		}
	}
	// Net of a risk-free return of 0.001 a period (python3 likewise, on
	// r − 0.001): a Sharpe ratio net of rf is less likely above 0.
	if got := ProbabilisticSharpe(ExcessReturns(r, 0.001), 0); !got.Valid || math.Abs(got.V-0.7146417939660912) > 1e-12 {
		t.Errorf("PSR of the excess returns = %+v, want 0.7146417939660912", got)
	}
	for _, r := range [][]float64{{0.01, 0.02}, {0.01, 0.01, 0.01, 0.01}} {
		if got := ProbabilisticSharpe(r, 0); got.Valid {
			t.Errorf("PSR of %v = %v, want null", r, got.V)
		}
	}
}
