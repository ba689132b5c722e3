// Package bounds holds the values carry accepts for the engine's numeric
// parameters, wherever they are written (carry backtest's flags, a sweep's
// grid fields), so that a value the engine cannot compute with is refused
// when it is read, before any work: not finite (NaN, ±Inf), beyond float64,
// negative where a negative means nothing, or outside the range the engine
// computes in. What depends on other parameters (1/L > maintenance, an exit
// threshold below its entry) stays with strategy.Params.Validate.
package bounds

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// rng is a parameter's accepted values: min ≤ v ≤ max (either unset: no
// bound), and what the error says is wanted.
type rng struct {
	min, max *decimal.Decimal
	want     string
}

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

// ranges are keyed by the grid field's name (docs/examples/sweep.yaml).
// Capital and leverage are bounded below because the engine rounds
// quantities to 20 decimal places: a capital of 1e-16 USDT or a leverage of
// 1e-20 leaves a quantity of zero.
var ranges = map[string]rng{
	"capital":          {dec("1"), dec("1e15"), "a capital from 1 to 1e15 USDT"},
	"leverage":         {dec("0.01"), dec("1000"), "a leverage from 0.01 to 1000"},
	"spot_fee":         {dec("0"), nil, "a fee rate ≥ 0"},
	"perp_fee":         {dec("0"), nil, "a fee rate ≥ 0"},
	"slippage":         {dec("0"), nil, "a slippage rate ≥ 0"},
	"maintenance":      {dec("0"), nil, "a maintenance margin rate ≥ 0"},
	"rebalance_below":  {dec("0"), nil, "a margin ratio ≥ 0 (0: never rebalance)"},
	"funding_lookback": {dec("0"), nil, "a whole number of events from 1"},
	"funding_enter":    {nil, nil, "an annualized rate"},
	"funding_exit":     {nil, nil, "an annualized rate"},
	"basis_enter":      {nil, nil, "an annualized rate"},
	"basis_exit":       {nil, nil, "an annualized rate"},
	"risk_free":        {dec("-0.99"), dec("10"), "an annual rate from -99% to 1000%"},
}

var (
	maxFloat = decimal.NewFromFloat(math.MaxFloat64)
	minFloat = decimal.NewFromFloat(math.SmallestNonzeroFloat64)
)

// Check says whether d is an accepted value of param (a grid field's name:
// capital, leverage, spot_fee, …); the error says what is wanted, for the
// caller to prefix with the flag or field and the text as written.
func Check(param string, d decimal.Decimal) error {
	r, ok := ranges[param]
	if !ok {
		return fmt.Errorf("unknown parameter %q", param)
	}
	abs := d.Abs()
	switch {
	case abs.GreaterThan(maxFloat):
		return fmt.Errorf("beyond float64 (±1.8e308): want %s", r.want)
	case !d.IsZero() && abs.LessThan(minFloat):
		return fmt.Errorf("too close to 0 for a float64: want %s", r.want)
	case r.min != nil && d.LessThan(*r.min), r.max != nil && d.GreaterThan(*r.max):
		return fmt.Errorf("want %s", r.want)
	}
	return nil
}

// MaxHold is the longest max_hold: a time.Duration's range.
const MaxHold = time.Duration(math.MaxInt64)

// CheckHoldDays says whether days (a max_hold written in days, 14d) is a
// duration: not negative, at most MaxHold.
func CheckHoldDays(days decimal.Decimal) error {
	if days.IsNegative() || days.Mul(decimal.NewFromInt(int64(24*time.Hour))).GreaterThan(decimal.NewFromInt(int64(MaxHold))) {
		return errHold
	}
	return nil
}

var errHold = errors.New("want a holding time from 0 to 106751d (292 years), such as 72h or 14d")

// CheckHold says whether d is an accepted max_hold (0 is left to the
// engine, which refuses it).
func CheckHold(d time.Duration) error {
	if d < 0 {
		return errHold
	}
	return nil
}

// NotFinite reports whether s reads as a number that is no finite float64
// — NaN, ±Inf, or beyond ±1.8e308 — which no parameter accepts (a decimal
// parser refuses the first two as text, but 1e400 is a fine decimal).
func NotFinite(s string) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return errors.Is(err, strconv.ErrRange) || (err == nil && (math.IsNaN(f) || math.IsInf(f, 0)))
}
