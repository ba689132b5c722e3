package data

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// KlineKind says which price a candle is of, and so which endpoint serves
// it (docs/lake.md, "klines").
type KlineKind string

// Kline kinds and their REST sources.
const (
	KlineFutures    KlineKind = "futures"    // GET /fapi/v1/klines: perpetuals and delivery symbols (BTCUSDT_261225)
	KlineContinuous KlineKind = "continuous" // GET /fapi/v1/continuousKlines: a pair and a contract type
	KlineIndex      KlineKind = "index"      // GET /fapi/v1/indexPriceKlines: keyed by pair
	KlineMark       KlineKind = "mark"       // GET /fapi/v1/markPriceKlines
	KlinePremium    KlineKind = "premium"    // GET /fapi/v1/premiumIndexKlines
	KlineSpot       KlineKind = "spot"       // GET /api/v3/klines: the spot market's own candles
)

// KlineKinds lists the kinds in a fixed order.
func KlineKinds() []KlineKind {
	return []KlineKind{KlineFutures, KlineContinuous, KlineIndex, KlineMark, KlinePremium, KlineSpot}
}

// ParseKlineKind validates a kind name such as "index".
func ParseKlineKind(s string) (KlineKind, error) {
	k := KlineKind(strings.ToLower(strings.TrimSpace(s)))
	if !slices.Contains(KlineKinds(), k) {
		names := make([]string, 0, 6)
		for _, k := range KlineKinds() {
			names = append(names, string(k))
		}
		return "", fmt.Errorf("invalid kline kind %q: want one of %s", s, strings.Join(names, ", "))
	}
	return k, nil
}

// ByPair reports whether the kind's series is keyed by the pair (index and
// continuous) rather than by a traded symbol.
func (k KlineKind) ByPair() bool { return k == KlineIndex || k == KlineContinuous }

// HasVolume reports whether the kind's candles carry volumes and trades:
// traded markets do; index, mark and premium candles hold "0" there.
func (k KlineKind) HasVolume() bool {
	return k == KlineFutures || k == KlineContinuous || k == KlineSpot
}

// Interval is a kline interval, named as Binance names it ("1m" … "1d").
type Interval string

var intervalDurations = map[Interval]time.Duration{
	"1m": time.Minute, "3m": 3 * time.Minute, "5m": 5 * time.Minute, "15m": 15 * time.Minute, "30m": 30 * time.Minute,
	"1h": time.Hour, "2h": 2 * time.Hour, "4h": 4 * time.Hour, "6h": 6 * time.Hour, "8h": 8 * time.Hour,
	"12h": 12 * time.Hour, "1d": 24 * time.Hour,
}

// Intervals lists the intervals the lake stores, shortest first. (Binance
// also serves 3d, 1w and 1M, which carry research has no use for.)
func Intervals() []Interval {
	out := make([]Interval, 0, len(intervalDurations))
	for i := range intervalDurations {
		out = append(out, i)
	}
	slices.SortFunc(out, func(a, b Interval) int { return int(intervalDurations[a] - intervalDurations[b]) })
	return out
}

// ParseInterval validates an interval name such as "1h".
func ParseInterval(s string) (Interval, error) {
	i := Interval(strings.TrimSpace(s))
	if _, ok := intervalDurations[i]; !ok {
		names := make([]string, 0, len(intervalDurations))
		for _, i := range Intervals() {
			names = append(names, string(i))
		}
		return "", fmt.Errorf("invalid kline interval %q: want one of %s", s, strings.Join(names, ", "))
	}
	return i, nil
}

// Duration is the interval's length.
func (i Interval) Duration() time.Duration { return intervalDurations[i] }

// KlineKey names one kline series: its kind, its symbol (the pair for index
// and continuous klines), the contract type (continuous klines only) and
// the interval.
type KlineKey struct {
	Kind         KlineKind
	Symbol       string
	ContractType ContractType // continuous only; "" otherwise
	Interval     Interval
}

// Validate checks each part of the key.
func (k KlineKey) Validate() error {
	if _, err := ParseKlineKind(string(k.Kind)); err != nil {
		return err
	}
	if err := validateKlineSymbol(k.Symbol); err != nil {
		return err
	}
	if (k.Kind == KlineContinuous) != (k.ContractType != "") {
		return fmt.Errorf("kline series %s: a contract type goes with continuous klines, and only with them", k)
	}
	if k.ContractType != "" {
		if _, err := ParseContractType(string(k.ContractType)); err != nil {
			return err
		}
	}
	_, err := ParseInterval(string(k.Interval))
	return err
}

// validateKlineSymbol accepts a symbol (BTCUSDT) or a delivery contract's
// (BTCUSDT_261225: the symbol, "_" and the delivery date as YYMMDD). The
// symbol names a partition directory, so nothing else may pass.
func validateKlineSymbol(s string) error {
	base, delivery, dated := strings.Cut(s, "_")
	if err := ValidateSymbol(base); err != nil {
		return err
	}
	if dated && (len(delivery) != 6 || strings.Trim(delivery, "0123456789") != "") {
		return fmt.Errorf("invalid symbol %q: a delivery contract ends in _ and its delivery date as YYMMDD, e.g. BTCUSDT_261225", s)
	}
	return nil
}

func (k KlineKey) String() string {
	if k.ContractType != "" {
		return fmt.Sprintf("%s %s %s %s", k.Kind, k.Symbol, k.ContractType, k.Interval)
	}
	return fmt.Sprintf("%s %s %s", k.Kind, k.Symbol, k.Interval)
}

// KlineRow is one closed candle. Prices are exact readings of the
// exchange's decimal strings (ParseExact); volumes and trades are null
// where the kind has none (HasVolume).
type KlineRow struct {
	OpenTime               time.Time // the candle's first instant, UTC
	CloseTime              time.Time // its last millisecond (open + interval − 1 ms)
	Open, High, Low, Close float64

	Volume              NullFloat64 // base asset
	QuoteVolume         NullFloat64
	Trades              int64 // 0 where the kind has none
	TakerBuyVolume      NullFloat64
	TakerBuyQuoteVolume NullFloat64
}

// Validate checks a candle of interval iv: positive prices except for the
// premium index (a rate that can be negative), low ≤ open, close ≤ high,
// and a close time one interval after the open, less 1 ms.
func (r KlineRow) Validate(kind KlineKind, iv Interval) error {
	at := lazyTime(r.OpenTime) // formatted only for an error: this runs for every row imported
	if want := r.OpenTime.Add(iv.Duration() - time.Millisecond); !r.CloseTime.Equal(want) {
		return fmt.Errorf("candle at %s: close time %s, want %s for %s", at, fmtTime(r.CloseTime), fmtTime(want), iv)
	}
	if kind != KlinePremium && (r.Open <= 0 || r.High <= 0 || r.Low <= 0 || r.Close <= 0) {
		return fmt.Errorf("candle at %s: a price ≤ 0 (open %v, high %v, low %v, close %v)", at, r.Open, r.High, r.Low, r.Close)
	}
	if r.Low > r.High || r.Open < r.Low || r.Open > r.High || r.Close < r.Low || r.Close > r.High {
		return fmt.Errorf("candle at %s: open %v and close %v not within low %v and high %v", at, r.Open, r.Close, r.Low, r.High)
	}
	return nil
}

// lazyTime formats as fmtTime when printed.
type lazyTime time.Time

func (t lazyTime) String() string { return fmtTime(time.Time(t)) }
