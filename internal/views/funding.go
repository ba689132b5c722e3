// Package views computes the current picture from the lake — funding rates
// with the next-rate estimate, basis per base asset — for `carry funding`,
// `carry basis` and `carry serve`. It reads only the lake. See
// docs/views.md.
package views

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// Binance's funding formula constants: interest 0.01% per 8 hours, and the
// clamp of (interest − premium) to ±0.05%.
const (
	interestPer8h = 0.0001
	clampBand     = 0.0005
)

// Num is an exact decimal as JSON (the lake's value as the exchange sent it).
func Num(f float64) json.Number { return json.Number(data.FormatExact(f)) }

// annualized is r·(24/h)·365 in exact decimal arithmetic.
func annualized(r float64, h int) json.Number {
	return json.Number(data.Decimal(r).Mul(decimal.NewFromInt(24*365)).DivRound(decimal.NewFromInt(int64(h)), 16).String())
}

// decNum is a decimal as JSON.
func decNum(d decimal.Decimal) *json.Number {
	n := json.Number(d.String())
	return &n
}

// OptNum is a Num, nil when absent.
func OptNum(f float64, ok bool) *json.Number {
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	n := Num(f)
	return &n
}

// Rate is a market's latest settled funding rate.
type Rate struct {
	Symbol      string      `json:"symbol"`
	FundingRate json.Number `json:"funding_rate"`
	FundingTime time.Time   `json:"funding_time"`
	// NextFundingRate is an ESTIMATE: Binance's formula applied to the
	// premium implied by the basis rows since the last settlement; null
	// when no such rows exist.
	NextFundingRate    *json.Number `json:"next_funding_rate"`
	NextRateIsEstimate bool         `json:"next_funding_rate_is_estimate"`
	NextFundingTime    time.Time    `json:"next_funding_time"`
	MarkPrice          *json.Number `json:"mark_price"`
	IndexPrice         *json.Number `json:"index_price"`
	// AnnualizedRate is funding_rate·(24/interval)·365.
	AnnualizedRate json.Number `json:"annualized_rate"`
	IntervalHours  int         `json:"interval_hours"`
	UpdatedAt      *time.Time  `json:"updated_at"`
}

// Event is one settled funding event of a history.
type Event struct {
	Symbol         string       `json:"symbol"`
	FundingTime    time.Time    `json:"funding_time"`
	FundingRate    json.Number  `json:"funding_rate"`
	MarkPrice      *json.Number `json:"mark_price"`
	RateType       string       `json:"rate_type"`
	IntervalHours  int          `json:"interval_hours"`
	AnnualizedRate json.Number  `json:"annualized_rate"`
}

// ErrUnknownSymbol is wrapped when the lake has no funding for a symbol.
var ErrUnknownSymbol = errors.New("no funding history for this symbol in the lake")

// Rates lists every symbol's latest rate, sorted by symbol.
func Rates(lake *data.Lake) ([]Rate, error) { return rates(lakeReader{lake}) }

// RateOf is one symbol's latest rate.
func RateOf(lake *data.Lake, symbol string) (Rate, error) {
	r := lakeReader{lake}
	keys, _ := r.basisKeys() // without basis, no estimate
	return rateOf(r, symbol, keys)
}

