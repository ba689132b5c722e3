package analytics

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func hourly(n int) []time.Time {
	out := make([]time.Time, n)
	for i := range out {
		out[i] = t0.Add(time.Duration(i) * time.Hour)
	}
	return out
}

func TestSummarize(t *testing.T) {
	// Equity after each of five hourly points from C = 10,010: the entry
	// costs 10 (E_0 = 10,000), then +1%, −2%, +3%, +0.5%. Returns from C:
	// 10000/10010 − 1, then those four. Reference values computed with
	// Python's statistics module (mean, stdev: the sample standard
	// deviation) and math.pow, following the formulas of PerformanceOf's
	// doc comment, P = 8760; the drawdown as min e/max(C, running max) − 1.
	equity := []float64{10000, 10100, 9898, 10194.94, 10245.9147}
	cases := []struct {
		name string
		rf   float64
		got  func(Performance) Value
		want float64
		tol  float64
	}{
		{"total return", 0, func(p Performance) Value { return p.TotalReturn }, 0.02356790209790205, 1e-12},
		{"apr", 0, func(p Performance) Value { return p.APR }, 51.61370559440549, 1e-9},
		{"apy", 0, func(p Performance) Value { return p.APY }, 1.4304807633350375e+22, 1e-9 * 1.5e22},
		{"volatility", 0, func(p Performance) Value { return p.Volatility }, 1.6942923664843466, 1e-9},
		{"sharpe", 0, func(p Performance) Value { return p.Sharpe }, 24.81847353004565, 1e-9},
		{"sharpe rf 5%", 0.05, func(p Performance) Value { return p.Sharpe }, 24.7889626846986, 1e-9},
		{"sortino", 0, func(p Performance) Value { return p.Sortino }, 50.16782408187956, 1e-9},
		{"sortino rf 5%", 0.05, func(p Performance) Value { return p.Sortino }, 50.108171142463846, 1e-9},
		{"max drawdown", 0, func(p Performance) Value { return p.Drawdown.Max }, -0.02, 1e-12},
		{"calmar", 0, func(p Performance) Value { return p.Calmar }, 7.152403816675181e+23, 1e-9 * 7.2e23},
	}
	for _, c := range cases {
		p, err := PerformanceOf(hourly(5), equity, 10010, PeriodsPerYear(time.Hour), c.rf)
		if err != nil {
			t.Fatal(err)
		}
		if v := c.got(p); !v.Valid || math.Abs(v.V-c.want) > c.tol {
			t.Errorf("%s = %v, want %v", c.name, v, c.want)
		}
	}
	p, _ := PerformanceOf(hourly(5), equity, 10010, 8760, 0)
	d := p.Drawdown
	if !d.Peak.Equal(t0.Add(time.Hour)) || !d.Trough.Equal(t0.Add(2*time.Hour)) || !d.Recovery.Equal(t0.Add(3*time.Hour)) || d.Duration != 2*time.Hour {
		t.Errorf("drawdown %+v", d)
	}
}

// TestReturnsFrom: the first return is the entry's, from C; the returns
// compound to the total return (by hand: 990/1000 − 1 = −1%, 1000/990 − 1,
// 1010/1000 − 1 = +1%).
func TestReturnsFrom(t *testing.T) {
	r := ReturnsFrom([]float64{990, 1000, 1010}, 1000)
	want := []float64{-0.01, 1000.0/990 - 1, 0.01}
	for i := range want {
		if math.Abs(r[i]-want[i]) > 1e-15 {
			t.Errorf("r[%d] = %v, want %v", i, r[i], want[i])
		}
	}
	if len(r) != 3 {
		t.Errorf("%d returns, want 3 (one per point)", len(r))
	}
	if got := (1 + r[0]) * (1 + r[1]) * (1 + r[2]); math.Abs(got-1.01) > 1e-15 {
		t.Errorf("returns compound to %v, want 1.01", got)
	}
}

