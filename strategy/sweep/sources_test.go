package sweep

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
)

// Ids computed before prices and spot were grid fields: a grid that does
// not set them (or sets their defaults) keeps every id and the order.
func TestPriceSourcesKeepOldIds(t *testing.T) {
	want := []string{"7ab716b3de3c0473", "576c35c3b78ee34a", "45fb86fc675e7bf0", "8a665930cb760d51",
		"8a59df043fe05269", "226fbb92001d5bea", "e59e29949a438e38", "1d7081e3431443ea"}
	const grid = "symbols: [BTCUSDT, ETHUSDT]\ncontracts: [PERPETUAL, CURRENT_QUARTER]\nleverage: [1, 2]\nfrom: 2026-01-01\nto: 2026-02-01\n"
	for _, extra := range []string{"", "prices: auto\nspot: index\n"} {
		ex := expandGrid(t, grid+extra)
		if len(ex.Combinations) != len(want) {
			t.Fatalf("%q: %d combinations", extra, len(ex.Combinations))
		}
		for i, c := range ex.Combinations {
			if c.ID != want[i] || c.Spec.Prices != backtest.PricesAuto || c.Spec.Spot != backtest.SpotIndex {
				t.Errorf("%q: combination %d: id %s (want %s), %s/%s", extra, i, c.ID, want[i], c.Spec.Prices, c.Spec.Spot)
			}
		}
	}
}

func TestPriceSourcesAreMarketAxes(t *testing.T) {
	ex := expandGrid(t, "symbols: [BTCUSDT]\nprices: [basis, klines]\nspot: [index, spot]\nleverage: [1, 2]\n")
	// basis × spot is refused (the basis holds only the index price).
	if len(ex.Combinations) != 6 || ex.Invalid != 2 {
		t.Fatalf("%d combinations, %d invalid (%v)", len(ex.Combinations), ex.Invalid, ex.Reasons)
	}
	seen := map[string]bool{}
	var order []string
	for _, c := range ex.Combinations {
		seen[c.ID] = true
		m := string(c.Spec.Prices) + "/" + string(c.Spec.Spot)
		if c.Values["prices"] != string(c.Spec.Prices) || c.Values["spot"] != string(c.Spec.Spot) {
			t.Errorf("values %v, spec %s", c.Values, m)
		}
		if len(order) == 0 || order[len(order)-1] != m {
			order = append(order, m)
		}
	}
	if len(seen) != 6 {
		t.Errorf("ids not distinct: %v", seen)
	}
	// Market axes vary slower than every engine parameter.
	if want := []string{"basis/index", "klines/index", "klines/spot"}; len(order) != 3 || order[0] != want[0] || order[1] != want[1] || order[2] != want[2] {
		t.Errorf("market order %v, want %v", order, want)
	}
	if columnOf["prices"] != "futures_source" || columnOf["spot"] != "spot_source" {
		t.Errorf("columns %q %q", columnOf["prices"], columnOf["spot"])
	}
	if _, err := ParseGrid([]byte("symbols: [BTCUSDT]\nspot: [mark]\n")); err == nil {
		t.Error("spot: mark accepted")
	}
}

func expandGrid(t *testing.T, text string) Expansion {
	t.Helper()
	g, err := ParseGrid([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Expand(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

// A sweep over prices: [basis, klines] on a lake whose candles' opens are
// the basis rows' prices: each row says its source, and both markets give
// the same money.
func TestSweepRowsSayTheirPriceSources(t *testing.T) {
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var basis []data.BasisRow
	var futures, index []data.KlineRow
	var funding []data.FundingRow
	candle := func(at time.Time, p float64) data.KlineRow {
		return data.KlineRow{OpenTime: at, CloseTime: at.Add(time.Hour - time.Millisecond), Open: p, High: p, Low: p, Close: p}
	}
	for h := range 72 {
		at := t0.Add(time.Duration(h) * time.Hour)
		s, f := 60000+float64(h%7)*10, 60030+float64(h%5)*10
		basis = append(basis, data.BasisRow{Timestamp: at, IndexPrice: s, FuturesPrice: f, Basis: f - s, BasisRate: f/s - 1})
		futures, index = append(futures, candle(at, f)), append(index, candle(at, s))
		if h%8 == 0 {
			funding = append(funding, data.FundingRow{FundingTime: at, FundingRate: 0.0001, MarkPrice: data.Some(f), RateType: data.Regular, FundingIntervalHours: 8})
		}
	}
	must := func(_ lake.MergeResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, basis))
	must(l.MergeKlines(data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}, futures))
	must(l.MergeKlines(data.KlineKey{Kind: data.KlineIndex, Symbol: "BTCUSDT", Interval: "1h"}, index))
	must(l.MergeFunding("BTCUSDT", funding, lake.WithIntervalHours(8)))

	grid := []byte("symbols: [BTCUSDT]\nprices: [basis, klines]\nleverage: [1, 2]\n")
	g, err := ParseGrid(grid)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Plan(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "sweep")
	if _, err := (&Job{Lake: l, Out: out, Workers: 1}).Compute(context.Background(), grid, ex); err != nil {
		t.Fatal(err)
	}
	rows := resultRows(t, filepath.Join(out, ResultsCSV))
	want := []string{"basis", "basis", "klines futures 1h", "klines futures 1h"}
	if len(rows) != 4 {
		t.Fatalf("%d rows", len(rows))
	}
	for i, r := range rows {
		spot := "basis index"
		if i >= 2 {
			spot = "klines index 1h"
		}
		if r["futures_source"] != want[i] || r["spot_source"] != spot {
			t.Errorf("row %d: sources %q, %q", i, r["futures_source"], r["spot_source"])
		}
	}
	for i := range 2 {
		if rows[i]["final_equity"] != rows[i+2]["final_equity"] || rows[i]["funding_income"] != rows[i+2]["funding_income"] {
			t.Errorf("leverage %s: basis %s, klines %s", rows[i]["leverage"], rows[i]["final_equity"], rows[i+2]["final_equity"])
		}
	}
}

// resultRows reads results.csv as one map per row, by column, in
// combination order.
func resultRows(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	out := make([]map[string]string, len(recs)-1)
	for _, rec := range recs[1:] {
		m := map[string]string{}
		for i, c := range recs[0] {
			m[c] = rec[i]
		}
		i, err := strconv.Atoi(m["combination_index"])
		if err != nil || i >= len(out) {
			t.Fatalf("combination_index %q", m["combination_index"])
		}
		out[i] = m
	}
	return out
}
