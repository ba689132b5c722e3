package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestSummaryRowsDailyHeadlineAndShortWindow: the summary table shows the
// daily volatility, Sharpe and Sortino first and the per-period ones beside
// them, each named by its frequency; a 3-day window (under 90 days) marks
// every annualized figure † and the report says why, by the run's figures
// and under the comparison table; a long window marks nothing.
func TestSummaryRowsDailyHeadlineAndShortWindow(t *testing.T) {
	l := lakeWith(t, "BTCUSDT", "ETHUSDT")
	var sections []Section
	for _, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		out, err := backtest.Simulate(l, backtest.Spec{Symbol: sym, Period: "1h", Contract: data.Perpetual}, strategy.DefaultParams(), 0)
		if err != nil {
			t.Fatal(err)
		}
		sections = append(sections, Section{Named: backtest.Named{Outcome: out}})
	}
	s := sections[0].Summary
	if !s.ShortWindow || s.ShortWindowBelowDays != 90 || !s.SharpeDaily.Valid || !s.Sharpe.Valid {
		t.Fatalf("a 3-day window: short %v (below %d), sharpe_daily %v, sharpe %v", s.ShortWindow, s.ShortWindowBelowDays, s.SharpeDaily, s.Sharpe)
	}
	rows := map[string]string{}
	for _, r := range summaryRows(s) {
		rows[r.Name] = r.Value
	}
	// The annualized figures marked †, the others not (formatted here from
	// the summary's own numbers: the rows' text is what is tested).
	want := map[string]string{
		"Sharpe (rf 0.00%): daily returns · per 1h period":       fmt.Sprintf("%.2f † · %.2f †", s.SharpeDaily.V, s.Sharpe.V),
		"Volatility (annualized): daily returns · per 1h period": fmt.Sprintf("%.2f%% † · %.2f%% †", s.VolatilityDaily.V*100, s.Volatility.V*100),
		"Sortino: daily returns · per 1h period":                 valueCell(s.SortinoDaily) + " · " + valueCell(s.Sortino),
		"APR (simple, 365 days)":                                 fmt.Sprintf("%.2f%% †", s.APR.V*100),
		"APY (compounded, 365 days)":                             fmt.Sprintf("%.2f%% †", s.APY.V*100),
		"Calmar":                                                 valueCell(s.Calmar),
		"Turnover (traded notional / mean equity, per year)":     fmt.Sprintf("%.2f †", s.Turnover.V),
		"Total return":                                           fmt.Sprintf("%.2f%%", s.TotalReturn.V*100),
		"Max drawdown (from the capital)":                        fmt.Sprintf("%.2f%%", s.MaxDrawdown.V*100),
	}
	for name, w := range want {
		if got, ok := rows[name]; !ok {
			t.Errorf("no summary row %q", name)
		} else if got != w {
			t.Errorf("%s: %q, want %q", name, got, w)
		}
	}
	if note := shortWindowNote(s); !strings.Contains(note, "3.0 days, under 90") {
		t.Errorf("short-window note %q", note)
	}
	var buf bytes.Buffer
	if err := WriteHTML(&buf, Page{Title: "t", Sections: sections, Ranking: &Chart{Name: "ranking", Caption: "c", Format: "png", Data: []byte("\x89PNG")}}); err != nil {
		t.Fatal(err)
	}
	warns := 0
	for _, e := range parse(t, buf.Bytes()) {
		if e.name == "p" && e.attrs["class"] == "warn" && (strings.Contains(e.text, "Short window") || strings.Contains(e.text, "under 90 days")) {
			warns++
		}
	}
	if warns != 3 { // one by each run's figures, one under the comparison
		t.Errorf("%d short-window cautions in the report, want 3", warns)
	}

	long := s
	long.ShortWindow, long.Days = false, 365
	for _, r := range summaryRows(long) {
		if strings.Contains(r.Value, "†") {
			t.Errorf("a long window marks %s: %q", r.Name, r.Value)
		}
	}
	if note := shortWindowNote(long); note != "" {
		t.Errorf("a long window has the note %q", note)
	}
}

// cell is a figure as a short window's row shows it: two places and †, or
// "—" when undefined.
func valueCell(v analytics.Value) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf("%.2f †", v.V)
}
