package binancesim

import "testing"

// TestTickDecimals: the tick that fits a price is 0.01 from 100 up, else
// 10^(⌊log10 price⌋ − 4) (about 5 significant digits), at most 8
// decimals: Binance's ticks of BTCUSDT (0.01 here; 0.1 there), SOLUSDT
// 0.01, AVAXUSDT 0.001, DOGEUSDT 0.00001.
func TestTickDecimals(t *testing.T) {
	for _, c := range []struct {
		price float64
		want  int
	}{
		{62000, 2}, {150, 2}, {100, 2}, // 0.01 from 100 up: the existing pairs' tick
		{99.99, 3}, {28, 3}, {10, 3}, // 10^(1 − 4)
		{2, 4}, {1, 4}, // 10^(0 − 4)
		{0.55, 5}, {0.12, 5}, {0.1, 5}, // 10^(−1 − 4)
		{0.0999, 6},
		{1e-9, 8}, // Binance writes 8 decimals
	} {
		if got := TickDecimals(c.price); got != c.want {
			t.Errorf("TickDecimals(%g) = %d, want %d", c.price, got, c.want)
		}
	}
}