// TestLossHasNoPositiveSharpe is the issue's sign mismatch (BTCUSDT,
// funding rule 10 %/0 on a month: APR −0.49 %, Sharpe +1.33) on a hand-made
// month of hourly equity: the entry costs 0.2 % of C = 10,000 (E_0 = 9,980),
// then equity climbs steadily, with alternating ±0.4 wiggles, to 9,990
// (total return −0.1 %). Returns after the entry rise on average (their
// mean is positive: the old series, from E_0, gave Sharpe > 0); from C the
// entry's −0.2 % is in the series, and Sharpe, Sortino (per hour and per
// day, rf = 0) and the drawdown all say the run lost.
func TestLossHasNoPositiveSharpe(t *testing.T) {
	n := 30*24 + 1
	times, equity := hourly(n), make([]float64, n)
	for i := range equity {
		equity[i] = 9980 + 10*float64(i)/float64(n-1)
		if i%2 == 1 && i < n-1 {
			equity[i] += 0.4
		}
	}
	if m := mean(Returns(equity)); !(m > 0) {
		t.Fatalf("the scenario's returns after the entry have mean %v, want > 0 (the mismatch)", m)
	}
	p, err := PerformanceOf(times, equity, 10000, PeriodsPerYear(time.Hour), 0)
	if err != nil {
		t.Fatal(err)
	}
	if !(p.TotalReturn.V < 0) || !(p.APR.V < 0) {
		t.Fatalf("total return %v, APR %v: want a loss", p.TotalReturn, p.APR)
	}
	for name, v := range map[string]Value{"sharpe": p.Sharpe, "sortino": p.Sortino, "sharpe_daily": p.SharpeDaily, "sortino_daily": p.SortinoDaily} {
		if !v.Valid || v.V >= 0 {
			t.Errorf("%s = %v with a total return of %v: want negative", name, v, p.TotalReturn)
		}
	}
	// The drawdown starts at C, at the first grid time, and never recovers.
	if d := p.Drawdown; !d.Max.Valid || !d.Peak.Equal(t0) || d.Recovery != nil || math.Abs(d.Max.V-(9980.0/10000-1)) > 1e-12 {
		t.Errorf("drawdown %v from %v, recovered %v: want −0.2%% from C at %v, not recovered", d.Max, d.Peak, d.Recovery, t0)
	}
}

// TestDailyFigures: volatility, Sharpe and Sortino on daily returns from C.
// Hourly equity E_i = 9,990 + 3·sin(i/5) + 0.2·i from 2026-03-01 12:00
// UTC to 03-04 18:00 (79 points), C = 10,000: the daily values are C, then
// E at 03-02, 03-03 and 03-04 00:00 (i = 12, 36, 60), then E_78 (the
// partial last day): four daily returns. Reference values computed with
// Python (datetime for the midnights, statistics.mean and stdev, P = 365)
// by the formulas of PerformanceOf's doc comment.
func TestDailyFigures(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	times, equity := make([]time.Time, 79), make([]float64, 79)
	for i := range times {
		times[i] = start.Add(time.Duration(i) * time.Hour)
		equity[i] = 9990 + 3*math.Sin(float64(i)/5) + 0.2*float64(i)
	}
	cases := []struct {
		name string
		rf   float64
		got  func(Performance) Value
		want float64
	}{
		{"volatility_daily", 0, func(p Performance) Value { return p.VolatilityDaily }, 0.009875136926776213},
		{"sharpe_daily", 0, func(p Performance) Value { return p.SharpeDaily }, 5.475805170112367},
		{"sortino_daily", 0, func(p Performance) Value { return p.SortinoDaily }, 10.156359492182395},
		{"sharpe_daily rf 3%", 0.03, func(p Performance) Value { return p.SharpeDaily }, 2.4378726105489976},
		{"sortino_daily rf 3%", 0.03, func(p Performance) Value { return p.SortinoDaily }, 4.521693131819864},
	}
	for _, c := range cases {
		p, err := PerformanceOf(times, equity, 10000, PeriodsPerYear(time.Hour), c.rf)
		if err != nil {
			t.Fatal(err)
		}
		if v := c.got(p); !v.Valid || math.Abs(v.V-c.want) > 1e-9*math.Abs(c.want) {
			t.Errorf("%s = %v, want %v", c.name, v, c.want)
		}
	}
	// The moments are those of DailyEquity's returns.
	days, _ := DailyIndices(times)
	_, values := DailyEquity(times, equity, 10000)
	m, r := DailyReturnMoments(equity, 10000, days), Returns(values)
	if m.N != len(r) || math.Abs(m.Mean-mean(r)) > 1e-18 {
		t.Errorf("daily moments %+v, DailyEquity's returns %v", m, r)
	}
}

// TestShortWindow: below analytics.ShortWindowDays (90) days the window is
// flagged; at 90 days and above it is not.
func TestShortWindow(t *testing.T) {
	for _, c := range []struct {
		days  int
		short bool
	}{{1, true}, {19, true}, {89, true}, {90, false}, {365, false}} {
		times := []time.Time{t0, t0.AddDate(0, 0, c.days)}
		p, err := PerformanceOf(times, []float64{100, 101}, 100, 365, 0)
		if err != nil {
			t.Fatal(err)
		}
		if p.ShortWindow != c.short {
			t.Errorf("%d days: short window %v, want %v", c.days, p.ShortWindow, c.short)
		}
	}
}

