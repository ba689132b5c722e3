package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/carry-research/carry/strategy/sweep"
)

// TestSweepBrief: the brief links the sweep's report, shows the best
// Sharpe beside the luck figure, the pick's varying parameters (a rule left
// off as "off") and its in- and out-of-sample figures formatted as the
// backtest report formats them (by hand: 0.1234 is 12.34 %, 16.077… is
// 16.08); a missing figure is "—", never 0.
func TestSweepBrief(t *testing.T) {
	best, luck := 16.0776, 5.87
	a := &sweep.Analysis{Metric: "sharpe", Tried: 234, BestSharpe: &best, LuckSharpe: &luck, Years: 0.23,
		ViewHeader: []string{"combination_index", "id", "symbol", "funding_enter", "futures_source", "sharpe"},
		ViewRows:   [][]string{{"208", "df63", "SOLUSDT", "", "basis", "16.0776"}},
		OutOfSample: &sweep.OutOfSample{Split: "0.7", BestID: "df63",
			InSample:    map[string]json.Number{"final_equity": "10697.000790882445", "apr": "0.1234", "sharpe_daily": "16.0776"},
			OutOfSample: map[string]json.Number{"final_equity": "9912.3458", "apr": "-0.089", "sharpe_daily": "-4.7914"}}}
	h, err := sweepBriefHTML(SweepBrief{Href: "sweep/report.html", A: a})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="sweep/report.html">`, "Best Sharpe (daily returns) <b>16.08</b> among <b>234</b>", "about <b>5.87</b> by luck alone",
		"symbol SOLUSDT, funding_enter off.", "<th>Final equity</th><td class=\"n\">10697.00 USDT</td><td class=\"n\">9912.35 USDT</td>",
		"<th>APR (simple, 365 days)</th><td class=\"n\">12.34%</td><td class=\"n\">-8.90%</td>", "<th>Sharpe (daily returns)</th><td class=\"n\">16.08</td><td class=\"n\">-4.79</td>",
		"<th>Max drawdown</th><td class=\"n\">—</td><td class=\"n\">—</td>"} {
		if !strings.Contains(string(h), want) {
			t.Errorf("lacks %s:\n%s", want, h)
		}
	}
	// The plateau rule may pick below the top row: the brief names the
	// pick's parameters, not the top row's.
	a.Pick = &sweep.Pick{Index: 17, Values: map[string]string{"symbol": "ETHUSDT", "funding_enter": "0.06", "leverage": "2"}}
	h, err = sweepBriefHTML(SweepBrief{Href: "sweep/report.html", A: a})
	if err != nil {
		t.Fatal(err)
	}
	if want := "symbol ETHUSDT, leverage 2, funding_enter 0.06."; !strings.Contains(string(h), want) {
		t.Errorf("the pick's line lacks %q:\n%s", want, h)
	}
	if h, _ := sweepBriefHTML(SweepBrief{}); h != "" {
		t.Error("a brief without an analysis")
	}
}
