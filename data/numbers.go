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
//
// Nearly every number takes a fast path (parsePlain) that needs neither
// the decimal comparison nor an allocation; the rest take parseExactSlow.
func ParseExact(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if f, ok := parsePlain(s); ok {
		return f, nil
	}
	return parseExactSlow(s)
}

// ParseExactBytes is ParseExact's fast path for a number without
// surrounding space, for readers that hold bytes: the value and true where
// ParseExact would return that value, false where the caller must ask
// ParseExact (for the value or for its error).
func ParseExactBytes(b []byte) (float64, bool) { return parsePlain(b) }

// parseExactSlow is ParseExact checked the long way: parse as a decimal and
// as a float64 and compare the float64's shortest form with the decimal.
func parseExactSlow(s string) (float64, error) {
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

// pow10 holds the powers of ten a float64 represents exactly.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22}

// parsePlain reads s when it is a plain decimal, [-+]?digits[.digits], of
// at most 15 significant digits (leading zeros and trailing zeros after the
// point do not count) and at most 22 decimals once trailing zeros are
// dropped; otherwise it reports false.
//
// Why that is exact: such an s is m / 10^k with m < 10^15 < 2^53 and
// k ≤ 22, so m and 10^k are both float64s exactly and one IEEE division
// rounds their quotient correctly. That is the float64 nearest s, which is
// what strconv.ParseFloat returns (its own "exact" fast path does this very
// division). And the value lies between 10^-22 and 10^15, in the normal
// range, where DBL_DIG = 15 holds: distinct decimals of at most 15
// significant digits round to distinct float64s. So no shorter decimal
// rounds to the same float64, the shortest form (decimal.NewFromFloat,
// FormatExact) is s's value, and the slow path's comparison cannot fail.
func parsePlain[T string | []byte](s T) (float64, bool) {
	i, neg := 0, false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i++
	}
	var m uint64
	sig := 0      // significant digits so far, counting zeros after the first nonzero digit
	trailing := 0 // zeros after the point not yet known to be significant
	k := 0        // decimals counted into m
	intDigits := 0
	for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
		intDigits++
		if m == 0 && s[i] == '0' {
			continue // a leading zero
		}
		if sig++; sig > 15 {
			return 0, false
		}
		m = m*10 + uint64(s[i]-'0')
	}
	if intDigits == 0 {
		return 0, false
	}
	if i < len(s) {
		if s[i] != '.' {
			return 0, false
		}
		i++
		fracStart := i
		for ; i < len(s) && '0' <= s[i] && s[i] <= '9'; i++ {
			if s[i] == '0' {
				trailing++
				continue
			}
			// The zeros before this digit are significant (or leading, if m
			// is still 0) and count as decimals.
			k += trailing + 1
			if m != 0 {
				if sig += trailing + 1; sig > 15 {
					return 0, false
				}
				for ; trailing > 0; trailing-- {
					m *= 10
				}
			} else {
				sig, trailing = 1, 0
			}
			m = m*10 + uint64(s[i]-'0')
		}
		if i == fracStart || i < len(s) {
			return 0, false // "5." or something after the digits
		}
	}
	if k >= len(pow10) {
		return 0, false
	}
	f := float64(m) / pow10[k]
	if neg {
		f = -f
	}
	return f, true
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
