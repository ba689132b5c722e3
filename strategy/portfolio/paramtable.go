package portfolio

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// BookParam is one of a book's own parameters (those strategy.ParamTable
// does not hold) as carry reads, checks and prints it wherever it is
// written: carry portfolio's flags, a sweep grid's fields, the results'
// columns. It is the book's counterpart of strategy.Param: everything
// that lists a book's parameters derives from BookParamTable.
type BookParam struct {
	Name   string // grid field and name in sweep ids: min_signal
	Flag   string // carry portfolio's flag, without its dashes: min-signal
	Column string // results column, summary.json's key: min_signal
	Unit   string // what a value counts
	Usage  string // the flag's help
	// Decides says the parameter is one of the plan's decisions (Plan):
	// runs that differ only in the others (the band and the pair's
	// parameters) share one plan.
	Decides bool

	// Text says the column holds words (signal, weights, rebalance), not
	// numbers.
	Text bool

	// flagType is how --help names the flag's type: int and float64 are
	// read as pflag reads those flags; "" is string.
	flagType string
	read     func(text string) (Params, func(*Params), error)
	// bounds refuses a value that reads but that no run can use (a cap of
	// 0); nil: any value that reads. Values that depend on other
	// parameters are Params.Validate's.
	bounds func(Params) error
	format func(Params) string
	cell   func(Params) string // the column's cell; nil: format's text
}

// BookValue is a book parameter's value, read: its canonical text (what
// sweep ids hold) and what it sets.
type BookValue struct {
	Canon string
	set   func(*Params)
}

// Apply sets the value in p; the zero BookValue sets nothing.
func (v BookValue) Apply(p *Params) {
	if v.set != nil {
		v.set(p)
	}
}

// Read reads text as the parameter's value; the error names the
// parameter and the text and says what is wanted.
func (b BookParam) Read(text string) (BookValue, error) {
	text = strings.TrimSpace(text)
	p, set, err := b.read(text)
	if err != nil {
		return BookValue{}, fmt.Errorf("%s %q: %w", b.Name, text, err)
	}
	return BookValue{Canon: b.format(p), set: set}, nil
}

// ReadFlag reads text given to carry portfolio's flag and checks it is
// within the parameter's bounds; the error names the flag and the text as
// written (quoted but for a number flag's: --top 0, --cap "150%") and says
// what is wanted.
func (b BookParam) ReadFlag(text string) (BookValue, error) {
	written := strconv.Quote(text)
	if b.flagType != "" {
		written = text
	}
	trimmed := strings.TrimSpace(text)
	p, set, err := b.read(trimmed)
	if err == nil && b.bounds != nil {
		err = b.bounds(p)
	}
	if err != nil {
		return BookValue{}, fmt.Errorf("--%s %s: %w", b.Flag, written, err)
	}
	return BookValue{Canon: b.format(p), set: set}, nil
}

// FlagType is how --help names the flag's type: int, float64 or string.
func (b BookParam) FlagType() string {
	if b.flagType == "" {
		return "string"
	}
	return b.flagType
}

// Default is the parameter's value in DefaultParams, written canonically
// ("" for a threshold that is off).
func (b BookParam) Default() string { return b.format(DefaultParams()) }

// Format prints p's value of the parameter canonically, as Read reads it
// back.
func (b BookParam) Format(p Params) string { return b.format(p) }

// Cell is p's value as the results column holds it: the canonical text,
// but durations in hours (summary.json's min_history_hours).
func (b BookParam) Cell(p Params) string {
	if b.cell != nil {
		return b.cell(p)
	}
	return b.format(p)
}

// BookParamCount is len(BookParamTable()).
const BookParamCount = 11

