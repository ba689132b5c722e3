package democmd

import (
	"strconv"

	"github.com/shopspring/decimal"
)

var (
	decimalThree     = decimal.NewFromInt(3)
	decimalRebalance = decimal.RequireFromString("0.15")
)

func mustFloat(s string) float64 {
	v, _ := strconv.ParseFloat(s, 64)
	return v
}
