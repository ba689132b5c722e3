package strategy

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestAnnualRateSlip: the table's annual-rate warning for a rate read
// elsewhere: beyond ±100 %/yr (1 as a fraction) warned, at it not.
func TestAnnualRateSlip(t *testing.T) {
	cases := []struct {
		v    string
		want string // a part of the warning; "" for none
	}{
		{"5", "--min-signal 5 is 500 %/yr, beyond ±100 %/yr"},
		{"-1.5", "--min-signal -1.5 is -150 %/yr"},
		{"1", ""},
		{"-1", ""},
		{"0.05", ""},
	}
	for _, c := range cases {
		got := AnnualRateSlip("--min-signal", decimal.RequireFromString(c.v))
		if (c.want == "") != (got == "") || !strings.Contains(got, c.want) {
			t.Errorf("%s: %q, want %q", c.v, got, c.want)
		}
	}
}
