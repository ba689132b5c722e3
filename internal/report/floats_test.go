package report

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

// TestPlottedIsNearTheDecimal: plotted agrees with the correctly rounded
// InexactFloat64 exactly on short decimals and to a few ulps on long ones
// (the engine's amounts after fees and funding have dozens of digits).
func TestPlottedIsNearTheDecimal(t *testing.T) {
	long := decimal.RequireFromString("10000").Mul(decimal.RequireFromString("1.0001234567891")).Div(decimal.RequireFromString("3"))
	cases := []struct {
		d       decimal.Decimal
		maxUlps float64
	}{
		{decimal.RequireFromString("0"), 0},
		{decimal.RequireFromString("10000"), 0},
		{decimal.RequireFromString("-12.345"), 0},
		{decimal.RequireFromString("0.0000000001"), 0},
		{decimal.New(7, 3), 0}, // 7000, a positive exponent
		{long, 4},
		{long.Neg().Mul(decimal.RequireFromString("0.000000001234567890123456789")), 4},
		{decimal.RequireFromString("123456789012345678901234567890.123456789"), 4},
	}
	for _, c := range cases {
		want, got := c.d.InexactFloat64(), plotted(c.d)
		if ulps := math.Abs(got-want) / ulp(want); ulps > c.maxUlps {
			t.Errorf("plotted(%s) = %v, InexactFloat64 %v: %.0f ulps apart, want at most %.0f", c.d, got, want, ulps, c.maxUlps)
		}
	}
}

func ulp(f float64) float64 {
	if f == 0 {
		return math.SmallestNonzeroFloat64
	}
	return math.Abs(math.Nextafter(f, math.Inf(1)) - f)
}

// TestPlottedBeyondFloatRange: a coefficient or exponent that overflows on
// the way still gives the decimal's value.
func TestPlottedBeyondFloatRange(t *testing.T) {
	for _, d := range []decimal.Decimal{decimal.New(1, -400).Mul(decimal.New(3, 400)), decimal.New(5, -330), decimal.New(-2, 300)} {
		if got, want := plotted(d), d.InexactFloat64(); got != want {
			t.Errorf("plotted(%s…) = %v, want %v", d.String()[:8], got, want)
		}
	}
}
