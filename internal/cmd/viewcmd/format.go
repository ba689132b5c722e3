package viewcmd

import (
	"encoding/json"

	"github.com/shopspring/decimal"
)

// opt is a decimal as sent, "—" when absent.
func opt[T ~string](n *T) string {
	if n == nil {
		return "—"
	}
	return string(*n)
}

// pctN formats a fraction as a percentage with d decimals.
func pctN(s string, d int32) string {
	v, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return v.Mul(decimal.NewFromInt(100)).StringFixed(d) + "%"
}

func fixed(s string, d int32) string {
	v, err := decimal.NewFromString(s)
	if err != nil {
		return s
	}
	return v.StringFixed(d)
}

func optFixed(n *json.Number, d int32) string {
	if n == nil {
		return "—"
	}
	return fixed(string(*n), d)
}

func optPct(n *json.Number) string {
	if n == nil {
		return "—"
	}
	return fixed(string(*n), 2) + "%"
}