// BookParamTable lists a book's own parameters in a sweep's enumeration
// order: the decisions first, then the band, which only the money uses.
// Defaults are DefaultParams'.
func BookParamTable() []BookParam {
	return []BookParam{
		{Name: "signal", Flag: "signal", Column: "signal", Unit: "funding or basis", Decides: true, Text: true,
			Usage: "what ranks the pairs: funding (mean annualized rate of the last --lookback events) or basis (annualized (F − S)/S)",
			read: func(t string) (Params, func(*Params), error) {
				s := Signal(strings.ToLower(t))
				if s != SignalFunding && s != SignalBasis {
					return Params{}, nil, fmt.Errorf("want %s or %s", SignalFunding, SignalBasis)
				}
				return Params{Signal: s}, func(p *Params) { p.Signal = s }, nil
			},
			format: func(p Params) string { return string(p.Signal) }},
		{Name: "lookback", Flag: "lookback", Column: "lookback", Unit: "funding events", Decides: true,
			Usage:    "funding events in the funding signal",
			flagType: "int",
			read:     wholeParam(func(p *Params) *int { return &p.Lookback }, "funding events"),
			format:   func(p Params) string { return strconv.Itoa(p.Lookback) }},
		{Name: "top", Flag: "top", Column: "top", Unit: "pairs", Decides: true,
			Usage:    "K: at most this many pairs held",
			flagType: "int",
			read:     wholeParam(func(p *Params) *int { return &p.Top }, "pairs"),
			format:   func(p Params) string { return strconv.Itoa(p.Top) }},
		{Name: "min_signal", Flag: "min-signal", Column: "min_signal", Unit: "annualized rate (null: no threshold)", Decides: true,
			Usage: `a pair qualifies only with a signal at least this, annualized ("5%", "500bp", "0.05"; default: no threshold)`,
			read: func(t string) (Params, func(*Params), error) {
				if t == "" {
					return Params{}, func(p *Params) { p.MinSignal = nil }, nil
				}
				x, err := rateOf(t)
				if err != nil {
					return Params{}, nil, err
				}
				return Params{MinSignal: &x}, func(p *Params) { y := x; p.MinSignal = &y }, nil
			},
			format: func(p Params) string {
				if p.MinSignal == nil {
					return ""
				}
				return strconv.FormatFloat(*p.MinSignal, 'g', -1, 64)
			}},
		{Name: "weights", Flag: "weights", Column: "weights", Unit: "equal, signal or inverse-vol", Decides: true, Text: true,
			Usage: "how the held pairs share the book: equal, signal or inverse-vol",
			read: func(t string) (Params, func(*Params), error) {
				w := Weighting(strings.ToLower(t))
				if w != WeightEqual && w != WeightSignal && w != WeightInverseVol {
					return Params{}, nil, fmt.Errorf("want %s, %s or %s", WeightEqual, WeightSignal, WeightInverseVol)
				}
				return Params{Weights: w}, func(p *Params) { p.Weights = w }, nil
			},
			format: func(p Params) string { return string(p.Weights) }},
		{Name: "cap", Flag: "cap", Column: "cap", Unit: "weight, (0, 1]", Decides: true,
			Usage: `most weight one pair may have ("25%", "0.25"); the excess stays in cash`,
			read:  rateParam(func(p *Params) *float64 { return &p.Cap }),
			bounds: func(p Params) error {
				if !(p.Cap > 0 && p.Cap <= 1) {
					return errors.New("want a weight more than 0 and at most 1 (100%)")
				}
				return nil
			},
			format: func(p Params) string { return strconv.FormatFloat(p.Cap, 'g', -1, 64) }},
		{Name: "rebalance", Flag: "rebalance", Column: "rebalance", Unit: "duration (1d, 8h) or funding", Decides: true, Text: true,
			Usage: "when the book rebalances: a duration from the Unix epoch (1d: 00:00 UTC, 8h) or funding (every funding instant)",
			read: func(t string) (Params, func(*Params), error) {
				s, err := ReadSchedule(t)
				if err != nil {
					return Params{}, nil, err
				}
				return Params{Rebalance: s}, func(p *Params) { p.Rebalance = s }, nil
			},
			format: func(p Params) string { return ScheduleName(p.Rebalance) }},
		{Name: "min_history", Flag: "min-history", Column: "min_history_hours", Unit: "duration (14d, 72h)", Decides: true,
			Usage: "a pair qualifies only once its data began at least this long before (14d, 72h)",
			read:  durationParam(func(p *Params) *time.Duration { return &p.MinHistory }),
			bounds: func(p Params) error {
				if p.MinHistory < 0 {
					return errors.New("want a duration of 0 or more (14d, 72h)")
				}
				return nil
			},
			format: func(p Params) string { return DurationName(p.MinHistory) },
			cell:   func(p Params) string { return hours(p.MinHistory) }},
		{Name: "min_volume", Flag: "min-volume", Column: "min_quote_volume", Unit: "USDT over the trailing 24 hours", Decides: true,
			Usage:    "a pair qualifies only with at least this quote volume (USDT) over the trailing 24 hours (0: no filter)",
			flagType: "float64",
			read: func(t string) (Params, func(*Params), error) {
				x, err := strconv.ParseFloat(t, 64)
				if err != nil {
					return Params{}, nil, fmt.Errorf("want a quote volume in USDT")
				}
				return Params{MinQuoteVolume: x}, func(p *Params) { p.MinQuoteVolume = x }, nil
			},
			bounds: func(p Params) error {
				if !(p.MinQuoteVolume >= 0) || math.IsInf(p.MinQuoteVolume, 0) {
					return errors.New("want 0 or more (USDT)")
				}
				return nil
			},
			format: func(p Params) string { return strconv.FormatFloat(p.MinQuoteVolume, 'g', -1, 64) }},
		{Name: "vol_window", Flag: "vol-window", Column: "vol_window_hours", Unit: "duration (30d)", Decides: true,
			Usage: "trailing window of the inverse-vol weights' volatility",
			read:  durationParam(func(p *Params) *time.Duration { return &p.VolWindow }),
			bounds: func(p Params) error {
				if p.VolWindow <= 0 {
					return errors.New("want a positive duration (30d, 72h)")
				}
				return nil
			},
			format: func(p Params) string { return DurationName(p.VolWindow) },
			cell:   func(p Params) string { return hours(p.VolWindow) }},
		{Name: "band", Flag: "band", Column: "band", Unit: "weight difference", Decides: false,
			Usage: `no-trade band: a held pair is resized only when its weight is off its target by more than this ("5%", "0.05")`,
			read:  rateParam(func(p *Params) *float64 { return &p.Band }),
			bounds: func(p Params) error {
				if !(p.Band >= 0) || math.IsInf(p.Band, 0) {
					return errors.New("want 0 or more")
				}
				return nil
			},
			format: func(p Params) string { return strconv.FormatFloat(p.Band, 'g', -1, 64) }},
	}
}