func rates(rd reader) ([]Rate, error) {
	syms, err := rd.fundingSymbols()
	if err != nil {
		return nil, err
	}
	keys, _ := rd.basisKeys() // without basis, no estimates
	out := []Rate{}
	for _, s := range syms {
		r, err := rateOf(rd, s, keys)
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
func rateOf(rd reader, symbol string, keys []data.BasisKey) (Rate, error) {
	f, err := rd.funding(symbol)
	if errors.Is(err, data.ErrNoSeries) || (err == nil && f.rows == 0) {
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
	r := Rate{
		Symbol: symbol, FundingRate: Num(last.FundingRate), FundingTime: last.FundingTime,
		NextFundingTime: last.Instant().Add(time.Duration(interval) * time.Hour),
		MarkPrice:       OptNum(last.MarkPrice.Float64, last.MarkPrice.Valid),
		AnnualizedRate:  annualized(last.FundingRate, last.FundingIntervalHours),
		IntervalHours:   interval,
	}
	if !f.updatedAt.IsZero() {
		u := f.updatedAt
		r.UpdatedAt = &u
	}
	k, ok := finestPerpetual(keys, symbol)
	if !ok {
		return r, nil
	}
	basis, err := rd.basis(k)
	if err != nil {
		return r, nil // an unreadable basis series: no estimate, as without one
	}
	if basis.ok {
		r.IndexPrice = OptNum(basis.last.IndexPrice, true)
	}
	if est, ok := basis.estimate(last.Instant(), interval); ok {
		r.NextFundingRate, r.NextRateIsEstimate = OptNum(est, true), true
	}
	return r, nil
}

// perpetualBasis is the symbol's finest perpetual basis series, whole.
func perpetualBasis(lake *data.Lake, symbol string) (data.BasisSeries, bool) {
	keys, err := lake.BasisKeys()
	if err != nil {
		return data.BasisSeries{}, false
	}
	k, ok := finestPerpetual(keys, symbol)
	if !ok {
		return data.BasisSeries{}, false
	}
	s, err := lake.ReadBasis(k)
	return s, err == nil
}

// EstimateNext estimates the next funding rate with Binance's formula,
//
//	rate = P + clamp(I − P, −0.05%, +0.05%),  I = 0.01% × h/8,
//
// P being the mean premium (futures/index − 1) of the basis rows after the
// last settlement `since` (the premium index Binance averages over the
// interval, approximated by the perpetual's basis). No estimate without
// such rows. The exchange's cap and floor are not applied (the lake does not
// know them); they bind only in extreme markets.
func EstimateNext(rows []data.BasisRow, since time.Time, intervalHours int) (float64, bool) {
	i, _ := slices.BinarySearchFunc(rows, since, func(r data.BasisRow, t time.Time) int {
		if r.Timestamp.After(t) {
			return 1
		}
		return -1
	})
	var sum float64
	n := 0
	for _, r := range rows[i:] {
		sum += premium(r)
		n++
	}
	return nextRate(sum, n, intervalHours)
}

// premium is a basis row's futures/index − 1.
func premium(r data.BasisRow) float64 { return r.FuturesPrice/r.IndexPrice - 1 }

// nextRate is Binance's formula on the mean of n premiums summing to sum;
// none without premiums.
func nextRate(sum float64, n, intervalHours int) (float64, bool) {
	if n == 0 {
		return 0, false
	}
	p := sum / float64(n)
	interest := interestPer8h * float64(intervalHours) / 8
	return p + math.Max(-clampBand, math.Min(clampBand, interest-p)), true
}

// History is a symbol's events, newest first, at most limit.
func History(lake *data.Lake, symbol string, limit int) ([]Event, error) {
	return history(lakeReader{lake}, symbol, limit)
}

func history(rd reader, symbol string, limit int) ([]Event, error) {
	f, err := rd.funding(symbol)
	if errors.Is(err, data.ErrNoSeries) {
		return nil, fmt.Errorf("%s: %w", symbol, ErrUnknownSymbol)
	}
	if err != nil {
		return nil, err
	}
	return f.events(limit), nil
}

// Accuracy is how well EstimateNext predicted the rates that settled.
type Accuracy struct {
	Symbol string  `json:"symbol"`
	Events int     `json:"events"`
	MAE    float64 `json:"mean_absolute_error"`
	// Bias is mean(estimate − actual).
	Bias float64 `json:"bias"`
	// MeanAbsRate puts the error in scale: mean |actual rate|.
	MeanAbsRate float64 `json:"mean_absolute_rate"`
}

// AccuracyOf replays the lake's history: for every regular event with basis
// rows between it and the previous event, the estimate from those rows
// against the rate that settled.
func AccuracyOf(lake *data.Lake, symbol string) (Accuracy, error) {
	a := Accuracy{Symbol: symbol}
	f, err := lake.ReadFunding(symbol)
	if err != nil {
		return a, err
	}
	basis, ok := perpetualBasis(lake, symbol)
	if !ok {
		return a, nil
	}
	var prev *data.FundingRow
	for i := range f.Rows {
		r := &f.Rows[i]
		if r.RateType == data.Special {
			continue
		}
		if prev != nil {
			window := rowsBetween(basis.Rows, prev.Instant(), r.Instant())
			if est, ok := EstimateNext(window, prev.Instant(), r.FundingIntervalHours); ok {
				d := est - r.FundingRate
				a.Events++
				a.MAE += math.Abs(d)
				a.Bias += d
				a.MeanAbsRate += math.Abs(r.FundingRate)
			}
		}
		prev = r
	}
	if a.Events > 0 {
		n := float64(a.Events)
		a.MAE, a.Bias, a.MeanAbsRate = a.MAE/n, a.Bias/n, a.MeanAbsRate/n
	}
	return a, nil
}

// rowsBetween are the rows with from < t < to: what was known before the
// settlement at to.
func rowsBetween(rows []data.BasisRow, from, to time.Time) []data.BasisRow {
	lo, _ := slices.BinarySearchFunc(rows, from, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	hi, _ := slices.BinarySearchFunc(rows, to, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	return rows[lo:hi]
}
