package democmd

import (
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

var (
	decimalThree     = decimal.NewFromInt(3)
	decimalRebalance = decimal.RequireFromString("0.15")
)

// mustFloat is a summary's money as a float for the console table;
// summaries hold decimal numbers, so failing to read one is a bug.
func mustFloat(n json.Number) float64 {
	v, err := n.Float64()
	if err != nil {
		panic(fmt.Sprintf("summary money %q is not a number: %v", n, err))
	}
	return v
}

// orDash is v×scale in format for the console table, "—" when v is
// undefined (never 0).
func orDash(v struct {
	V     float64
	Valid bool
}, scale float64, format string) string {
	if !v.Valid {
		return "—"
	}
	return fmt.Sprintf(format, v.V*scale)
}
