package data

import (
	"strings"
	"testing"
	"time"
)

func TestKlineKeysAndRows(t *testing.T) {
	for _, c := range []struct {
		key  KlineKey
		want string // "" valid, else a substring of the error
	}{
		{KlineKey{Kind: KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}, ""},
		{KlineKey{Kind: KlineFutures, Symbol: "BTCUSDT_261225", Interval: "1h"}, ""},
		{KlineKey{Kind: KlineFutures, Symbol: "BTCUSDT_../../etc", Interval: "1h"}, "delivery contract"},
		{KlineKey{Kind: KlineFutures, Symbol: "BTCUSDT_2612", Interval: "1h"}, "delivery contract"},
		{KlineKey{Kind: KlineContinuous, Symbol: "BTCUSDT", ContractType: CurrentQuarter, Interval: "4h"}, ""},
		{KlineKey{Kind: KlineContinuous, Symbol: "BTCUSDT", Interval: "4h"}, "contract type goes with continuous"},
		{KlineKey{Kind: KlineIndex, Symbol: "BTCUSDT", ContractType: Perpetual, Interval: "1h"}, "contract type goes with continuous"},
		{KlineKey{Kind: "candles", Symbol: "BTCUSDT", Interval: "1h"}, "invalid kline kind"},
		{KlineKey{Kind: KlineSpot, Symbol: "BTCUSDT", Interval: "1M"}, "invalid kline interval"},
	} {
		err := c.key.Validate()
		if (c.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), c.want)) {
			t.Errorf("%v: err = %v, want %q", c.key, err, c.want)
		}
	}
	// A real perpetual 1h candle (gravestone recording, 2025-09-13 08:00 UTC).
	open := time.UnixMilli(1757750400000).UTC()
	r := KlineRow{OpenTime: open, CloseTime: time.UnixMilli(1757753999999).UTC(), Open: 115715.5, High: 116011, Low: 115715.5, Close: 115913.3}
	if err := r.Validate(KlineFutures, "1h"); err != nil {
		t.Error(err)
	}
	if err := r.Validate(KlineFutures, "4h"); err == nil || !strings.Contains(err.Error(), "close time") {
		t.Errorf("a 1h candle read as 4h: %v", err)
	}
	bad := r
	bad.Close = 117000
	if err := bad.Validate(KlineFutures, "1h"); err == nil {
		t.Error("a close above the high was accepted")
	}
	prem := KlineRow{OpenTime: open, CloseTime: r.CloseTime, Open: -0.00052225, High: -0.0000079, Low: -0.00078716, Close: -0.00042598}
	if err := prem.Validate(KlinePremium, "1h"); err != nil {
		t.Errorf("a negative premium index: %v", err)
	}
	if !KlineIndex.ByPair() || KlineFutures.ByPair() || KlineMark.HasVolume() || !KlineSpot.HasVolume() {
		t.Error("kind properties")
	}
}
