package binancesim

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/carry-research/carry/data"
)

// KlineRecord is one candle exactly as the kline endpoints send it:
// numbers as strings, times and trades as integers. Index, mark and
// premium candles hold "0" volumes and a count of samples in Trades.
type KlineRecord struct {
	OpenTime                       int64
	Open, High, Low, Close, Volume string
	CloseTime                      int64
	QuoteVolume                    string
	Trades                         int64
	TakerBuyVolume                 string
	TakerBuyQuoteVolume            string
}

// AddKlines adds (or replaces, by open time) candles of a series. A
// candle whose close time is after the exchange's now is served as the
// still-open candle, as given.
func (m *Market) AddKlines(k data.KlineKey, rows ...KlineRecord) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.klines[k] = mergeByTime(m.klines[k], rows, func(r KlineRecord) int64 { return r.OpenTime })
}

// Klines returns a copy of a series' candles.
func (m *Market) Klines(k data.KlineKey) []KlineRecord {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return slices.Clone(m.klines[k])
}

// klinesOpenBetween returns a copy of a series' candles opening in
// [from, to] (ms): a request copies its window, not five years of candles.
func (m *Market) klinesOpenBetween(k data.KlineKey, from, to int64) []KlineRecord {
	m.mu.RLock()
	defer m.mu.RUnlock()
	rows := m.klines[k] // sorted by open time (mergeByTime)
	lo, _ := slices.BinarySearchFunc(rows, from, func(r KlineRecord, t int64) int { return cmp.Compare(r.OpenTime, t) })
	hi, found := slices.BinarySearchFunc(rows, to, func(r KlineRecord, t int64) int { return cmp.Compare(r.OpenTime, t) })
	if found {
		hi++
	}
	if hi <= lo {
		return nil
	}
	return slices.Clone(rows[lo:hi])
}

// knownKlineSymbol reports whether the exchange would know the symbol (or
// pair) a kline request names: a series of it, or a listed contract.
func (m *Market) knownKlineSymbol(kind data.KlineKind, symbol string) bool {
	m.mu.RLock()
	for k := range m.klines {
		if k.Kind == kind && k.Symbol == symbol {
			m.mu.RUnlock()
			return true
		}
	}
	m.mu.RUnlock()
	switch kind {
	case data.KlineIndex, data.KlineContinuous, data.KlineSpot:
		return m.knownPair(symbol)
	default:
		_, ok := m.contract(symbol)
		return ok
	}
}

// DeriveKlines builds a series' candles from the basis rows the market
// already has, so that a simulated market serves candles consistent with
// its basis: index and spot candles from indexPrice, futures, continuous
// and mark candles from futuresPrice, premium candles from (futures −
// index) / index, all of the basis series of the key's pair and contract
// type with the finest period that divides the interval. A candle opens
// at its first row and closes at the next candle's first row (its own
// last one for the newest), with the high and low of the rows between.
// Volumes are "0" (a simulated market trades nothing).
func (m *Market) DeriveKlines(k data.KlineKey) error {
	if err := k.Validate(); err != nil {
		return fmt.Errorf("deriving klines: %w", err)
	}
	pair, ct := k.Symbol, "PERPETUAL"
	switch k.Kind {
	case data.KlineContinuous:
		ct = string(k.ContractType)
	case data.KlineFutures, data.KlineMark, data.KlinePremium:
		c, ok := m.contract(k.Symbol)
		if !ok {
			return fmt.Errorf("deriving klines %s: no contract %s", k, k.Symbol)
		}
		pair, ct = c.Pair, c.ContractType
	}
	iv := k.Interval.Duration()
	var src BasisKey
	var step time.Duration
	for _, bk := range m.BasisKeys() {
		d, ok := periods[bk.Period]
		if bk.Pair == pair && bk.ContractType == ct && ok && iv%d == 0 && (step == 0 || d < step) {
			src, step = bk, d
		}
	}
	if step == 0 {
		return fmt.Errorf("deriving klines %s: no basis series of %s %s with a period dividing %s", k, pair, ct, k.Interval)
	}
	rows := m.Basis(src)
	price := func(r BasisRecord) string {
		switch k.Kind {
		case data.KlineIndex, data.KlineSpot:
			return r.IndexPrice
		case data.KlinePremium:
			idx, _ := strconv.ParseFloat(r.IndexPrice, 64)
			fut, _ := strconv.ParseFloat(r.FuturesPrice, 64)
			return FormatPrice((fut - idx) / idx)
		}
		return r.FuturesPrice
	}
	var out []KlineRecord
	for i := 0; i < len(rows); {
		open := time.UnixMilli(rows[i].Timestamp).UTC().Truncate(iv)
		j := i
		for j < len(rows) && rows[j].Timestamp < open.Add(iv).UnixMilli() {
			j++
		}
		in := rows[i:j]
		if j < len(rows) && rows[j].Timestamp == open.Add(iv).UnixMilli() {
			in = rows[i : j+1] // closes at the next candle's first price
		}
		out = append(out, candle(k.Kind, open, iv, in, price))
		i = j
	}
	m.AddKlines(k, out...)
	return nil
}

// candle makes one candle of the prices of rows.
func candle(kind data.KlineKind, open time.Time, iv time.Duration, rows []BasisRecord, price func(BasisRecord) string) KlineRecord {
	hi, lo := rows[0], rows[0]
	hv, lv := math.Inf(-1), math.Inf(1)
	for _, r := range rows {
		v, _ := strconv.ParseFloat(price(r), 64)
		if v > hv {
			hi, hv = r, v
		}
		if v < lv {
			lo, lv = r, v
		}
	}
	rec := KlineRecord{OpenTime: open.UnixMilli(), CloseTime: open.Add(iv).UnixMilli() - 1,
		Open: price(rows[0]), High: price(hi), Low: price(lo), Close: price(rows[len(rows)-1]),
		Volume: "0", QuoteVolume: "0", TakerBuyVolume: "0", TakerBuyQuoteVolume: "0"}
	if !kind.HasVolume() {
		rec.Trades = int64(len(rows)) // the samples behind it, as Binance counts them
	}
	return rec
}
