package report

import (
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// TestPortfolioBrief: the brief links the book's report and shows its
// figures beside BTCUSDT carry's, formatted as the reports format them (by
// hand: 0.3262 is 32.62 %, 7.3149 is 7.31, 16782.3203 USDT is 16782.32),
// the average holdings, and for each delisted member whether the book held
// it at its delisting (a trade of reason delist) or not. Without the
// benchmark its cells are "—", never 0, and its note is shown.
func TestPortfolioBrief(t *testing.T) {
	minSignal := 0.05
	at := time.Date(2026, 5, 2, 23, 0, 0, 0, time.UTC)
	member := func(sym string, delisted bool, last time.Time) portfolio.Member {
		return portfolio.Member{Market: &strategy.Market{Symbol: sym, Times: []time.Time{last.Add(-time.Hour), last}}, Delisted: delisted}
	}
	end := time.Date(2026, 9, 29, 23, 0, 0, 0, time.UTC)
	res := &portfolio.Result{
		Universe: &portfolio.Universe{Members: []portfolio.Member{member("BTCUSDT", false, end), member("DLSTUSDT", true, at), member("GONEUSDT", true, at.Add(-48*time.Hour))}},
		Trades:   []portfolio.Trade{{Symbol: "DLSTUSDT", Trade: strategy.Trade{Time: at, Reason: portfolio.ReasonDelist}}, {Symbol: "BTCUSDT", Trade: strategy.Trade{Time: at, Reason: strategy.ReasonEntry}}},
	}
	s := book.Summary{Universe: "all-history", Members: 3, Delisted: 2, From: "2024-09-01T00:00:00Z", To: "2026-09-29T23:00:00Z",
		Signal: "funding", Lookback: 3, Top: 3, MinSignal: &minSignal, Weights: "equal", Rebalance: "1d", Band: 0.05,
		FinalEquity: "16782.3203", APR: analytics.Of(0.3262), SharpeDaily: analytics.Of(7.3149), MaxDrawdown: analytics.Of(-0.0409),
		AverageHoldings: analytics.Of(2.9894), MaxHoldings: 3, Rebalances: 759, Fees: "6526.2335", FundingIncome: "12851.1444",
		BTCCarry: book.BTCCarry{Available: true, FinalEquity: "12084.5224", APR: analytics.Of(0.1002), SharpeDaily: analytics.Of(9.9556), MaxDrawdown: analytics.Of(-0.0056)}}
	o := &book.Outcome{Result: res, Summary: s, LoadedUniverse: &book.LoadedUniverse{Skipped: []string{"SOLUSDT: the lake holds no futures candles of period 1h"}}}
	h, err := portfolioBriefHTML(PortfolioBrief{Href: "portfolio/report.html", Outcome: o})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<a href="portfolio/report.html">portfolio/report.html</a>`,
		"Universe all-history: 3 pairs, 2 of them delisted", "top 3 by mean annualized funding of the last 3 events at or above 5.00%/year, weights equal",
		"<th>2024-09-01 → 2026-09-29</th>",
		`<th>Final equity</th><td class="n">16782.32 USDT</td><td class="n">12084.52 USDT</td>`,
		`<th>APR (simple, 365 days)</th><td class="n">32.62%</td><td class="n">10.02%</td>`,
		`<th>Sharpe (daily returns)</th><td class="n">7.31</td><td class="n">9.96</td>`,
		`<th>Max drawdown</th><td class="n">-4.09%</td><td class="n">-0.56%</td>`,
		"held <b>2.99</b> pairs (at most 3), rebalanced 759 times; fees were <b>6526.23 USDT</b> against <b>12851.14 USDT</b>",
		"DLSTUSDT was held at its delisting and closed at its last prices on 2026-05-02 23:00 UTC",
		"GONEUSDT was delisted on 2026-04-30 23:00 UTC while the book did not hold it",
		"Left out for want of data: SOLUSDT: the lake holds no futures candles of period 1h."} {
		if !strings.Contains(string(h), want) {
			t.Errorf("lacks %s:\n%s", want, h)
		}
	}
	if strings.Contains(string(h), "BTCUSDT was") {
		t.Error("a member not delisted is said to be")
	}

	o.Summary.BTCCarry = book.BTCCarry{Note: "no BTCUSDT benchmark: the lake lacks BTCUSDT 1h over the window"}
	h, err = portfolioBriefHTML(PortfolioBrief{Href: "portfolio/report.html", Outcome: o})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<th>APR (simple, 365 days)</th><td class="n">32.62%</td><td class="n">—</td>`, `<th>Final equity</th><td class="n">16782.32 USDT</td><td class="n">—</td>`,
		`<p class="warn">no BTCUSDT benchmark: the lake lacks BTCUSDT 1h over the window</p>`} {
		if !strings.Contains(string(h), want) {
			t.Errorf("without the benchmark, lacks %s:\n%s", want, h)
		}
	}
	if h, _ := portfolioBriefHTML(PortfolioBrief{}); h != "" {
		t.Error("a brief without an outcome")
	}
}
