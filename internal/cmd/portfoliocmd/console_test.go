package portfoliocmd

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// twoPairBook is a hand-built book of two pairs over three hours: equity
// 1000 → 1006, AAA contributing +8, BBB −2.
func twoPairBook(t *testing.T) *book.Outcome {
	t.Helper()
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)}
	mk := func(sym string) *strategy.Market {
		return &strategy.Market{Symbol: sym, ContractType: data.Perpetual, Period: "1h", Times: times, Spot: []float64{1, 1, 1}, Futures: []float64{1, 1, 1}}
	}
	d := decimal.RequireFromString
	p := portfolio.DefaultParams()
	p.Pair.Capital = d("1000")
	res := &portfolio.Result{Universe: &portfolio.Universe{Members: []portfolio.Member{{Market: mk("AAAUSDT")}, {Market: mk("BBBUSDT")}}}, Params: p,
		Capital: d("1000"), FinalEquity: d("1006"),
		Rows: []portfolio.BookRow{
			{Time: times[0], Equity: d("1000"), Weights: []float64{0.5, 0.5}, Holdings: 2},
			{Time: times[1], Equity: d("1003"), Weights: []float64{0.5, 0.5}, Holdings: 2},
			{Time: times[2], Equity: d("1006"), CumFunding: d("6"), Weights: []float64{0, 0}},
		},
		Pairs: []portfolio.PairTotals{{Symbol: "AAAUSDT", Funding: d("8")}, {Symbol: "BBBUSDT", Funding: d("-2")}},
	}
	out, err := book.Summarize(res, book.Setting{Universe: "AAAUSDT,BBBUSDT", BTCNote: "no BTCUSDT benchmark: the lake lacks BTCUSDT 1h over the window"})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestConsoleSummary: the console shows the book's headline, marks a
// short window's APR †, says why a benchmark is missing, and lists the
// largest contributions by size (AAA's +8 before BBB's −2; 8/6 = 133.33 %).
func TestConsoleSummary(t *testing.T) {
	var out bytes.Buffer
	printSummary(&out, twoPairBook(t))
	text := out.String()
	for _, want := range []string{"2 pairs, top 5 by funding", "1006.00", "SHARPE (DAILY)", "† a window under 90 days", "Benchmark: no BTCUSDT benchmark",
		"Largest contributions", "AAAUSDT  8.00   133.33%", "BBBUSDT  -2.00  -33.33%"} {
		if !strings.Contains(text, want) {
			t.Errorf("console lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "AAAUSDT") > strings.Index(text, "BBBUSDT") {
		t.Errorf("contributions not largest first:\n%s", text)
	}
}

// TestConsoleOnePairAndSpot: a book of one pair says "1 pair", and the
// BTC spot held row has its final equity C · S_end/S_start: 1000 · 121/100
// = 1210.00 (spot 100 → 121 over three hours, by hand).
func TestConsoleOnePairAndSpot(t *testing.T) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	times := []time.Time{t0, t0.Add(time.Hour), t0.Add(2 * time.Hour)}
	btc := &strategy.Market{Symbol: "BTCUSDT", ContractType: data.Perpetual, Period: "1h", Times: times, Spot: []float64{100, 110, 121}, Futures: []float64{100, 110, 121}}
	d := decimal.RequireFromString
	p := portfolio.DefaultParams()
	p.Pair.Capital = d("1000")
	res := &portfolio.Result{Universe: &portfolio.Universe{Members: []portfolio.Member{{Market: btc}}}, Params: p, Capital: d("1000"), FinalEquity: d("1000"),
		Rows:  []portfolio.BookRow{{Time: times[0], Equity: d("1000"), Weights: []float64{0}}, {Time: times[1], Equity: d("1000"), Weights: []float64{0}}, {Time: times[2], Equity: d("1000"), Weights: []float64{0}}},
		Pairs: []portfolio.PairTotals{{Symbol: "BTCUSDT"}},
	}
	o, err := book.Summarize(res, book.Setting{Universe: "BTCUSDT", BTC: btc})
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	printSummary(&out, o)
	text := out.String()
	if !strings.Contains(text, "1 pair, top 5 by funding") || strings.Contains(text, "1 pairs") {
		t.Errorf("console, want \"1 pair\":\n%s", text)
	}
	if !strings.Contains(text, "BTC spot held") || !strings.Contains(text, "1210.00") {
		t.Errorf("console, want BTC spot held's final equity 1210.00:\n%s", text)
	}
	if got := string(o.Summary.BTCSpot.FinalEquity); got != "1210" {
		t.Errorf("btc_spot.final_equity %s, want 1210", got)
	}
}
