package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestTearSheetSection: a run's section holds the tear sheet's tables
// (monthly returns with a month per column and the year, drawdowns, risk,
// benchmark), its charts embedded and written beside the run's files, and
// says why the rolling chart is missing on a three-day window.
func TestTearSheetSection(t *testing.T) {
	l := lakeWith(t, "BTCUSDT")
	out, err := backtest.Simulate(l, backtest.Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0.04)
	if err != nil {
		t.Fatal(err)
	}
	sections := []Section{{Named: backtest.Named{Outcome: out}}}
	dir := t.TempDir()
	if err := WriteBacktest(dir, "carry backtest", "", sections, ChartOptions{Width: 400, Height: 300}, t0); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	els := parse(t, b)
	var inSheet, headers int
	headings := map[string]bool{}
	tables := map[string]bool{}
	for _, e := range els {
		if e.name == "div" && e.attrs["class"] == "tearsheet" {
			inSheet++
		}
		if e.name == "h3" || e.name == "h4" {
			headings[strings.TrimSpace(e.text)] = true
		}
		if e.name == "table" {
			tables[e.attrs["class"]] = true
		}
	}
	if inSheet != 1 {
		t.Errorf("%d tear sheets, want 1", inSheet)
	}
	for _, h := range []string{"Tear sheet", "Monthly returns", "Yearly returns", "Best and worst", "Risk"} {
		if !headings[h] {
			t.Errorf("no heading %q", h)
		}
	}
	for _, c := range []string{"tearsheet-monthly", "tearsheet-yearly", "tearsheet-extremes", "tearsheet-drawdowns", "tearsheet-risk", "tearsheet-benchmark"} {
		if !tables[c] {
			t.Errorf("no table %s", c)
		}
	}
	html := string(b)
	headers = strings.Count(html, "<th>Jan</th>")
	if headers != 1 || !strings.Contains(html, "<th>Dec</th><th>Year</th>") {
		t.Errorf("the monthly table's header: %d", headers)
	}
	if !strings.Contains(html, "The rolling 30-day Sharpe and volatility need at least 30 daily returns: the window has 3.") {
		t.Error("no note on the missing rolling chart")
	}
	if !strings.Contains(html, "Risk-free (4.00%/year), total return") {
		t.Error("the benchmark does not state its risk-free rate")
	}
	for _, f := range []string{"monthly_returns.png", "underwater.png", "benchmark.png", "funding_apr.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s beside the run's files", f)
		}
		if !strings.Contains(html, "alt=\"") {
			t.Error("charts without alt text")
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "rolling_risk.png")); err == nil {
		t.Error("a rolling chart drawn from three days")
	}
}

// TestHeat: green for gains and red for losses, mixed with white by
// |v|/scale × 0.75 (by hand: half the scale mixes 37.5 %: 255 + (44 −
// 255)·0.375 = 175.875 → 176), "—" for null.
func TestHeat(t *testing.T) {
	cases := []struct {
		v     analytics.Value
		scale float64
		text  string
		style string
	}{
		{analytics.Of(0.01), 0.02, "1.00%", "background-color: rgb(176, 219, 176)"},
		{analytics.Of(-0.02), 0.02, "-2.00%", "background-color: rgb(224, 93, 94)"},
		{analytics.Of(-0.05), 0.02, "-5.00%", "background-color: rgb(224, 93, 94)"},
		{analytics.Of(0), 0.02, "0.00%", "background-color: rgb(255, 255, 255)"},
		{analytics.Null, 0.02, "—", ""},
	}
	for _, c := range cases {
		got := heat(c.v, c.scale)
		if got.Text != c.text || string(got.Style) != c.style {
			t.Errorf("heat(%+v) = %+v, want %q %q", c.v, got, c.text, c.style)
		}
	}
}
