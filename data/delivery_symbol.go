package data

import (
	"strings"
	"time"
)

// DeliveryOfSymbol reads the delivery instant a delivery contract's symbol
// names (BTCUSDT_261225: 2026-12-25 08:00 UTC, the hour Binance delivers
// quarterlies) and its pair. The archive and the lake keep the candles of
// contracts exchangeInfo no longer lists, so their names date deliveries
// the contracts dataset does not know.
func DeliveryOfSymbol(symbol string) (pair string, delivery time.Time, ok bool) {
	pair, yymmdd, dated := strings.Cut(symbol, "_")
	if !dated || ValidateSymbol(pair) != nil {
		return "", time.Time{}, false
	}
	d, err := time.Parse("060102", yymmdd)
	if err != nil {
		return "", time.Time{}, false
	}
	return pair, d.Add(8 * time.Hour), true
}
