package data

import (
	"testing"

	"github.com/shopspring/decimal"
)

func TestParseExact(t *testing.T) {
	// Values as Binance formats them: prices with 2–8 decimals, rates with 8,
	// basis rates with 4, tiny negative rates, large index prices.
	cases := []struct {
		in      string
		wantErr bool
	}{
		{"68878.27000000", false},
		{"68849.90", false},
		{"-0.00000007", false},
		{"0.00010000", false},
		{"-0.02000000", false},
		{"102.15954192", false},
		{"-0.0004", false},
		{"0.0789", false},
		{"9999999.99999999", false}, // 15 significant digits: still exact
		{"1234567890.123456789", true},
		{"0.12345678901234567", true},
		{"", true},
		{"abc", true},
		{"NaN", true},
	}
	for _, c := range cases {
		f, err := ParseExact(c.in)
		if (err != nil) != c.wantErr {
			t.Errorf("ParseExact(%q) error = %v, want error %v", c.in, err, c.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got, want := Decimal(f), decimal.RequireFromString(c.in); !got.Equal(want) {
			t.Errorf("ParseExact(%q) round-trips to %s", c.in, got)
		}
		if got := decimal.RequireFromString(FormatExact(f)); !got.Equal(decimal.RequireFromString(c.in)) {
			t.Errorf("FormatExact(ParseExact(%q)) = %s", c.in, FormatExact(f))
		}
	}
}

func TestParseNullable(t *testing.T) {
	n, err := ParseNullable("")
	if err != nil || n.Valid {
		t.Fatalf(`ParseNullable("") = %v, %v; want null`, n, err)
	}
	n, err = ParseNullable("0")
	if err != nil || !n.Valid || n.Float64 != 0 {
		t.Fatalf(`ParseNullable("0") = %v, %v; want present zero`, n, err)
	}
}
