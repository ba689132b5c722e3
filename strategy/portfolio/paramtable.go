package portfolio

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// BookParam is one of a book's own parameters (those strategy.ParamTable
// does not hold) as carry reads, checks and prints it wherever it is
// written: a sweep grid's fields, the results' columns. It is the book's
// counterpart of strategy.Param: everything that lists a book's
// parameters derives from BookParamTable.
type BookParam struct {
	Name   string // grid field and name in sweep ids: min_signal
	Flag   string // carry portfolio's flag, without its dashes: min-signal
	Column string // results column, summary.json's key: min_signal
	Unit   string // what a value counts
	// Decides says the parameter is one of the plan's decisions (Plan):
	// runs that differ only in the others (the band and the pair's
	// parameters) share one plan.
	Decides bool

	// Text says the column holds words (signal, weights, rebalance), not
	// numbers.
	Text bool

	read   func(text string) (Params, func(*Params), error)
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
			read: func(t string) (Params, func(*Params), error) {
				s := Signal(strings.ToLower(t))
				if s != SignalFunding && s != SignalBasis {
					return Params{}, nil, fmt.Errorf("want %s or %s", SignalFunding, SignalBasis)
				}
				return Params{Signal: s}, func(p *Params) { p.Signal = s }, nil
			},
			format: func(p Params) string { return string(p.Signal) }},
		{Name: "lookback", Flag: "lookback", Column: "lookback", Unit: "funding events", Decides: true,
			read:   wholeParam(func(p *Params) *int { return &p.Lookback }, "funding events"),
			format: func(p Params) string { return strconv.Itoa(p.Lookback) }},
		{Name: "top", Flag: "top", Column: "top", Unit: "pairs", Decides: true,
			read:   wholeParam(func(p *Params) *int { return &p.Top }, "pairs"),
			format: func(p Params) string { return strconv.Itoa(p.Top) }},
		{Name: "min_signal", Flag: "min-signal", Column: "min_signal", Unit: "annualized rate (null: no threshold)", Decides: true,
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
			read: func(t string) (Params, func(*Params), error) {
				w := Weighting(strings.ToLower(t))
				if w != WeightEqual && w != WeightSignal && w != WeightInverseVol {
					return Params{}, nil, fmt.Errorf("want %s, %s or %s", WeightEqual, WeightSignal, WeightInverseVol)
				}
				return Params{Weights: w}, func(p *Params) { p.Weights = w }, nil
			},
			format: func(p Params) string { return string(p.Weights) }},
		{Name: "cap", Flag: "cap", Column: "cap", Unit: "weight, (0, 1]", Decides: true,
			read:   rateParam(func(p *Params) *float64 { return &p.Cap }),
			format: func(p Params) string { return strconv.FormatFloat(p.Cap, 'g', -1, 64) }},
		{Name: "rebalance", Flag: "rebalance", Column: "rebalance", Unit: "duration (1d, 8h) or funding", Decides: true, Text: true,
			read: func(t string) (Params, func(*Params), error) {
				s, err := ReadSchedule(t)
				if err != nil {
					return Params{}, nil, err
				}
				return Params{Rebalance: s}, func(p *Params) { p.Rebalance = s }, nil
			},
			format: func(p Params) string { return ScheduleName(p.Rebalance) }},
		{Name: "min_history", Flag: "min-history", Column: "min_history_hours", Unit: "duration (14d, 72h)", Decides: true,
			read:   durationParam(func(p *Params) *time.Duration { return &p.MinHistory }),
			format: func(p Params) string { return DurationName(p.MinHistory) },
			cell:   func(p Params) string { return hours(p.MinHistory) }},
		{Name: "min_volume", Flag: "min-volume", Column: "min_quote_volume", Unit: "USDT over the trailing 24 hours", Decides: true,
			read: func(t string) (Params, func(*Params), error) {
				x, err := strconv.ParseFloat(t, 64)
				if err != nil {
					return Params{}, nil, fmt.Errorf("want a quote volume in USDT")
				}
				return Params{MinQuoteVolume: x}, func(p *Params) { p.MinQuoteVolume = x }, nil
			},
			format: func(p Params) string { return strconv.FormatFloat(p.MinQuoteVolume, 'g', -1, 64) }},
		{Name: "vol_window", Flag: "vol-window", Column: "vol_window_hours", Unit: "duration (30d)", Decides: true,
			read:   durationParam(func(p *Params) *time.Duration { return &p.VolWindow }),
			format: func(p Params) string { return DurationName(p.VolWindow) },
			cell:   func(p Params) string { return hours(p.VolWindow) }},
		{Name: "band", Flag: "band", Column: "band", Unit: "weight difference", Decides: false,
			read:   rateParam(func(p *Params) *float64 { return &p.Band }),
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
		n, err := strconv.Atoi(t)
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

// rateOf reads a fraction written 0.05, 5% or 500bp.
func rateOf(t string) (float64, error) {
	v, err := strategy.ReadRate(t)
	if err != nil {
		return 0, fmt.Errorf("want a number (0.05, 5%% or 500bp): %w", err)
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

// ScheduleName is a schedule as ReadSchedule reads it back ("1d", "8h0m0s",
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

// DurationName is d in whole days when it is some ("30d"), else Go's
// form ("8h0m0s"); "0" for none.
func DurationName(d time.Duration) string {
	switch {
	case d == 0:
		return "0"
	case d > 0 && d%(24*time.Hour) == 0:
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

func hours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'g', -1, 64) }
