package sim

import (
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// KlineKeys are the 1h kline series the simulated exchange serves of a
// pair: the perpetual's futures and mark candles, the index, the spot
// market, and the continuous current and next quarterlies.
func KlineKeys(pair string) []data.KlineKey {
	k := func(kind data.KlineKind, ct data.ContractType) data.KlineKey {
		return data.KlineKey{Kind: kind, Symbol: pair, ContractType: ct, Interval: "1h"}
	}
	return []data.KlineKey{k(data.KlineFutures, ""), k(data.KlineMark, ""), k(data.KlineIndex, ""), k(data.KlineSpot, ""),
		k(data.KlineContinuous, data.CurrentQuarter), k(data.KlineContinuous, data.NextQuarter)}
}

// addKlines puts a pair's hourly candles of its path into the market. A
// candle opens at its hour's price and closes at the next hour's, with
// wicks drawn beyond both (a quarter of an hour's volatility, at most a
// few); the mark price is the perpetual's, as in the funding events.
// Futures prices are at the pair's tick (Pair.TickDecimals), index and
// mark with 8 decimals, spot at the same tick written with 8, as Binance
// writes them. Volumes are
// "0" (a simulated market trades nothing) unless the pair has a
// QuoteVolume: then vol draws each traded candle's volume. Without
// quarterlies, the continuous candles are left out.
func addKlines(m *binancesim.Market, p Pair, ph *path, rng, vol *rand.Rand, quarterlies bool) {
	wick := 0.25 * p.Volatility / math.Sqrt(365*24)
	decimals := p.TickDecimals()
	tick := func(v float64) string { return binancesim.FormatAtTick(v, decimals) }
	spot := func(v float64) string { return binancesim.FormatPrice(binancesim.RoundToTick(v, decimals)) }
	series := []struct {
		prices []float64
		format func(float64) string
	}{
		{ph.perp, tick}, {ph.perp, binancesim.FormatPrice}, {ph.index, binancesim.FormatPrice}, {ph.spot, spot},
		{ph.current, tick}, {ph.next, tick},
	}
	keys := KlineKeys(p.Symbol)
	if !quarterlies {
		keys = keys[:4] // the quarterlies' candles come last: the others draw the same
	}
	for i, key := range keys {
		s := series[i]
		rows := make([]binancesim.KlineRecord, 0, len(s.prices)-ph.start)
		for h := ph.start; h < len(s.prices); h++ {
			open, closing := s.prices[h], s.prices[h]
			if h+1 < len(s.prices) {
				closing = s.prices[h+1]
			}
			hi := math.Max(open, closing) * (1 + wick*math.Abs(rng.NormFloat64()))
			lo := math.Min(open, closing) * (1 - wick*math.Abs(rng.NormFloat64()))
			t := ph.at(h)
			r := binancesim.KlineRecord{OpenTime: t.UnixMilli(), CloseTime: t.UnixMilli() + 3_600_000 - 1,
				Open: s.format(open), High: s.format(hi), Low: s.format(lo), Close: s.format(closing),
				Volume: "0", QuoteVolume: "0", TakerBuyVolume: "0", TakerBuyQuoteVolume: "0"}
			if !key.Kind.HasVolume() {
				r.Trades = 3600 // a sample a second, as Binance counts index and mark candles
			} else if p.QuoteVolume > 0 {
				setVolume(&r, p.QuoteVolume, closing, vol)
			}
			rows = append(rows, r)
		}
		m.AddKlines(key, rows...)
	}
}

// setVolume gives a traded candle a lognormal quote volume of mean
// meanQuote (σ 0.5), its base volume at the close, half of it bought by
// takers, and a trade every 2,000 USDT or so. Quote volumes have 4
// decimals and base volumes 2, as Binance writes them (and a float64
// keeps them exactly).
func setVolume(r *binancesim.KlineRecord, meanQuote, price float64, vol *rand.Rand) {
	quote := meanQuote * math.Exp(0.5*vol.NormFloat64()-0.125)
	r.QuoteVolume, r.TakerBuyQuoteVolume = strconv.FormatFloat(quote, 'f', 4, 64), strconv.FormatFloat(quote/2, 'f', 4, 64)
	r.Volume, r.TakerBuyVolume = strconv.FormatFloat(quote/price, 'f', 2, 64), strconv.FormatFloat(quote/price/2, 'f', 2, 64)
	r.Trades = int64(quote/2000) + 1
}
