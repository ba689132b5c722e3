package views

import (
	"encoding/json"
	"math"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// How the views write numbers. The lake's values are the exchange's
// decimals exactly (data.ParseExact proves each DOUBLE round-trips the
// string the exchange sent), so the shortest decimal of a stored value is
// the exchange's; a computed value is rounded in decimal.

// EstimatePlaces is how many decimals the next-rate estimate keeps: as
// many as Binance's funding rates have.
const EstimatePlaces = 8

// AmountPlaces is how many decimals a settlement's payment and position
// size keep.
const AmountPlaces = 8

// Num is an exact decimal as a JSON number (the lake's value as the
// exchange sent it), for the basis answer.
func Num(f float64) json.Number { return json.Number(data.FormatExact(f)) }

// OptNum is a Num, nil when absent.
func OptNum(f float64, ok bool) *json.Number {
	if !ok || !finite(f) {
		return nil
	}
	n := Num(f)
	return &n
}

// decNum is a computed decimal as a JSON number.
func decNum(d decimal.Decimal) *json.Number {
	n := json.Number(d.String())
	return &n
}

// optDecimalString is the lake's value as the exchange's decimal string
// ("0.0001", "65000.5"), nil when absent: the funding answers' shape.
func optDecimalString(f float64, ok bool) *string {
	if !ok || !finite(f) {
		return nil
	}
	s := data.FormatExact(f)
	return &s
}

// estimateString is a computed rate as a decimal string of at most
// EstimatePlaces decimals (no float noise such as 0.00009999999999999999).
func estimateString(f float64) *string {
	if !finite(f) {
		return nil
	}
	s := decimal.NewFromFloat(f).Round(EstimatePlaces).String()
	return &s
}

// annualized is r·(24/h)·365 in exact decimal arithmetic, as a decimal
// string.
func annualized(r float64, h int) string {
	if h <= 0 {
		h = data.DefaultFundingIntervalHours
	}
	return decimal.NewFromBigRat(data.AnnualizedFundingExact(data.Decimal(r), h), 16).String()
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
