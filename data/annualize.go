package data

import (
	"math"
	"math/big"
	"time"

	"github.com/shopspring/decimal"
)

// Every annualized figure in carry uses a 365-day calendar: a rate paid
// every h hours is paid 8,760/h times a year, a basis held for d days
// earns 365/d of itself a year. Binance's annualizedBasisRate uses the same.
const (
	DaysPerYear   = 365
	HoursPerYear  = 24 * DaysPerYear         // 8,760
	MillisPerYear = DaysPerYear * 86_400_000 // 31,536,000,000
)

// AnnualizedFunding annualizes a funding rate r paid every h hours:
//
//	r · (24/h) · 365
//
// in float64, for statistics, charts and reports. AnnualizedFundingExact is
// its exact twin, which the rules compare thresholds with.
func AnnualizedFunding(r float64, h int) float64 { return r * 24 / float64(h) * DaysPerYear }

// AnnualizedFundingExact is AnnualizedFunding in exact rational arithmetic:
// r · 8,760/h, for any h (8,760/h need not be whole).
func AnnualizedFundingExact(r decimal.Decimal, h int) *big.Rat {
	a := r.Rat()
	return a.Mul(a, big.NewRat(HoursPerYear, int64(h)))
}

// AnnualizedBasis is the annualized basis of futures price f over spot s at
// t, in float64 for statistics, charts and reports:
//
//	perpetual (delivery zero)  (f/s − 1) · 365, a running yield
//	dated                      (f/s − 1) · 365 / days to delivery
//
// The dated form reproduces Binance's annualizedBasisRate. At or after
// delivery it is NaN. AnnualizedBasisExact is its exact twin.
func AnnualizedBasis(f, s float64, t, delivery time.Time) float64 {
	if delivery.IsZero() {
		return (f/s - 1) * DaysPerYear
	}
	days := delivery.Sub(t).Hours() / 24
	if days <= 0 {
		return math.NaN()
	}
	return (f/s - 1) * DaysPerYear / days
}

// AnnualizedBasisExact is AnnualizedBasis in exact rational arithmetic, with
// the time to delivery in whole milliseconds: (f/s − 1) · 365 for a
// perpetual, (f/s − 1) · 31,536,000,000 / ms for a dated contract; false
// at or after delivery, or for a spot price of zero.
func AnnualizedBasisExact(f, s decimal.Decimal, t, delivery time.Time) (*big.Rat, bool) {
	if s.IsZero() {
		return nil, false
	}
	b := new(big.Rat).Quo(f.Sub(s).Rat(), s.Rat())
	if delivery.IsZero() {
		return b.Mul(b, big.NewRat(DaysPerYear, 1)), true
	}
	ms := delivery.UnixMilli() - t.UnixMilli()
	if ms <= 0 {
		return nil, false
	}
	return b.Mul(b, big.NewRat(MillisPerYear, ms)), true
}
