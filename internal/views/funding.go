// Package views computes the current picture from the lake — funding rates
// with the next-rate estimate, basis per base asset — for `carry funding`,
// `carry basis` and `carry serve`. It reads only the lake. See
// docs/views.md.
package views

import (
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Event is a funding-rate object in the shape of the funding API carry's
// answers are modelled on — symbol, funding_rate, next_funding_rate,
// next_funding_time, mark_price, index_price, updated_at: rates and prices
// decimal strings, next_funding_time epoch milliseconds, updated_at RFC
// 3339 — then carry's extensions (extra fields only). A history lists
// Events; a latest rate is an Event and whether its data is stale.
type Event struct {
	Symbol string `json:"symbol"`
	// FundingRate is the settled rate, the exchange's decimal string.
	FundingRate string `json:"funding_rate"`
	// NextFundingRate is, in a latest rate, an ESTIMATE (Binance's formula
	// on the premium of the basis rows since the settlement, rounded to
	// EstimatePlaces); in a history, the rate that settled at
	// NextFundingTime. Null when unknown.
	NextFundingRate *string `json:"next_funding_rate"`
	NextFundingTime EpochMs `json:"next_funding_time"`
	// MarkPrice is the settlement's mark price (at MarkPriceTime); null on
	// old rows, which Binance sent without one.
	MarkPrice *string `json:"mark_price"`
	// IndexPrice is the latest perpetual basis row's index price (at
	// IndexPriceTime); null without basis, and in a history.
	IndexPrice *string `json:"index_price"`
	// UpdatedAt is the time of the newest data the object shows: the
	// settlement, or the basis row behind the index price and estimate.
	UpdatedAt time.Time `json:"updated_at"`

	// carry's extensions.
	NextRateIsEstimate bool      `json:"next_funding_rate_is_estimate"`
	FundingTime        time.Time `json:"funding_time"`
	RateType           string    `json:"rate_type"`
	IntervalHours      int       `json:"interval_hours"`
	// AnnualizedRate is funding_rate·(24/h)·365 with the event's own
	// interval, a decimal string.
	AnnualizedRate string     `json:"annualized_rate"`
	MarkPriceTime  *time.Time `json:"mark_price_time"`
	IndexPriceTime *time.Time `json:"index_price_time"`
}

// Rate is a market's latest settled funding rate with the next-rate
// estimate.
type Rate struct {
	Event
	// Stale is true when the newest funding row is older than StaleAfter
	// funding intervals.
	Stale bool `json:"stale"`
}

// ErrUnknownSymbol is wrapped when the lake has no funding for a symbol.
var ErrUnknownSymbol = errors.New("no funding history for this symbol in the lake")

// Rates lists every symbol's latest rate, sorted by symbol; now decides
// which are stale.
func Rates(lake *lake.Lake, now time.Time) ([]Rate, error) { return rates(lakeReader{lake}, now) }

// RateOf is one symbol's latest rate.
func RateOf(lake *lake.Lake, symbol string, now time.Time) (Rate, error) {
	r := lakeReader{lake}
	keys, _ := r.basisKeys() // without basis, no estimate
	return rateOf(r, symbol, keys, now)
}

func rates(rd reader, now time.Time) ([]Rate, error) {
	syms, err := rd.fundingSymbols()
	if err != nil {
		return nil, err
	}
	keys, _ := rd.basisKeys() // without basis, no estimates
	out := []Rate{}
	for _, s := range syms {
		r, err := rateOf(rd, s, keys, now)
		if errors.Is(err, ErrUnknownSymbol) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// rateOf is one symbol's latest rate; keys are the lake's basis series.
func rateOf(rd reader, symbol string, keys []data.BasisKey, now time.Time) (Rate, error) {
	f, err := rd.funding(symbol)
	if errors.Is(err, lake.ErrNoSeries) || (err == nil && f.rows == 0) {
		return Rate{}, fmt.Errorf("%s: %w", symbol, ErrUnknownSymbol)
	}
	if err != nil {
		return Rate{}, err
	}
	last := f.lastRegular
	interval := last.FundingIntervalHours
	if f.intervalHours > 0 {
		interval = f.intervalHours // fundingInfo's current interval
	}
	r := Rate{Event: eventOf(symbol, last), Stale: fundingStale(now, f.newest, interval)}
	r.IntervalHours = interval
	r.NextFundingTime = Millis(last.Instant().Add(time.Duration(interval) * time.Hour))
	k, ok := finestPerpetual(keys, symbol)
	if !ok {
		return r, nil
	}
	basis, err := rd.basis(k)
	if errors.Is(err, lake.ErrNoSeries) {
		return r, nil
	}
	if err != nil {
		// A damaged basis file is a failure to see, not a missing estimate.
		return Rate{}, fmt.Errorf("reading %s for the next-rate estimate of %s: %w", k, symbol, err)
	}
	if basis.ok {
		at := basis.last.Timestamp
		r.IndexPrice, r.IndexPriceTime = optDecimalString(basis.last.IndexPrice, true), &at
		if at.After(r.UpdatedAt) {
			r.UpdatedAt = at
		}
	}
	if est, ok := basis.estimate(last.Instant(), interval); ok {
		r.NextFundingRate, r.NextRateIsEstimate = estimateString(est), true
	}
	return r, nil
}

// eventOf is a settled event's own fields: its rate, time, mark price and
// interval; the next settlement is the caller's.
func eventOf(symbol string, r data.FundingRow) Event {
	e := Event{Symbol: symbol, FundingRate: data.FormatExact(r.FundingRate), FundingTime: r.FundingTime, UpdatedAt: r.FundingTime,
		MarkPrice: optDecimalString(r.MarkPrice.Float64, r.MarkPrice.Valid), RateType: string(r.RateType),
		IntervalHours: r.FundingIntervalHours, AnnualizedRate: annualized(r.FundingRate, r.FundingIntervalHours)}
	if e.MarkPrice != nil {
		at := r.FundingTime
		e.MarkPriceTime = &at
	}
	return e
}
