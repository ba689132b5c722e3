package data

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// NullFloat64 is a float64 that may be absent. Binance sends some numbers as
// an empty string (annualizedBasisRate for PERPETUAL, markPrice on older
// funding rows); those are stored as null, never as zero.
type NullFloat64 struct {
	Float64 float64
	Valid   bool
}

// Some returns a present value.
func Some(v float64) NullFloat64 { return NullFloat64{Float64: v, Valid: true} }

// String formats the value exactly (shortest round-trip form) or "" if null.
func (n NullFloat64) String() string {
	if !n.Valid {
		return ""
	}
	return FormatExact(n.Float64)
}

// ParseExact parses a decimal string as sent by the exchange into a float64
// and refuses it unless the float64 reproduces the string's value exactly,
// i.e. unless FormatExact(result) is numerically equal to s. Every value with
// at most 15 significant digits passes; Binance sends at most 8 decimals on
// prices below 10^7, i.e. at most 15 digits. See docs/lake.md.
func ParseExact(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	want, err := decimal.NewFromString(s)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	if !decimal.NewFromFloat(f).Equal(want) {
		return 0, fmt.Errorf("number %q has more significant digits than a float64 keeps exactly", s)
	}
	return f, nil
}

// ParseNullable is ParseExact where "" means null.
func ParseNullable(s string) (NullFloat64, error) {
	if strings.TrimSpace(s) == "" {
		return NullFloat64{}, nil
	}
	f, err := ParseExact(s)
	if err != nil {
		return NullFloat64{}, err
	}
	return Some(f), nil
}

// FormatExact formats f in the shortest decimal form that parses back to f.
// For a value stored by ParseExact this is the value the exchange sent, less
// trailing zeros.
func FormatExact(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Decimal returns f as the exact decimal it was parsed from (see ParseExact).
func Decimal(f float64) decimal.Decimal { return decimal.NewFromFloat(f) }
