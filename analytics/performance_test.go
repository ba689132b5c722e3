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
	// Equity after each of five hourly points from C = 10,000: returns
	// +1%, −2%, +3%, +0.5%. Reference values computed with Python's
	// statistics module (mean, stdev: the sample standard deviation) and
	// math.pow, following the formulas of PerformanceOf's doc comment, P = 8760.
	equity := []float64{10000, 10100, 9898, 10194.94, 10245.9147}
	cases := []struct {
		name string
		rf   float64
		got  func(Performance) Value
		want float64
		tol  float64
	}{
		{"total return", 0, func(p Performance) Value { return p.TotalReturn }, 0.02459147, 1e-12},
		{"apr", 0, func(p Performance) Value { return p.APR }, 53.85531929999965, 1e-9},
		{"apy", 0, func(p Performance) Value { return p.APY }, 1.276767154297543e+23, 1e-9 * 1.3e23},
		{"volatility", 0, func(p Performance) Value { return p.Volatility }, 1.9247727138548092, 1e-9},
		{"sharpe", 0, func(p Performance) Value { return p.Sharpe }, 28.444916953519193, 1e-9},
		{"sharpe rf 5%", 0.05, func(p Performance) Value { return p.Sharpe }, 28.418939860410955, 1e-9},
		{"sortino", 0, func(p Performance) Value { return p.Sortino }, 58.496794783987696, 1e-9},
		{"max drawdown", 0, func(p Performance) Value { return p.Drawdown.Max }, -0.02, 1e-12},
		{"calmar", 0, func(p Performance) Value { return p.Calmar }, 6.383835771487709e+24, 1e-9 * 6.4e24},
	}
	for _, c := range cases {
		p, err := PerformanceOf(hourly(5), equity, 10000, PeriodsPerYear(time.Hour), c.rf)
		if err != nil {
			t.Fatal(err)
		}
		if v := c.got(p); !v.Valid || math.Abs(v.V-c.want) > c.tol {
			t.Errorf("%s = %v, want %v", c.name, v, c.want)
		}
	}
	p, _ := PerformanceOf(hourly(5), equity, 10000, 8760, 0)
	d := p.Drawdown
	if !d.Peak.Equal(t0.Add(time.Hour)) || !d.Trough.Equal(t0.Add(2*time.Hour)) || !d.Recovery.Equal(t0.Add(3*time.Hour)) || d.Duration != 2*time.Hour {
		t.Errorf("drawdown %+v", d)
	}
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
	// Output: total 0.05%, APR 9.12% over 2 days (365 periods/year), max drawdown -0.0500%, Sharpe "4.50"
}
