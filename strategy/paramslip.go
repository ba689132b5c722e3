package strategy

import "github.com/shopspring/decimal"

// AnnualRateSlip is Param.Slip's warning for an annualized rate read
// outside this table (a book's --min-signal): what stderr and the report
// should say when v, beyond ±100 %/yr, is almost surely a slip of units
// (5 for 5 %); "" otherwise.
func AnnualRateSlip(label string, v decimal.Decimal) string {
	if v.Abs().LessThanOrEqual(annualSlip.limit) {
		return ""
	}
	return annualSlip.warn(label, v)
}
