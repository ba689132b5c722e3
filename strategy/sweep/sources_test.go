package sweep

import (
	"testing"
	"time"

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
