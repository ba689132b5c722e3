package book

import (
	"math"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// TestSummaryOfAHandBook checks the book's own figures on handBook; each
// expected number is computed by hand (python3 for the longer sums).
func TestSummaryOfAHandBook(t *testing.T) {
	out, err := Summarize(handBook(), Setting{Universe: "AAAUSDT,BBBUSDT", BTCNote: "no BTCUSDT in the test"})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Summary
	cases := []struct {
		name      string
		got       analytics.Value
		want, tol float64
	}{
		// 1004/1000 − 1.
		{"total return", s.TotalReturn, 0.004, 1e-12},
		// Σ traded 3000 over mean equity (997+1001+1003+1002+1004)/5 = 1001.4.
		{"turnover", s.Turnover, 3000 / 1001.4, 1e-12},
		// Holdings over the four intervals 1, 2, 2, 1.
		{"average holdings", s.AverageHoldings, 1.5, 0},
		{"time in market", s.TimeInMarket, 1, 0},
		// HHI per interval: 1; (0.5/0.99)² + (0.49/0.99)² = 0.500051…; 0.6² + 0.4² = 0.52; 1 → mean 0.7550127538006326.
		{"concentration", s.Concentration, 0.7550127538006326, 1e-12},
		{"effective holdings", s.EffectiveHoldings, 1.3244809375287168, 1e-12},
		{"max weight", s.MaxWeight, 0.99, 0},
		// Funding 0.7 over mean equity 1001.4, per 365 days of a 4 h window: 0.7/1001.4·365·6.
		{"book funding APR", s.BookFundingAPR, 0.7 / 1001.4 * 365 * 6, 1e-12},
		// AAA: mean of 0.0001 and 0.0003 per 8 h, ·3·365 = 0.219; BBB: −0.0002 per 4 h ·6·365 = −0.438; median of two = −0.1095.
		{"universe median funding APR", s.UniverseFundingAPR, -0.1095, 1e-12},
		// Two of three settlements paid the book.
		{"share positive", s.SharePositive, 2.0 / 3, 1e-15},
	}
	for _, c := range cases {
		if !c.got.Valid || math.Abs(c.got.V-c.want) > c.tol {
			t.Errorf("%s = %+v, want %v ± %g", c.name, c.got, c.want, c.tol)
		}
	}
	ints := []struct {
		name      string
		got, want int
	}{
		{"max holdings", s.MaxHoldings, 2}, {"entries", s.Entries, 2}, {"fills", s.Fills, 2}, {"rebalances", s.Rebalances, 3},
		{"delistings", s.Delistings, 1}, {"delisted members", s.Delisted, 1}, {"members", s.Members, 2}, {"grid points", s.GridPoints, 5},
	}
	for _, c := range ints {
		if c.got != c.want {
			t.Errorf("%s = %d, want %d", c.name, c.got, c.want)
		}
	}
	strs := []struct{ name, got, want string }{
		{"funding", string(s.FundingIncome), "0.7"}, {"fees", string(s.Fees), "5"}, {"basis", string(s.BasisPnL), "8.3"},
		{"traded", string(s.Traded), "3000"}, {"slippage", string(s.SlippageCost), "0.3"}, {"rebalance", s.Rebalance, "1d"},
		{"from", s.From, "2026-01-01T00:00:00Z"}, {"to", s.To, "2026-01-01T04:00:00Z"}, {"btc note", s.BTCCarry.Note, "no BTCUSDT in the test"},
	}
	for _, c := range strs {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if s.BTCCarry.Available {
		t.Error("a benchmark without a market")
	}
}

// TestContributions: net = funding + basis − fees − forfeit, its share of
// E − C = 4, the share of intervals held and the mean weight.
func TestContributions(t *testing.T) {
	out, err := Summarize(handBook(), Setting{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sym, net                string
		share, held, meanWeight float64
	}{
		// 0.8 + 9.3 − 4 = 6.1, 6.1/4; held 4 of 4 intervals; (0.99+0.5+0.6+0.99)/4.
		{"AAAUSDT", "6.1", 1.525, 1, 0.77},
		// −0.1 − 1 − 1 = −2.1, −2.1/4; 2 of 4; (0+0.49+0.4+0)/4.
		{"BBBUSDT", "-2.1", -0.525, 0.5, 0.2225},
	}
	for i, c := range cases {
		p := out.Pairs[i]
		if p.Symbol != c.sym || string(p.Net) != c.net || math.Abs(p.Share.V-c.share) > 1e-12 || p.HeldShare.V != c.held || math.Abs(p.MeanWeight.V-c.meanWeight) > 1e-12 {
			t.Errorf("pair %d = %+v, want %+v", i, p, c)
		}
	}
}

// TestFundingAPRSeries: one partial day, so one span (00:00, 04:00]: the
// book's 0.7 received on 1000 at its start for 4 h, annualized (1.533 by
// python3: 0.7/1000·365·6), and the members' median of their span means.
func TestFundingAPRSeries(t *testing.T) {
	out, err := Summarize(handBook(), Setting{})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Series
	if len(s.SpanEnds) != 2 || !math.IsNaN(s.BookFundingAPR[0]) {
		t.Fatalf("spans %v, book %v", s.SpanEnds, s.BookFundingAPR)
	}
	if math.Abs(s.BookFundingAPR[1]-1.533) > 1e-12 || math.Abs(s.MedianAPR[1]-(-0.1095)) > 1e-12 {
		t.Errorf("book %v median %v, want 1.533 and −0.1095", s.BookFundingAPR[1], s.MedianAPR[1])
	}
}

// TestBenchmarks runs BTCUSDT carry on a flat market and holds spot that
// rises 10 %: the spot's total return is 0.1 (capital × 110/100 − capital),
// and the carry's is its costs only (negative: fees, no price change in
// the basis).
func TestBenchmarks(t *testing.T) {
	btc := &strategy.Market{Symbol: "BTCUSDT", ContractType: data.Perpetual, Period: data.Period("1h")}
	for h := range 5 {
		btc.Times = append(btc.Times, hour(h))
		btc.Spot = append(btc.Spot, 100+2.5*float64(h))
		btc.Futures = append(btc.Futures, 100+2.5*float64(h))
	}
	out, err := Summarize(handBook(), Setting{BTC: btc})
	if err != nil {
		t.Fatal(err)
	}
	s := out.Summary
	if !s.BTCCarry.Available || s.BTCCarry.Note != "" || !s.BTCCarry.TotalReturn.Valid || s.BTCCarry.TotalReturn.V >= 0 {
		t.Errorf("btc carry %+v", s.BTCCarry)
	}
	if math.Abs(s.BTCSpot.TotalReturn.V-0.1) > 1e-12 {
		t.Errorf("btc spot %+v, want a total return of 0.1", s.BTCSpot)
	}
	if len(out.Series.BTCCarry) != 5 || len(out.Series.BTCSpot) != 5 || out.BTC == nil {
		t.Errorf("benchmark series %d %d", len(out.Series.BTCCarry), len(out.Series.BTCSpot))
	}
}
