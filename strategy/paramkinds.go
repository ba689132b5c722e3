package strategy

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// kind is how a parameter's values are written and read: its syntax at
// each source, its canonical text, and where it goes in Settings.
type kind struct {
	flagType string // how --help names the flag's type
	read     func(label, text string, src Source) (Value, error)
	check    func(b *bounds, text string, src Source) error
	format   func(*Settings) string
	written  func(text string, src Source) string // text in an error message
	// units: the value is a rate, written as a plain fraction or with a
	// unit (10bp, 0.1%) at every source (ReadRate).
	units bool
}

// amount is a decimal parameter counted in its own unit (capital in USDT,
// leverage as a multiple): a plain number (a flag may also write a
// percentage, as it always could).
func amount(field func(*Settings) *decimal.Decimal) kind {
	return fractionOr(false, field)
}

// fraction is a decimal rate (fees, slippage, margins): a plain number, or
// one with a unit, 10bp or 0.1% (ReadRate), from a flag or a grid.
func fraction(field func(*Settings) *decimal.Decimal) kind {
	return fractionOr(true, field)
}

func fractionOr(units bool, field func(*Settings) *decimal.Decimal) kind {
	return kind{flagType: "string", units: units, check: checkNumber(units), written: quoted,
		read: func(label, text string, src Source) (Value, error) {
			d, err := readNumber(label, text, src, units)
			if err != nil {
				return Value{}, err
			}
			return Value{Canon: d.String(), set: func(s *Settings) { *field(s) = d }}, nil
		},
		format: func(s *Settings) string { return field(s).String() }}
}

// rate is a float64 read from a decimal: the risk-free rate. Its canonical
// text is the text as written (sweep ids have always held it so).
func rate(field func(*Settings) *float64) kind {
	return kind{flagType: "string", units: true, check: checkNumber(true), written: quoted,
		read: func(label, text string, src Source) (Value, error) {
			d, err := readNumber(label, text, src, true)
			if err != nil {
				return Value{}, err
			}
			x := d.InexactFloat64()
			canon := strings.TrimSpace(text) // a plain number as written; one with a unit as the fraction it is
			if _, _, unit := splitUnit(text); unit != "" {
				canon = d.String()
			}
			return Value{Canon: canon, set: func(s *Settings) { *field(s) = x }}, nil
		},
		format: func(s *Settings) string { return strconv.FormatFloat(*field(s), 'f', -1, 64) }}
}

// threshold is a rule's threshold: a rate, or off when left empty.
func threshold(field func(*Settings) **float64) kind {
	return kind{flagType: "string", units: true, check: checkNumber(true), written: quoted,
		read: func(label, text string, src Source) (Value, error) {
			if empty(text, src) {
				return Value{Off: true, set: func(s *Settings) { *field(s) = nil }}, nil
			}
			d, err := readNumber(label, text, src, true)
			if err != nil {
				return Value{}, err
			}
			// One pointer for every run given this value: sweeps copy it
			// per combination (Combination.Params owns its thresholds).
			x := d.InexactFloat64()
			return Value{Canon: d.String(), set: func(s *Settings) { *field(s) = &x }}, nil
		},
		format: func(s *Settings) string {
			if x := *field(s); x != nil {
				return strconv.FormatFloat(*x, 'f', -1, 64)
			}
			return ""
		}}
}

// whole is a count (funding_lookback): an int flag, a whole number in a
// grid; what names what it counts.
func whole(what string, field func(*Settings) *int) kind {
	return kind{flagType: "int",
		read: func(label, text string, src Source) (Value, error) {
			var n int
			if src == FromFlag {
				// The flag's text was read as an int already (pflag's syntax).
				x, err := strconv.ParseInt(text, 0, 64)
				if err != nil {
					return Value{}, err
				}
				n = int(x)
			} else {
				// The whole text, digits only: Sscan took "12abc" as 12.
				x, err := strconv.Atoi(strings.TrimSpace(text))
				if err != nil {
					return Value{}, fmt.Errorf("%s %q: not a whole number", label, text)
				}
				n = x
			}
			return Value{Canon: strings.TrimSpace(text), set: func(s *Settings) { *field(s) = n }}, nil
		},
		check: func(b *bounds, text string, src Source) error {
			if src == FromFlag {
				n, err := strconv.ParseInt(text, 0, 64)
				if err != nil {
					return nil
				}
				return b.check(decimal.NewFromInt(n))
			}
			if text == "" {
				return nil
			}
			if notFinite(text, src) {
				return errNotFinite
			}
			d, err := decimal.NewFromString(text)
			if err != nil {
				return nil // not a number: Read says so
			}
			if !d.IsInteger() {
				return fmt.Errorf("want a whole number of %s", what)
			}
			return b.check(d)
		},
		written: func(text string, src Source) string {
			if n, err := strconv.ParseInt(text, 0, 64); err == nil && src == FromFlag {
				return strconv.FormatInt(n, 10) // the flag's value, as an int flag prints it
			}
			return quoted(text, src)
		},
		format: func(s *Settings) string { return strconv.Itoa(*field(s)) }}
}

