package strategy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// maxThresholdDecimals is the most decimal places a rule threshold may have:
// the kernel scales by 10^d in an int64.
const maxThresholdDecimals = 18

// Threshold is a rule threshold held exactly: the decimal t·10^−d with
// 0 ≤ d ≤ 18 and |t| ≤ 10^18. The zero value is off (the rule disabled).
// Both implementations compare signals with it exactly (docs/model.md,
// "Signals are exact").
type Threshold struct {
	t  int64
	d  int
	on bool
}

// ExactThreshold reads x as the shortest decimal that parses back to x
// (strconv's and decimal.NewFromFloat's shortest form): for a value written
// with at most 15 significant digits — a flag, a grid value, a literal such
// as 0.1095 — the decimal that was written, whatever float64 rounding x
// carries. It refuses a threshold with more than 18 decimal places or
// beyond ±10^18.
func ExactThreshold(x float64) (Threshold, error) {
	m, e, err := decimalParts(x)
	if err != nil {
		return Threshold{}, fmt.Errorf("threshold %w", err)
	}
	switch {
	case m == 0:
		return Threshold{on: true}, nil
	case e < -maxThresholdDecimals:
		return Threshold{}, fmt.Errorf("threshold %v has %d decimal places; exact comparisons allow at most %d", x, -e, maxThresholdDecimals)
	case e < 0:
		return Threshold{t: m, d: -e, on: true}, nil
	case e > 18 || absU(m) > uint64(pow10[18]/pow10[e]):
		return Threshold{}, fmt.Errorf("threshold %v: beyond ±1e18", x)
	}
	return Threshold{t: m * pow10[e], on: true}, nil
}

// thresholdOf is ExactThreshold of *x, or off when x is nil.
func thresholdOf(x *float64) (Threshold, error) {
	if x == nil {
		return Threshold{}, nil
	}
	return ExactThreshold(*x)
}

// Decimal is the threshold's exact value.
func (t Threshold) Decimal() decimal.Decimal { return decimal.New(t.t, int32(-t.d)) }

// String formats the exact value ("off" when unset).
func (t Threshold) String() string {
	if !t.on {
		return "off"
	}
	return t.Decimal().String()
}
