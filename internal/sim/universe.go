package sim

import (
	"math"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// DelistedSymbol is the default universe's delisted perpetual: an invented
// name, so that no one mistakes it for a real coin's history.
const DelistedSymbol = "DLSTUSDT"

// Universe are the perpetuals a cross-sectional portfolio ranks beside
// the default market's three (Config.UniversePairs): funding regimes that
// differ, so that ranking matters — BNB near the interest rate, XRP and
// ADA with negative spells in the bear regimes, DOGE and AVAX persistently
// high (DOGE and AVAX funding every 4h), LINK a little above, their
// regimes turning at other times — and DLSTUSDT, a hot small coin paying
// the most funding until the exchange delists it five months before End.
// Quote volumes differ too: LINK's and DLST's are thin, for a liquidity
// filter to bite.
func Universe() []Pair {
	return []Pair{
		{Symbol: "BNBUSDT", Start: 580, Volatility: 0.55, IntervalHours: 8, RegimeLagDays: 60, QuoteVolume: 40e6},
		{Symbol: "XRPUSDT", Start: 0.55, Volatility: 0.80, IntervalHours: 8, PremiumShift: -0.0004, RegimeLagDays: 150, QuoteVolume: 30e6},
		{Symbol: "DOGEUSDT", Start: 0.12, Volatility: 0.95, IntervalHours: 4, PremiumShift: 0.0004, RegimeLagDays: 20, QuoteVolume: 35e6},
		{Symbol: "ADAUSDT", Start: 0.45, Volatility: 0.85, IntervalHours: 8, PremiumShift: -0.0003, RegimeLagDays: 90, QuoteVolume: 12e6},
		{Symbol: "AVAXUSDT", Start: 28, Volatility: 0.90, IntervalHours: 4, PremiumShift: 0.0002, RegimeLagDays: 120, QuoteVolume: 10e6},
		{Symbol: "LINKUSDT", Start: 14, Volatility: 0.80, IntervalHours: 8, PremiumShift: 0.0001, RegimeLagDays: 30, QuoteVolume: 2e6},
		{Symbol: DelistedSymbol, Start: 2, Volatility: 1.20, IntervalHours: 4, PremiumShift: 0.0007, RegimeLagDays: 45, QuoteVolume: 1e6,
			DelistedBefore: 150 * 24 * time.Hour},
	}
}

// universeKinds are the kline kinds of a universe pair: no quarterlies.
var universeKinds = []data.KlineKind{data.KlineFutures, data.KlineMark, data.KlineIndex, data.KlineSpot}

// universeKeys are the 1h kline series of a universe pair.
func universeKeys(symbol string) []data.KlineKey {
	var out []data.KlineKey
	for _, k := range KlineKeys(symbol) {
		for _, kind := range universeKinds {
			if k.Kind == kind {
				out = append(out, k)
			}
		}
	}
	return out
}

// addUniversePair copies a universe pair, simulated in a market of its
// own (src), into m: its perpetual only (exchangeInfo lists no quarterly
// of it), its perpetual basis, funding and klines, all ending at its
// delisting if it has one — the last candle closes then, the last funding
// event is then, and exchangeInfo lists it SETTLING with that delivery
// date, as Binance lists the perpetuals it has delisted.
func addUniversePair(m, src *binancesim.Market, p Pair, c Config) {
	contract := binancesim.Contract{Symbol: p.Symbol, FundingIntervalHours: p.IntervalHours, OnboardDate: c.KlinesFrom().AddDate(-1, 0, 0).UnixMilli()}
	last := int64(math.MaxInt64 - time.Second.Milliseconds()) // no end: room for the funding's lateness below
	if at := c.DelistedAt(p); !at.IsZero() {
		contract.Status, contract.DeliveryDate = "SETTLING", at.UnixMilli()
		last = at.UnixMilli()
	}
	m.AddContract(contract)
	k := binancesim.BasisKey{Pair: p.Symbol, ContractType: "PERPETUAL", Period: "1h"}
	m.AddBasis(k, until(src.Basis(k), last, func(r binancesim.BasisRecord) int64 { return r.Timestamp })...)
	// A funding event is stamped up to 31 ms late: the one at the
	// delisting is the last.
	m.AddFunding(p.Symbol, until(src.Funding(p.Symbol), last+time.Second.Milliseconds(), func(r binancesim.FundingRecord) int64 { return r.FundingTime })...)
	for _, key := range universeKeys(p.Symbol) {
		m.AddKlines(key, until(src.Klines(key), last, func(r binancesim.KlineRecord) int64 { return r.CloseTime + 1 })...)
	}
}

// until is the rows stamped at or before last (sorted rows: a prefix).
func until[T any](rows []T, last int64, at func(T) int64) []T {
	n := len(rows)
	for n > 0 && at(rows[n-1]) > last {
		n--
	}
	return rows[:n]
}