// TestMaxDrawdownFromCapital: the first peak is C, at the first grid time
// (by hand: C = 100, equity 98, 99, 101, 97: the drawdown from C is −2 % at
// t_0, recovered at t_2; then −3.96 % from 101 at t_2 to t_3, the deeper;
// from E_0 alone (MaxDrawdown) the same. With equity 98, 99, 99.5 it is the
// −2 % from C, never recovered, which MaxDrawdown (from E_0 = 98) does not
// see at all).
func TestMaxDrawdownFromCapital(t *testing.T) {
	times := hourly(4)
	d := MaxDrawdownFrom(times, []float64{98, 99, 101, 97}, 100)
	if math.Abs(d.Max.V-(97.0/101-1)) > 1e-15 || !d.Peak.Equal(times[2]) || !d.Trough.Equal(times[3]) || d.Recovery != nil {
		t.Errorf("deeper later drawdown: %+v", d)
	}
	d = MaxDrawdownFrom(times[:3], []float64{98, 99, 99.5}, 100)
	if math.Abs(d.Max.V+0.02) > 1e-15 || !d.Peak.Equal(times[0]) || !d.Trough.Equal(times[0]) || d.Recovery != nil || d.Duration != 2*time.Hour {
		t.Errorf("entry costs never regained: %+v", d)
	}
	if d := MaxDrawdown(times[:3], []float64{98, 99, 99.5}); d.Max.Valid {
		t.Errorf("from E_0 the rising curve has a drawdown: %+v", d)
	}
	d = MaxDrawdownFrom(times, []float64{98, 99, 100, 97}, 100)
	if math.Abs(d.Max.V+0.03) > 1e-15 || !d.Peak.Equal(times[0]) || !d.Trough.Equal(times[3]) {
		t.Errorf("E back at C is not a new peak: %+v", d)
	}
	got := DrawdownsFrom([]float64{98, 99, 101, 97}, 100)
	want := []float64{-0.02, -0.01, 0, 97.0/101 - 1}
	for i := range want {
		if math.Abs(got[i]-want[i]) > 1e-15 {
			t.Errorf("DrawdownsFrom[%d] = %v, want %v", i, got[i], want[i])
		}
	}
}

func mean(x []float64) float64 {
	s := 0.0
	for _, v := range x {
		s += v
	}
	return s / float64(len(x))
}

func TestSummarizeUndefinedFiguresAreNull(t *testing.T) {
	cases := []struct {
		name   string
		times  []time.Time
		equity []float64
		check  func(Performance) []Value
	}{
		// Flat equity: zero variance, no downside, no drawdown.
		{"flat", hourly(4), []float64{100, 100, 100, 100}, func(p Performance) []Value {
			return []Value{p.Volatility, p.Sharpe, p.Sortino, p.Drawdown.Max, p.Calmar}
		}},
		// One point: no returns, no days.
		{"one point", hourly(1), []float64{100}, func(p Performance) []Value {
			return []Value{p.APR, p.APY, p.Volatility, p.Sharpe, p.Sortino}
		}},
		// Only gains: no downside deviation, no drawdown.
		{"rising", hourly(4), []float64{100, 101, 103, 104}, func(p Performance) []Value {
			return []Value{p.Sortino, p.Calmar, p.Drawdown.Max}
		}},
	}
	for _, c := range cases {
		p, err := PerformanceOf(c.times, c.equity, 100, 8760, 0)
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range c.check(p) {
			if v.Valid {
				t.Errorf("%s: figure %d = %v, want null", c.name, i, v.V)
			}
		}
		b, _ := json.Marshal(p)
		if json.Valid(b) && (containsNaN(string(b))) {
			t.Errorf("%s: JSON has NaN: %s", c.name, b)
		}
	}
	if _, err := PerformanceOf(nil, nil, 100, 8760, 0); err == nil {
		t.Error("an empty window gave no error")
	}
}

func containsNaN(s string) bool {
	for i := 0; i+3 <= len(s); i++ {
		if s[i:i+3] == "NaN" {
			return true
		}
	}
	return false
}

func TestPeriodsPerYear(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want float64
	}{{time.Hour, 8760}, {24 * time.Hour, 365}, {5 * time.Minute, 105120}, {8 * time.Hour, 1095}} {
		if got := PeriodsPerYear(c.d); got != c.want {
			t.Errorf("PeriodsPerYear(%s) = %v, want %v (365-day calendar)", c.d, got, c.want)
		}
	}
}

func ExamplePerformanceOf() {
	times := []time.Time{t0, t0.Add(24 * time.Hour), t0.Add(48 * time.Hour)}
	equity := []float64{10000, 10010, 10005}
	p, _ := PerformanceOf(times, equity, 10000, PeriodsPerYear(24*time.Hour), 0)
	fmt.Printf("total %.2f%%, APR %.2f%% over %.0f days (%v periods/year), max drawdown %.4f%%, Sharpe %q\n",
		p.TotalReturn.V*100, p.APR.V*100, p.Days, p.PeriodsPerYear, p.Drawdown.Max.V*100, p.Sharpe.String()[:4])
	// Output: total 0.05%, APR 9.12% over 2 days (365 periods/year), max drawdown -0.0500%, Sharpe "4.17"
}
