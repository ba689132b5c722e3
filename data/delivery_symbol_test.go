package data

import (
	"testing"
	"time"
)

func TestDeliveryOfSymbol(t *testing.T) {
	pair, d, ok := DeliveryOfSymbol("BTCUSDT_261225")
	if !ok || pair != "BTCUSDT" || !d.Equal(time.Date(2026, 12, 25, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("BTCUSDT_261225: %q %s %v", pair, d, ok)
	}
	for _, s := range []string{"BTCUSDT", "BTCUSDT_", "BTCUSDT_261345", "btc-usdt_261225", "BTCUSDT_26122"} {
		if _, _, ok := DeliveryOfSymbol(s); ok {
			t.Errorf("%q read as a delivery symbol", s)
		}
	}
}
