package backtestcmd

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestConsoleShowsTheDailySharpeAndShortWindows: the console table's
// Sharpe is the one of daily returns (the reports' headline), and a run
// under the short-window threshold has its APR marked † with the note.
func TestConsoleShowsTheDailySharpeAndShortWindows(t *testing.T) {
	sum := func(daily, perPeriod float64, short bool) backtest.Named {
		return backtest.Named{Outcome: &backtest.Outcome{Summary: backtest.Summary{Symbol: "BTCUSDT", Contract: "PERPETUAL", Period: "1h",
			From: "2026-09-01T00:00:00Z", To: "2026-09-20T00:00:00Z", FinalEquity: json.Number("10010"),
			FundingIncome: json.Number("12"), BasisPnL: json.Number("0"), Fees: json.Number("2"),
			APR: analytics.Of(0.02), SharpeDaily: analytics.Of(daily), Sharpe: analytics.Of(perPeriod),
			ShortWindow: short, ShortWindowBelowDays: 90}}}
	}
	var out bytes.Buffer
	printSummaries(&out, []backtest.Named{sum(1.23, 4.56, true)})
	text := out.String()
	for _, want := range []string{"SHARPE (DAILY)", "1.23", "2.00% †", "† a window under 90 days"} {
		if !strings.Contains(text, want) {
			t.Errorf("console lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "4.56") {
		t.Errorf("console shows the per-period Sharpe:\n%s", text)
	}
	out.Reset()
	printSummaries(&out, []backtest.Named{sum(1.23, 4.56, false)})
	if strings.Contains(out.String(), "†") {
		t.Errorf("a long window marked short:\n%s", out.String())
	}
}
