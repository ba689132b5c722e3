package binance

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
)

// Wire structs mirror the exchange's JSON exactly (numbers as strings);
// conversion to carry's domain types happens in one place, below, with
// exact parsing. Unknown fields are ignored.

type basisWire struct {
	Pair                string `json:"pair"`
	ContractType        string `json:"contractType"`
	Timestamp           int64  `json:"timestamp"`
	IndexPrice          string `json:"indexPrice"`
	FuturesPrice        string `json:"futuresPrice"`
	Basis               string `json:"basis"`
	BasisRate           string `json:"basisRate"`
	AnnualizedBasisRate string `json:"annualizedBasisRate"`
}

type fundingWire struct {
	Symbol      string `json:"symbol"`
	FundingTime int64  `json:"fundingTime"`
	FundingRate string `json:"fundingRate"`
	MarkPrice   string `json:"markPrice"`
	RateType    string `json:"rateType"`
}

type fundingInfoWire struct {
	Symbol                   string `json:"symbol"`
	AdjustedFundingRateCap   string `json:"adjustedFundingRateCap"`
	AdjustedFundingRateFloor string `json:"adjustedFundingRateFloor"`
	FundingIntervalHours     int    `json:"fundingIntervalHours"`
}

type exchangeInfoWire struct {
	RateLimits []RateLimit `json:"rateLimits"`
	Symbols    []struct {
		Symbol       string `json:"symbol"`
		Pair         string `json:"pair"`
		ContractType string `json:"contractType"`
		Status       string `json:"status"`
		QuoteAsset   string `json:"quoteAsset"`
		DeliveryDate int64  `json:"deliveryDate"`
		OnboardDate  int64  `json:"onboardDate"`
	} `json:"symbols"`
}

// BasisPoint is a basis row with the pair and contract type the exchange
// said it belongs to (validated by the caller).
type BasisPoint struct {
	Pair         string
	ContractType string
	data.BasisRow
}

// FundingEvent is a funding row with the symbol the exchange gave.
type FundingEvent struct {
	Symbol string
	data.FundingRow
}

// FundingInfo is a symbol's adjusted funding settings.
type FundingInfo struct {
	Symbol        string
	IntervalHours int
	Cap, Floor    data.NullFloat64
}

// Contract is a futures symbol of exchangeInfo.
type Contract struct {
	Symbol       string
	Pair         string
	ContractType string
	Status       string
	QuoteAsset   string
	DeliveryDate time.Time
	OnboardDate  time.Time
}

// point converts a basis row, naming the row (by pair, contract type and
// time, not raw milliseconds) and the field when a value is bad.
func (w basisWire) point() (BasisPoint, error) {
	p := BasisPoint{Pair: w.Pair, ContractType: w.ContractType}
	p.Timestamp = time.UnixMilli(w.Timestamp).UTC()
	row := fmt.Sprintf("basis row %s %s at %s", w.Pair, w.ContractType, rowTime(p.Timestamp))
	var err error
	for _, f := range []struct {
		dst  *float64
		src  string
		name string
	}{
		{&p.IndexPrice, w.IndexPrice, "indexPrice"},
		{&p.FuturesPrice, w.FuturesPrice, "futuresPrice"},
		{&p.Basis, w.Basis, "basis"},
		{&p.BasisRate, w.BasisRate, "basisRate"},
	} {
		if *f.dst, err = data.ParseExact(f.src); err != nil {
			return p, fieldError(row, f.name, err)
		}
	}
	if p.AnnualizedBasisRate, err = data.ParseNullable(w.AnnualizedBasisRate); err != nil {
		return p, fieldError(row, "annualizedBasisRate", err)
	}
	return p, nil
}

// event converts a funding event, naming the event (by symbol and time) and
// the field when a value is bad.
func (w fundingWire) event() (FundingEvent, error) {
	e := FundingEvent{Symbol: w.Symbol}
	e.FundingTime = time.UnixMilli(w.FundingTime).UTC()
	row := fmt.Sprintf("funding event %s at %s", w.Symbol, rowTime(e.FundingTime))
	var err error
	if e.FundingRate, err = data.ParseExact(w.FundingRate); err != nil {
		return e, fieldError(row, "fundingRate", err)
	}
	if e.MarkPrice, err = data.ParseNullable(w.MarkPrice); err != nil {
		return e, fieldError(row, "markPrice", err)
	}
	switch w.RateType {
	case "", string(data.Regular):
		// Older rows carry no rateType: they are regular settlements.
		e.RateType = data.Regular
	case string(data.Special):
		e.RateType = data.Special
	default:
		return e, fmt.Errorf("%s: rateType %q: want %s or %s", row, w.RateType, data.Regular, data.Special)
	}
	return e, nil
}

// rowTime is a row's time as RFC 3339 with its milliseconds, if any
// (Binance stamps funding events a few milliseconds late).
func rowTime(t time.Time) string { return t.Format(time.RFC3339Nano) }

// fieldError says which row and field held a bad number (data.ParseExact's
// error quotes the number itself).
func fieldError(row, field string, err error) error {
	return fmt.Errorf("%s: %s: %w", row, field, err)
}
