package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/strategy/sweep"
)

// TestBookSweepReport: a portfolio sweep's report lists the pick's and
// the folds' book parameters in the grid's order (it printed only
// "leverage 1" when it looked up the single-pair names), says once what
// is not computed instead of a plateau heading it contradicts, shows the
// pick's daily Sharpe, says the better-ranked rows were liquidated, and
// shades the liquidated rows of the ranking. The analysis is written by
// hand: the report only formats it.
func TestBookSweepReport(t *testing.T) {
	sharpe := 19.39671958027053
	metric := sharpe
	params := map[string]string{"top": "5", "lookback": "9", "band": "0.05", "leverage": "1", "rebalance": "8h"}
	a := &sweep.Analysis{Metric: "sharpe_daily", Tried: 32, Years: 1.46, PickDailySharpe: &sharpe,
		Pick: &sweep.Pick{Index: 26, ID: "2876bfa3", Metric: &metric, Values: params, RawBest: 30, RawBestID: "4363933e", SkippedCount: 1,
			Rule:    "the best by the metric not liquidated (a portfolio sweep picks no plateau)",
			Skipped: []sweep.SkippedCandidate{{Index: 30, ID: "4363933e", Reason: "liquidated"}}},
		Liquidations: &sweep.Liquidations{Combinations: 32, Liquidated: 18, ByAxis: []sweep.AxisLiquidated{{Axis: "leverage", Values: []sweep.ValueLiquidated{{Value: "1", Combinations: 16, Liquidated: 2}, {Value: "3", Combinations: 16, Liquidated: 16}}}}},
		WalkForward:  &sweep.WalkForward{Mode: "expanding", Metric: "sharpe_daily", Folds: []sweep.Fold{{Fold: 1, InTo: time.Date(2025, 3, 9, 18, 0, 0, 0, time.UTC), Index: 26, ID: "2876bfa3", Parameters: params, Combinations: 32}}},
		ViewHeader:   []string{"combination_index", "id", "liquidated", "top", "sharpe_daily"},
		ViewRows:     [][]string{{"30", "4363933e", "true", "5", "20.88"}, {"26", "2876bfa3", "false", "5", "19.40"}},
		TopRows:      [][]string{{"30"}, {"26"}}}
	dir := t.TempDir()
	if _, err := WriteBookSweep(dir, "carry sweep (portfolios)", "", a, ChartOptions{Width: 400, Height: 300}, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, ReportHTML))
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	// The order: sweep.BookParamNames (the book's decisions as
	// portfolio.BookParamTable lists them, the band, then the pair's).
	line := "lookback 9, top 5, rebalance 8h, band 0.05, leverage 1"
	for _, want := range []string{
		"The pick: the best by sharpe_daily not liquidated",
		"sharpe_daily <b>19.40</b>: " + line + ".",
		"<td>" + line + "</td>", // the fold's parameters
		"the 1 better-ranked combination(s) were liquidated",
		"The pick's Sharpe on daily returns: <b>19.40</b>.",
		`<tr class="liq"><td>30</td>`,
		`<tr class="pick"><td>26</td>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"a plateau, not a spike", "No combination passes the rule", "Probabilistic Sharpe", "<th>plateau</th>"} {
		if strings.Contains(html, bad) {
			t.Errorf("a portfolio sweep's report says %q", bad)
		}
	}
	if n := strings.Count(html, "Not computed for portfolio grids"); n != 1 {
		t.Errorf("what is not computed is said %d times, want once", n)
	}
}
