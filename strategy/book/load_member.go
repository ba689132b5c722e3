package book

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// memberResult is one symbol's load: a member, or why it was skipped, or
// an error naming it.
type memberResult struct {
	member   portfolio.Member
	skipped  string
	warnings []string
	err      error
}

// loadMember loads one symbol on its own data inside the window.
func loadMember(store *lake.Lake, s UniverseSpec, ex *extents, sym string) memberResult {
	var r memberResult
	prices, source, ok := memberPrices(s, ex, sym)
	if !ok {
		if _, known := ex.perpetual[sym]; !known {
			r.err = fmt.Errorf("universe member %s: the lake at %s holds no funding, futures candles or basis of it", sym, store.Root())
			return r
		}
		r.skipped = fmt.Sprintf("%s: the lake holds no %s of period %s", sym, pricesName(s), s.Period)
		return r
	}
	from, to := s.From, s.To
	if from.IsZero() || prices.first.After(from) {
		from = prices.first
	}
	if to.IsZero() || prices.last.Before(to) {
		to = prices.last
	}
	if to.Before(from) {
		r.skipped = fmt.Sprintf("%s: its prices (%s → %s) do not meet the window", sym, prices.first.Format(time.RFC3339), prices.last.Format(time.RFC3339))
		return r
	}
	ld, err := backtest.Load(store, backtest.Spec{Symbol: sym, Period: s.Period, Contract: data.Perpetual, From: from, To: to, Prices: source, Spot: s.Spot})
	if errors.Is(err, backtest.ErrMissingData) {
		r.skipped = fmt.Sprintf("%s: %v", sym, err)
		return r
	}
	if err != nil {
		r.err = fmt.Errorf("loading universe member %s: %w", sym, err)
		return r
	}
	for _, w := range ld.Warnings {
		r.warnings = append(r.warnings, sym+": "+w)
	}
	r.member.Market = ld.Market
	r.member.Since = ex.firstData(sym, ld.Market.Times[0])
	if r.member.QuoteVolume, err = quoteVolumes(store, sym, s.Period, ld.Market.Times); err != nil {
		r.err = fmt.Errorf("universe member %s: %w", sym, err)
		return r
	}
	var warning string
	if r.member.Delisted, warning, err = delisted(store, s, ex, sym, ld.Market.Times[len(ld.Market.Times)-1]); err != nil {
		r.err = fmt.Errorf("universe member %s: %w", sym, err)
		return r
	}
	if warning != "" {
		r.warnings = append(r.warnings, sym+": "+warning)
	}
	return r
}

// memberPrices is the span of the symbol's price data the member is
// priced by, and the source that prices it. Under auto a member's window
// is its own data, so the single pair's rule (the basis when it covers
// the window, else the klines, never a mix) becomes: the source covering
// the longer span of the book's window, the basis on a tie. The union of
// the two spans would be covered by neither (Binance's basis runs an hour
// past the last candle's open, and back only about 30 days).
func memberPrices(s UniverseSpec, ex *extents, sym string) (span, backtest.PriceSource, bool) {
	k, hasK := ex.klines[sym]
	b, hasB := ex.basis[sym]
	switch {
	case s.Prices == backtest.PricesKlines || s.Spot == backtest.SpotMarket: // the basis has no spot market
		return k, backtest.PricesKlines, hasK
	case s.Prices == backtest.PricesBasis:
		return b, backtest.PricesBasis, hasB
	case hasK && hasB && k.within(s.From, s.To) > b.within(s.From, s.To):
		return k, backtest.PricesKlines, true
	case hasB:
		return b, backtest.PricesBasis, true
	}
	return k, backtest.PricesKlines, hasK
}

// pricesName says which price data the spec reads.
func pricesName(s UniverseSpec) string {
	switch {
	case s.Prices == backtest.PricesKlines:
		return "futures candles"
	case s.Spot == backtest.SpotMarket:
		return "futures candles (the basis has no spot market prices)"
	case s.Prices == backtest.PricesBasis:
		return "perpetual basis"
	}
	return "futures candles or perpetual basis"
}

// quoteVolumes are the quote volumes of the futures candles that closed at
// each grid time (the candle that opened a period before: nothing from
// after the grid point), NaN where the lake lacks that candle or its
// volume; nil if the lake has no futures candles of the period's interval.
func quoteVolumes(store *lake.Lake, sym string, period data.Period, times []time.Time) ([]float64, error) {
	iv, err := data.ParseInterval(string(period))
	if err != nil {
		return nil, fmt.Errorf("the kline interval of period %s: %w", period, err)
	}
	key := data.KlineKey{Kind: data.KlineFutures, Symbol: sym, Interval: iv}
	ks, err := store.ReadKlines(key)
	if errors.Is(err, lake.ErrNoSeries) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the quote volumes of klines %s: %w", key, err)
	}
	byOpen := make(map[int64]data.NullFloat64, len(ks.Rows))
	for _, r := range ks.Rows {
		byOpen[r.OpenTime.UnixMilli()] = r.QuoteVolume
	}
	step := iv.Duration()
	out := make([]float64, len(times))
	for i, t := range times {
		out[i] = math.NaN()
		if v, ok := byOpen[t.Add(-step).UnixMilli()]; ok && v.Valid {
			out[i] = v.Float64
		}
	}
	return out, nil
}

// liveDeliveryDate is the deliveryDate exchangeInfo gives a perpetual
// that is not being delisted (2100-12-25).
const liveDeliveryDate int64 = 4133404800000

// delisted says whether a member's data ends because the exchange
// delisted it. The lake's contracts say so when they list the perpetual
// not trading, with its delisting as delivery date: a member whose data
// reaches the delisting (within a day and a period) was delisted; one
// whose window ends earlier was not, in this window. Without the
// exchange's word, a member whose data ends more than a day before the
// window's end and before the lake's newest data of other symbols is
// treated as delisted, and the warning says so.
func delisted(store *lake.Lake, s UniverseSpec, ex *extents, sym string, last time.Time) (bool, string, error) {
	rows, err := store.ReadContracts(sym)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return false, "", fmt.Errorf("reading its contracts: %w", err)
	}
	day := 24 * time.Hour
	newest := ex.newestBesides(sym)
	endsEarly := (s.To.IsZero() || last.Before(s.To.Add(-day))) && last.Before(newest.Add(-day))
	for _, c := range rows {
		if c.Symbol != sym || c.ContractType != data.Perpetual {
			continue
		}
		if c.Status == "TRADING" {
			if endsEarly {
				return false, fmt.Sprintf("its data ends at %s, more than a day before the window's end and the lake's newest data (%s), yet the exchange listed it trading: the lake may lack its latest data (backfill it); it leaves the universe there, not delisted",
					last.Format(time.RFC3339), newest.Format(time.RFC3339)), nil
			}
			return false, "", nil
		}
		if c.DeliveryDate.UnixMilli() < liveDeliveryDate {
			return !last.Before(c.DeliveryDate.Add(-day - s.Period.Duration())), "", nil
		}
		return endsEarly, "", nil // delisted, undated: its data says when
	}
	if !endsEarly {
		return false, "", nil
	}
	return true, fmt.Sprintf("the lake's contracts do not say whether it was delisted; its data ends at %s, more than a day before the window's end and the lake's newest data (%s): treated as delisted",
		last.Format(time.RFC3339), newest.Format(time.RFC3339)), nil
}
