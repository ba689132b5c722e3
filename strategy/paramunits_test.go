package strategy

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestReadRate: a rate written plain, in basis points or in percent reads
// as the exact decimal (expected values by hand: 1bp = 0.0001, 1% = 0.01),
// never through a float (0.1% is 0.001, not 0.0010000000000000000208).
func TestReadRate(t *testing.T) {
	cases := []struct{ text, want string }{
		{"0.001", "0.001"}, {"10bp", "0.001"}, {"10 bp", "0.001"}, {"10BP", "0.001"}, {"10bps", "0.001"},
		{"0.1%", "0.001"}, {" 0.1 % ", "0.001"}, {"7.5bp", "0.00075"}, {"0.075%", "0.00075"},
		{"-2%", "-0.02"}, {"1000bp", "0.1"}, {"1e-4", "0.0001"}, {"0", "0"}, {"0bp", "0"},
	}
	for _, c := range cases {
		got, err := ReadRate(c.text)
		if err != nil {
			t.Errorf("ReadRate(%q): %v", c.text, err)
			continue
		}
		if !got.Equal(decimal.RequireFromString(c.want)) || got.String() != c.want {
			t.Errorf("ReadRate(%q) = %s, want %s", c.text, got, c.want)
		}
	}
	for _, bad := range []string{"", "bp", "%", "ten", "10 b", "10bp%", "0x10"} {
		if _, err := ReadRate(bad); err == nil {
			t.Errorf("ReadRate(%q) read", bad)
		}
	}
}

// TestRatesReadWithUnits: every fee, slippage, margin, threshold and rate
// parameter reads bp and % from a flag and from a grid alike, to the same
// value and canonical text as the plain fraction (so a sweep's ids are the
// same whichever way the grid writes it); capital and leverage, which are
// not rates, refuse bp.
func TestRatesReadWithUnits(t *testing.T) {
	rates := map[string]bool{"spot_fee": true, "perp_fee": true, "slippage": true, "maintenance": true, "rebalance_below": true,
		"funding_enter": true, "funding_exit": true, "basis_enter": true, "basis_exit": true, "risk_free": true}
	for _, p := range ParamTable() {
		for _, src := range []Source{FromFlag, FromGrid} {
			plain, err := p.Read("0.001", src)
			if !rates[p.Name] {
				if p.Name == "capital" || p.Name == "leverage" {
					if _, err := p.Read("10bp", src); err == nil {
						t.Errorf("%s from source %d read 10bp", p.Name, src)
					}
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", p.Name, err)
			}
			for _, text := range []string{"10bp", "0.1%", "10 bps"} {
				if err := p.Check(text, src); err != nil {
					t.Errorf("%s %q from source %d: check: %v", p.Name, text, src, err)
				}
				v, err := p.Read(text, src)
				if err != nil {
					t.Errorf("%s %q from source %d: %v", p.Name, text, src, err)
					continue
				}
				if v.Canon != plain.Canon {
					t.Errorf("%s %q from source %d: canonical %q, want %q as 0.001's", p.Name, text, src, v.Canon, plain.Canon)
				}
				var a, b Settings
				plain.Apply(&a)
				v.Apply(&b)
				if p.Format(a) != p.Format(b) {
					t.Errorf("%s %q from source %d sets %s, 0.001 sets %s", p.Name, text, src, p.Format(b), p.Format(a))
				}
			}
		}
	}
}

// TestUnreadableRateNamesItself: a value that does not read is refused
// naming the flag or the grid field, the text, and what is wanted.
func TestUnreadableRateNamesItself(t *testing.T) {
	for _, c := range []struct {
		name string
		src  Source
		want string
	}{
		{"spot_fee", FromFlag, `--spot-fee "10pb": not a number: want a fraction such as 0.001, or one with a unit such as 10bp or 0.1%`},
		{"funding_enter", FromGrid, `funding_enter "ten": not a number`},
	} {
		p := paramNamed(t, c.name)
		text := "10pb"
		if c.src == FromGrid {
			text = "ten"
		}
		_, err := p.Read(text, c.src)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s %q: %v, want %q", c.name, text, err, c.want)
		}
	}
}

// TestSlip: an annualized threshold beyond ±100 %/yr is warned of (10 for
// 10 %: 1000 %/yr), in whatever unit it is written; one within, an off
// rule, a fee and unreadable text are not.
func TestSlip(t *testing.T) {
	cases := []struct {
		name, text string
		src        Source
		want       string // "" no warning; else a prefix of it
	}{
		{"funding_enter", "10", FromFlag, "--funding-enter 10 is 1000 %/yr, beyond ±100 %/yr: likely a slip of units"},
		{"funding_exit", "-5", FromGrid, "funding_exit -5 is -500 %/yr"},
		{"basis_enter", "20000bp", FromGrid, "basis_enter 2 is 200 %/yr"},
		{"funding_enter", "150%", FromFlag, "--funding-enter 1.5 is 150 %/yr"},
		{"funding_enter", "1", FromFlag, ""},    // exactly 100 %/yr: possible, not warned
		{"funding_enter", "100%", FromFlag, ""}, // the same
		{"funding_enter", "0.1", FromFlag, ""},
		{"funding_enter", "", FromGrid, ""},
		{"funding_enter", "ten", FromGrid, ""},
		{"spot_fee", "10", FromFlag, ""}, // refused by the engine, not a threshold
	}
	for _, c := range cases {
		got := paramNamed(t, c.name).Slip(c.text, c.src)
		if (c.want == "") != (got == "") || !strings.HasPrefix(got, c.want) {
			t.Errorf("Slip(%s %q) = %q, want %q…", c.name, c.text, got, c.want)
		}
	}
}

func paramNamed(t *testing.T, name string) Param {
	t.Helper()
	for _, p := range ParamTable() {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("no parameter %s", name)
	return Param{}
}

// TestWholeNumbersReadWhole: a grid's whole-number field reads its whole
// text — "12abc", "0x10", "3 4", "1e2" are refused naming the field —
// and " 3 " is 3 with the id of "3"; a rate's plain text is trimmed too.
func TestWholeNumbersReadWhole(t *testing.T) {
	p := paramNamed(t, "funding_lookback")
	for _, text := range []string{"12abc", "0x10", "3 4", "1e2", "", "3.5"} {
		if _, err := p.Read(text, FromGrid); err == nil || !strings.Contains(err.Error(), "funding_lookback") {
			t.Errorf("funding_lookback %q: %v, want refused naming the field", text, err)
		}
	}
	v, err := p.Read(" 3 ", FromGrid)
	w, _ := p.Read("3", FromGrid)
	if err != nil || v.Canon != w.Canon || v.Canon != "3" {
		t.Errorf(`" 3 ": %+v %v, want the id of "3"`, v, err)
	}
	rf := paramNamed(t, "risk_free")
	a, err1 := rf.Read(" 0.04", FromGrid)
	b, err2 := rf.Read("0.04", FromGrid)
	if err1 != nil || err2 != nil || a.Canon != b.Canon {
		t.Errorf(`risk_free " 0.04" reads as %q, "0.04" as %q (%v %v)`, a.Canon, b.Canon, err1, err2)
	}
}
