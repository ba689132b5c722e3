package views

import (
	"context"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sim"
)

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func rows(premiums ...float64) []data.BasisRow {
	var out []data.BasisRow
	for i, p := range premiums {
		out = append(out, data.BasisRow{Timestamp: t0.Add(time.Duration(i+1) * time.Hour), IndexPrice: 100, FuturesPrice: 100 * (1 + p)})
	}
	return out
}

func TestEstimateNext(t *testing.T) {
	// Binance's formula: rate = P + clamp(I − P, ±0.05%), I = 0.01%·h/8.
	cases := []struct {
		name     string
		premiums []float64
		hours    int
		want     float64
	}{
		// |I − P| ≤ 0.05%: the clamp passes I − P through, rate = I.
		{"small premium gives the interest", []float64{0.0002, 0.0004}, 8, 0.0001},
		// P = 0.3%: I − P = −0.29% clamped to −0.05%: rate = 0.25%.
		{"large premium", []float64{0.003, 0.003}, 8, 0.0025},
		// P = −0.2%: I − P = 0.21% clamped to +0.05%: rate = −0.15%.
		{"large discount", []float64{-0.002}, 8, -0.0015},
		// 4h interval: I = 0.005%.
		{"4h interest", []float64{0.0001}, 4, 0.00005},
	}
	for _, c := range cases {
		got, ok := EstimateNext(rows(c.premiums...), t0, c.hours)
		if !ok || math.Abs(got-c.want) > 1e-12 {
			t.Errorf("%s: %v, %v; want %v", c.name, got, ok, c.want)
		}
	}
	if _, ok := EstimateNext(rows(0.001), t0.Add(5*time.Hour), 8); ok {
		t.Error("an estimate without basis rows after the last settlement")
	}
}

func TestBase(t *testing.T) {
	for pair, want := range map[string]string{"BTCUSDT": "BTC", "ETHUSDC": "ETH", "1000BONKUSDT": "1000BONK", "USDT": "USDT"} {
		if got := Base(pair); got != want {
			t.Errorf("Base(%s) = %s, want %s", pair, got, want)
		}
	}
}

// TestAccuracyOnTheSimulatedMarket: the simulated market sets funding with
// the very formula the estimate uses, on hourly premiums, so the estimate
// must track it closely — an end-to-end check of the replay.
func TestAccuracyOnTheSimulatedMarket(t *testing.T) {
	dir := t.TempDir()
	lake, err := lake.Open(filepath.Join(dir, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	c := sim.DefaultConfig(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 20, 3)
	srv := binancesim.NewUnstarted(sim.Market(c), binancesim.Options{Now: func() time.Time { return c.End }, BasisRetention: 21 * 24 * time.Hour})
	if _, err := sim.Backfill(context.Background(), c, lake, "http://sim.invalid", srv.Transport()); err != nil {
		t.Fatal(err)
	}
	for _, sym := range []string{"BTCUSDT", "SOLUSDT"} {
		a, err := AccuracyOf(lake, sym)
		if err != nil {
			t.Fatal(err)
		}
		if a.Events < 50 || !a.MAE.Valid || a.MAE.V > 0.2*a.MeanAbsRate.V {
			t.Errorf("%s: %+v: the estimate should track the simulated formula", sym, a)
		}
	}
	os.RemoveAll(dir)
}
