package strategy

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// bounds are a numeric parameter's accepted values, min ≤ v ≤ max (either
// nil: no bound), and what an error says is wanted. They refuse, when a
// value is read, what the engine cannot compute with: not finite (NaN,
// ±Inf), beyond float64, negative where a negative means nothing, or
// outside the range the engine computes in.
type bounds struct {
	min, max *decimal.Decimal
	want     string
}

func within(min, max, want string) *bounds {
	lo, hi := decimal.RequireFromString(min), decimal.RequireFromString(max)
	return &bounds{&lo, &hi, want}
}

func atLeast(min, want string) *bounds {
	lo := decimal.RequireFromString(min)
	return &bounds{min: &lo, want: want}
}

func anyNumber(want string) *bounds { return &bounds{want: want} }

// Float64's range: a parameter beyond it, or too close to 0 for it, is
// computed with as something else.
var (
	maxFloat = decimal.NewFromFloat(math.MaxFloat64)
	minFloat = decimal.NewFromFloat(math.SmallestNonzeroFloat64)
)

// check says whether d is accepted; the error says what is wanted.
func (b *bounds) check(d decimal.Decimal) error {
	if b == nil {
		return nil
	}
	abs := d.Abs()
	switch {
	case abs.GreaterThan(maxFloat):
		return fmt.Errorf("beyond float64 (±1.8e308): want %s", b.want)
	case !d.IsZero() && abs.LessThan(minFloat):
		return fmt.Errorf("too close to 0 for a float64: want %s", b.want)
	case b.min != nil && d.LessThan(*b.min), b.max != nil && d.GreaterThan(*b.max):
		return fmt.Errorf("want %s", b.want)
	}
	return nil
}

// checkBound is Check's numeric part for the parameter named name.
func checkBound(name string, d decimal.Decimal) error {
	for _, p := range ParamTable() {
		if p.Name == name {
			return p.bounds.check(d)
		}
	}
	return fmt.Errorf("unknown parameter %q", name)
}

var errNotFinite = errors.New("not a finite number (NaN, ±Inf or beyond float64's ±1.8e308)")

// NotFinite reports whether s reads as a number that is no finite float64
// — NaN, ±Inf, or beyond ±1.8e308 — which no parameter accepts (a decimal
// parser refuses the first two as text, but 1e400 is a fine decimal).
func NotFinite(s string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return errors.Is(err, strconv.ErrRange) || (err == nil && (math.IsNaN(f) || math.IsInf(f, 0)))
}

// notFinite is NotFinite with what src may also write: a grid's YAML has
// .inf and .nan.
func notFinite(s string, src Source) bool {
	if src == FromGrid {
		switch strings.ToLower(strings.TrimSpace(s)) {
		case ".inf", "+.inf", "-.inf", ".nan":
			return true
		}
	}
	return NotFinite(s)
}

// MaxHold is the longest max_hold: a time.Duration's range.
const MaxHold = time.Duration(math.MaxInt64)

var errHold = errors.New("want a holding time from 0 to 106751d (292 years), such as 72h or 14d")

// CheckHoldDays says whether days (a max_hold written in days, 14d) is a
// duration: not negative, at most MaxHold.
func CheckHoldDays(days decimal.Decimal) error {
	if days.IsNegative() || days.Mul(decimal.NewFromInt(int64(24*time.Hour))).GreaterThan(decimal.NewFromInt(int64(MaxHold))) {
		return errHold
	}
	return nil
}

// CheckHold says whether d is an accepted max_hold (0 is left to Read,
// which refuses it).
func CheckHold(d time.Duration) error {
	if d < 0 {
		return errHold
	}
	return nil
}
