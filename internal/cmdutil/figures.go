package cmdutil

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// The consoles' figures: money to the cent, rates in percent, ratios to
// two places, and "—" where a figure is undefined (never 0).

// Fixed is a decimal string to two places; text that is no decimal is
// returned as it is.
func Fixed(s string) string {
	d, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return d.StringFixed(2)
}

// PctOr is v in percent to two places, or "—" when not ok.
func PctOr(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", v*100)
}

// NumOr is v to two places, or "—" when not ok.
func NumOr(v float64, ok bool) string {
	if !ok {
		return "—"
	}
	return fmt.Sprintf("%.2f", v)
}