// duration is a holding time (max_hold), off when left empty: data's
// durations, 72h or 14d.
func duration(field func(*Settings) *time.Duration) kind {
	return kind{flagType: "string", written: quoted,
		read: func(label, text string, src Source) (Value, error) {
			if text == "" {
				return Value{Off: true, set: func(s *Settings) { *field(s) = 0 }}, nil
			}
			d, err := data.ParseDuration(text)
			if err != nil || d <= 0 {
				if src == FromFlag {
					return Value{}, fmt.Errorf("%s %q: want a positive duration such as 72h or 14d", label, text)
				}
				return Value{}, fmt.Errorf("%s %q: want a duration such as 72h or 14d", label, text)
			}
			return Value{Canon: d.String(), set: func(s *Settings) { *field(s) = d }}, nil
		},
		check: checkHold,
		format: func(s *Settings) string {
			if d := *field(s); d != 0 {
				return d.String()
			}
			return ""
		}}
}

// choice is a word the model checks (Params.Validate): on_delivery.
func choice(field func(*Settings) *OnDelivery) kind {
	return kind{flagType: "string", written: quoted,
		read: func(label, text string, src Source) (Value, error) {
			return Value{Canon: text, set: func(s *Settings) { *field(s) = OnDelivery(text) }}, nil
		},
		check:  func(*bounds, string, Source) error { return nil },
		format: func(s *Settings) string { return string(*field(s)) }}
}

// empty is an optional setting left off: an empty flag, a grid's null.
func empty(text string, src Source) bool {
	if src == FromFlag {
		return strings.TrimSpace(text) == ""
	}
	return text == ""
}

// readNumber reads a decimal: a rate (units) as ReadRate reads it, from a
// flag or a grid; any other number plain, or from a flag also as a
// percentage ("150%"), as flags always read them.
func readNumber(label, text string, src Source, units bool) (decimal.Decimal, error) {
	s := text
	if src == FromFlag {
		s = strings.TrimSpace(s)
	}
	if units {
		d, err := ReadRate(s)
		if err != nil {
			return decimal.Decimal{}, fmt.Errorf("%s %q: %w", label, s, err)
		}
		return d, nil
	}
	scale := decimal.NewFromInt(1)
	if src == FromFlag {
		if number, ok := strings.CutSuffix(s, "%"); ok {
			s, scale = number, percent
		}
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%s %q: not a number", label, s)
	}
	return d.Mul(scale), nil
}

// The units a rate may be written in, exactly.
var (
	percent     = decimal.New(1, -2) // 1% = 0.01
	basisPoint  = decimal.New(1, -4) // 1bp = 0.0001
	errRateText = errors.New("not a number: want a fraction such as 0.001, or one with a unit such as 10bp or 0.1%")
)

// ReadRate reads a rate as flags and grids write it: a plain fraction
// (0.001), basis points (10bp or 10bps: ×0.0001) or a percentage (0.1%:
// ×0.01), case and a space before the unit ignored. The result is the
// exact decimal (10bp and 0.1% are both exactly 0.001): the unit scales
// the decimal written, never a float.
func ReadRate(text string) (decimal.Decimal, error) {
	number, scale, _ := splitUnit(text)
	d, err := decimal.NewFromString(number)
	if err != nil {
		return decimal.Decimal{}, errRateText
	}
	return d.Mul(scale), nil
}

// splitUnit cuts a rate's unit off its text: the number, the unit's scale
// (1 with no unit) and the unit as named ("bp", "%" or "").
func splitUnit(text string) (number string, scale decimal.Decimal, unit string) {
	s := strings.TrimSpace(text)
	lower := strings.ToLower(s)
	for _, u := range []struct {
		suffix, name string
		scale        decimal.Decimal
	}{{"bps", "bp", basisPoint}, {"bp", "bp", basisPoint}, {"%", "%", percent}} {
		if strings.HasSuffix(lower, u.suffix) {
			return strings.TrimSpace(s[:len(s)-len(u.suffix)]), u.scale, u.name
		}
	}
	return s, decimal.NewFromInt(1), ""
}

// checkNumber checks a decimal's bounds (a rate's with its unit, units);
// an empty text (an optional setting off) and one that does not read are
// left to Read.
func checkNumber(units bool) func(b *bounds, text string, src Source) error {
	return func(b *bounds, text string, src Source) error { return checkNumberWith(b, text, src, units) }
}

func checkNumberWith(b *bounds, text string, src Source, units bool) error {
	if empty(text, src) {
		return nil
	}
	number := text
	if units {
		number, _, _ = splitUnit(text)
	} else if src == FromFlag {
		number = strings.TrimSuffix(strings.TrimSpace(text), "%")
	}
	if notFinite(number, src) {
		return errNotFinite
	}
	d, err := readNumber("", text, src, units)
	if err != nil {
		return nil
	}
	return b.check(d)
}

// checkHold checks a max_hold as data.ParseDuration reads it: days (14d) or
// a Go duration (72h).
func checkHold(_ *bounds, text string, src Source) error {
	if text == "" {
		return nil
	}
	if days, ok := strings.CutSuffix(text, "d"); ok {
		if notFinite(days, src) {
			if src == FromFlag {
				return errors.New("not a finite number of days")
			}
			return errNotFinite
		}
		if n, err := decimal.NewFromString(days); err == nil {
			return CheckHoldDays(n)
		}
		return nil
	}
	if d, err := time.ParseDuration(text); err == nil {
		return CheckHold(d)
	}
	return nil
}

// quoted is text in an error message; a grid's range can write out a long
// value (1e400 has 401 digits), cut in the middle.
func quoted(text string, src Source) string {
	if src == FromGrid && len(text) > 40 {
		text = fmt.Sprintf("%s…%s (%d characters)", text[:12], text[len(text)-6:], len(text))
	}
	return strconv.Quote(text)
}