// BookPairParams are the names of strategy.ParamTable's parameters a book
// uses (Params.Pair's money and the risk-free rate of its statistics);
// the others (the entry rules, rebalance_below, on_delivery) mean nothing
// for a book.
func BookPairParams() []string {
	return []string{"capital", "leverage", "spot_fee", "perp_fee", "slippage", "maintenance", "risk_free"}
}

func wholeParam(field func(*Params) *int, what string) func(string) (Params, func(*Params), error) {
	return func(t string) (Params, func(*Params), error) {
		// Base 0, as pflag reads an int flag: 0x10 is 16.
		n64, err := strconv.ParseInt(t, 0, strconv.IntSize)
		n := int(n64)
		if err != nil || n < 1 {
			return Params{}, nil, fmt.Errorf("want a whole number of %s from 1", what)
		}
		var p Params
		*field(&p) = n
		return p, func(q *Params) { *field(q) = n }, nil
	}
}

func rateParam(field func(*Params) *float64) func(string) (Params, func(*Params), error) {
	return func(t string) (Params, func(*Params), error) {
		x, err := rateOf(t)
		if err != nil {
			return Params{}, nil, err
		}
		var p Params
		*field(&p) = x
		return p, func(q *Params) { *field(q) = x }, nil
	}
}

func durationParam(field func(*Params) *time.Duration) func(string) (Params, func(*Params), error) {
	return func(t string) (Params, func(*Params), error) {
		d, err := data.ParseDuration(t)
		if err != nil {
			return Params{}, nil, fmt.Errorf("want a duration (30d, 72h): %w", err)
		}
		var p Params
		*field(&p) = d
		return p, func(q *Params) { *field(q) = d }, nil
	}
}

// rateOf reads a fraction written 0.05, 5% or 500bp; ReadRate's error
// says what is wanted.
func rateOf(t string) (float64, error) {
	v, err := strategy.ReadRate(t)
	if err != nil {
		return 0, err
	}
	return v.InexactFloat64(), nil
}

// ReadSchedule reads a rebalance schedule: a positive duration
// (data.ParseDuration: 1d, 8h) or funding.
func ReadSchedule(text string) (Schedule, error) {
	text = strings.TrimSpace(text)
	if strings.EqualFold(text, "funding") {
		return Schedule{OnFunding: true}, nil
	}
	d, err := data.ParseDuration(text)
	if err != nil || d <= 0 {
		return Schedule{}, fmt.Errorf("want a positive duration (1d, 8h) or funding")
	}
	return Schedule{Every: d}, nil
}

// ScheduleName is a schedule as ReadSchedule reads it back ("1d", "8h",
// "funding"; both joined by "+", "once" for neither).
func ScheduleName(s Schedule) string {
	var parts []string
	if s.Every > 0 {
		parts = append(parts, DurationName(s.Every))
	}
	if s.OnFunding {
		parts = append(parts, "funding")
	}
	if len(parts) == 0 {
		return "once"
	}
	return strings.Join(parts, "+")
}

// DurationName is d as the duration flags write it, and as
// data.ParseDuration reads it back to the same d: whole days as days
// ("1d", "30d"), anything else as Go writes it without its zero trailing
// units ("8h", "90m" → "1h30m", "1.5d" → "36h", "1h0m30s"); "0" for none.
func DurationName(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d > 0 && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	s := d.String()
	// Go writes every unit below the largest ("8h0m0s", "30m0s"); only
	// trailing zeros go, so "1h0m30s" keeps its minutes.
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func hours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'g', -1, 64) }
