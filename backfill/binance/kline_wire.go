package binance

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
)

// klineWire is one candle as every kline endpoint sends it: a 12-element
// array of open time (ms), open, high, low, close, volume (strings), close
// time (ms), quote volume (string), trades (an integer), taker buy base
// and quote volumes (strings), and an ignored field. Index, mark and
// premium candles hold "0" (or "0 ") where volumes go and a count of
// samples where trades go: their kinds say they have none.
type klineWire struct {
	OpenTime            int64
	Open, High, Low     string
	Close, Volume       string
	CloseTime           int64
	QuoteVolume         string
	Trades              int64
	TakerBuyVolume      string
	TakerBuyQuoteVolume string
}

// klineFields names the array's elements (the twelfth is ignored).
var klineFields = [...]string{"open time", "open", "high", "low", "close", "volume", "close time", "quote volume", "trades", "taker buy volume", "taker buy quote volume"}

func (w *klineWire) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return fmt.Errorf("a kline is not an array: %w", err)
	}
	if len(raw) < len(klineFields) {
		return fmt.Errorf("a kline of %d elements, want 12", len(raw))
	}
	dst := [...]any{&w.OpenTime, &w.Open, &w.High, &w.Low, &w.Close, &w.Volume, &w.CloseTime, &w.QuoteVolume, &w.Trades, &w.TakerBuyVolume, &w.TakerBuyQuoteVolume}
	for i, d := range dst {
		// Times and trades must be JSON integers, the rest JSON strings:
		// a number sent in the other form is a different wire format.
		if err := json.Unmarshal(raw[i], d); err != nil {
			return fmt.Errorf("kline %s (%s): %w", klineFields[i], raw[i], err)
		}
	}
	return nil
}

// row converts a candle of the given kind, naming the candle (by its open
// time) and the field when a value is bad.
func (w klineWire) row(kind data.KlineKind) (data.KlineRow, error) {
	r := data.KlineRow{OpenTime: time.UnixMilli(w.OpenTime).UTC(), CloseTime: time.UnixMilli(w.CloseTime).UTC()}
	row := fmt.Sprintf("candle at %s", rowTime(r.OpenTime))
	var err error
	for _, f := range []struct {
		dst  *float64
		src  string
		name string
	}{{&r.Open, w.Open, "open"}, {&r.High, w.High, "high"}, {&r.Low, w.Low, "low"}, {&r.Close, w.Close, "close"}} {
		if *f.dst, err = data.ParseExact(f.src); err != nil {
			return r, fieldError(row, f.name, err)
		}
	}
	if !kind.HasVolume() {
		return r, nil
	}
	for _, f := range []struct {
		dst  *data.NullFloat64
		src  string
		name string
	}{{&r.Volume, w.Volume, "volume"}, {&r.QuoteVolume, w.QuoteVolume, "quote volume"},
		{&r.TakerBuyVolume, w.TakerBuyVolume, "taker buy volume"}, {&r.TakerBuyQuoteVolume, w.TakerBuyQuoteVolume, "taker buy quote volume"}} {
		v, err := data.ParseExact(f.src)
		if err != nil {
			return r, fieldError(row, f.name, err)
		}
		*f.dst = data.Some(v)
	}
	if w.Trades < 0 {
		return r, fmt.Errorf("%s: trades %d < 0", row, w.Trades)
	}
	r.Trades = w.Trades
	return r, nil
}
