package strategy

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// Settings are what a run is given besides its market: the engine's
// parameters and the risk-free rate its statistics discount by.
type Settings struct {
	Params   Params
	RiskFree float64 // annual, e.g. 0.04
}

// DefaultSettings are DefaultParams with a risk-free rate of 0.
func DefaultSettings() Settings { return Settings{Params: DefaultParams()} }

// Param is one of a run's parameters as carry reads, checks and prints it,
// wherever it is written: carry backtest's flags, a sweep grid's fields,
// the results' columns, the report. Everything that lists parameters is
// derived from ParamTable (docs/architecture.md, "Adding an engine
// parameter").
type Param struct {
	Name   string // grid field, YAML key and name in sweep ids: spot_fee
	Flag   string // carry backtest's flag, without its dashes: spot-fee
	Column string // results column (a summary.json key, rules flattened): spot_fee
	Unit   string // what a value counts
	Usage  string // the flag's help
	// Report is its row in the report's parameter table ("": shown in the
	// rules' row or not at all); parameters sharing a row are joined, each
	// as ReportAs formats its value ("": the value alone).
	Report, ReportAs string
	// Gates, on a rule's entry threshold, is the parameter that means
	// nothing while the entry is off: the rule's exit.
	Gates string

	bounds *bounds // nil: any value that reads
	kind   kind
	slip   *slip // nil: no value is suspicious
}

// ParamCount is len(ParamTable()): a sweep's combinations hold their
// values in arrays of that size.
const ParamCount = 15

// ParamTable lists the parameters in a sweep's enumeration order (after
// the market's symbol, period and contract); defaults are DefaultSettings'.
func ParamTable() []Param {
	return []Param{
		{Name: "capital", Flag: "capital", Column: "capital", Unit: "USDT",
			Usage:  "starting capital C (USDT)",
			bounds: within("1", "1e15", "a capital from 1 to 1e15 USDT"),
			kind:   amount(func(s *Settings) *decimal.Decimal { return &s.Params.Capital })},
		{Name: "leverage", Flag: "leverage", Column: "leverage", Unit: "multiple of the capital", Report: "Leverage",
			Usage:  "leverage L of the short leg (1/L must exceed --maintenance)",
			bounds: within("0.01", "1000", "a leverage from 0.01 to 1000"),
			kind:   amount(func(s *Settings) *decimal.Decimal { return &s.Params.Leverage })},
		{Name: "spot_fee", Flag: "spot-fee", Column: "spot_fee", Unit: "fraction of notional per fill", Report: "Fees", ReportAs: "spot %s",
			Usage:  "spot fee per fill: a fraction, or 10bp or 0.1%",
			bounds: atLeast("0", "a fee rate ≥ 0"),
			kind:   fraction(func(s *Settings) *decimal.Decimal { return &s.Params.SpotFee })},
		{Name: "perp_fee", Flag: "perp-fee", Column: "perp_fee", Unit: "fraction of notional per fill", Report: "Fees", ReportAs: "futures %s per fill",
			Usage:  "futures fee per fill (taker): a fraction, or 5bp or 0.05%",
			bounds: atLeast("0", "a fee rate ≥ 0"),
			kind:   fraction(func(s *Settings) *decimal.Decimal { return &s.Params.PerpFee })},
		{Name: "slippage", Flag: "slippage", Column: "slippage", Unit: "fraction of price per fill", Report: "Slippage",
			Usage:  "slippage per fill: a fraction, or 1bp (= 0.0001) or 0.01%",
			bounds: atLeast("0", "a slippage rate ≥ 0"),
			kind:   fraction(func(s *Settings) *decimal.Decimal { return &s.Params.Slippage })},
		{Name: "maintenance", Flag: "maintenance", Column: "maintenance_margin", Unit: "fraction of notional", Report: "Maintenance margin",
			Usage:  "maintenance margin rate m: a fraction, or 40bp or 0.4%",
			bounds: atLeast("0", "a maintenance margin rate ≥ 0"),
			kind:   fraction(func(s *Settings) *decimal.Decimal { return &s.Params.Maintenance })},
		{Name: "rebalance_below", Flag: "rebalance-below", Column: "rebalance_below", Unit: "margin ratio", Report: "Rebalance below",
			Usage:  "rebalance when the margin ratio falls below this (0: never)",
			bounds: atLeast("0", "a margin ratio ≥ 0 (0: never rebalance)"),
			kind:   fraction(func(s *Settings) *decimal.Decimal { return &s.Params.RebalanceBelow })},
		{Name: "on_delivery", Flag: "on-delivery", Column: "on_delivery", Unit: "flat or roll", Report: "On delivery",
			Usage: "dated contracts at delivery: flat or roll",
			kind:  choice(func(s *Settings) *OnDelivery { return &s.Params.OnDelivery })},
		{Name: "funding_lookback", Flag: "funding-lookback", Column: "rules_funding_lookback", Unit: "funding events",
			Usage:  "N: events in the funding signal",
			bounds: atLeast("0", "a whole number of events from 1"),
			kind:   whole("events", func(s *Settings) *int { return &s.Params.Rules.FundingLookback })},
		{Name: "funding_enter", Flag: "funding-enter", Column: "rules_funding_enter", Unit: "annualized rate", Gates: "funding_exit",
			Usage:  "enter when the mean annualized funding of the last N events ≥ this (0.1, 10% or 1000bp a year); needs --funding-exit",
			bounds: anyNumber("an annualized rate"),
			slip:   annualSlip,
			kind:   threshold(func(s *Settings) **float64 { return &s.Params.Rules.FundingEnter })},
		{Name: "funding_exit", Flag: "funding-exit", Column: "rules_funding_exit", Unit: "annualized rate",
			Usage:  "exit when it is ≤ this",
			bounds: anyNumber("an annualized rate"),
			slip:   annualSlip,
			kind:   threshold(func(s *Settings) **float64 { return &s.Params.Rules.FundingExit })},
		{Name: "basis_enter", Flag: "basis-enter", Column: "rules_basis_enter", Unit: "annualized rate", Gates: "basis_exit",
			Usage:  "enter when the annualized basis ≥ this; needs --basis-exit",
			bounds: anyNumber("an annualized rate"),
			slip:   annualSlip,
			kind:   threshold(func(s *Settings) **float64 { return &s.Params.Rules.BasisEnter })},
		{Name: "basis_exit", Flag: "basis-exit", Column: "rules_basis_exit", Unit: "annualized rate",
			Usage:  "exit when it is ≤ this",
			bounds: anyNumber("an annualized rate"),
			slip:   annualSlip,
			kind:   threshold(func(s *Settings) **float64 { return &s.Params.Rules.BasisExit })},
		{Name: "max_hold", Flag: "max-hold", Column: "rules_max_hold_hours", Unit: "duration (72h, 14d)",
			Usage: "exit a position held this long (e.g. 72h, 14d)",
			kind:  duration(func(s *Settings) *time.Duration { return &s.Params.Rules.MaxHold })},
		{Name: "risk_free", Flag: "risk-free", Column: "risk_free_rate", Unit: "annual rate",
			Usage:  "annual risk-free rate for Sharpe and Sortino (0.04, 4% or 400bp)",
			bounds: within("-0.99", "10", "an annual rate from -99% to 1000%"),
			kind:   rate(func(s *Settings) *float64 { return &s.RiskFree })},
	}
}

// slip is where a parameter's value is almost surely a slip of units: a
// magnitude above limit, which Slip warns of (it is still run).
type slip struct {
	limit decimal.Decimal
	warn  func(label string, d decimal.Decimal) string
}

// annualSlip: an annualized threshold above 100 %/yr (10 for 10 %, the
// likeliest slip, reads as 1000 %/yr and never trades).
var annualSlip = &slip{limit: decimal.NewFromInt(1),
	warn: func(label string, d decimal.Decimal) string {
		return fmt.Sprintf("%s %s is %s %%/yr, beyond ±100 %%/yr: likely a slip of units (rates are fractions: 10%% a year is 0.1, 10%% or 1000bp)",
			label, d, d.Shift(2))
	}}

// Slip says, when text (written at src) reads as a value that is almost
// surely a slip of units — an annualized threshold beyond ±100 %/yr — what
// a warning on stderr and in the report should say; "" otherwise (and for
// text that does not read, which Read refuses).
func (p Param) Slip(text string, src Source) string {
	if p.slip == nil || empty(text, src) {
		return ""
	}
	d, err := readNumber(p.Label(src), text, src, p.kind.units)
	if err != nil || d.Abs().LessThanOrEqual(p.slip.limit) {
		return ""
	}
	return p.slip.warn(p.Label(src), d)
}

// Source is where a value is written, which decides the text it may take
// and how an error names it.
type Source int

// Where values are written.
const (
	FromFlag Source = iota // carry backtest's flags: --spot-fee
	FromGrid               // a sweep grid's fields: spot_fee, YAML's .inf and .nan
)

// Label is the parameter as written at src: "--spot-fee" or "spot_fee".
func (p Param) Label(src Source) string {
	if src == FromFlag {
		return "--" + p.Flag
	}
	return p.Name
}

// FlagType is how --help names the flag's type.
func (p Param) FlagType() string { return p.kind.flagType }

// Default is the default value as a flag or a grid writes it: the engine's
// (DefaultSettings), "" for a setting that is off.
func (p Param) Default() string { return p.Format(DefaultSettings()) }

// Format prints p's value in s canonically, as Read reads it back.
func (p Param) Format(s Settings) string { return p.kind.format(&s) }

// Value is a parameter's value, read: its canonical text (what sweep ids
// and combination values hold) and what it sets.
type Value struct {
	Canon string
	Off   bool // an optional setting left off (a rule, max_hold)
	set   func(*Settings)
}

// Apply sets the value in s; the zero Value sets nothing.
func (v Value) Apply(s *Settings) {
	if v.set != nil {
		v.set(s)
	}
}

// Read reads text written at src, with the error messages of that source;
// Check's bounds are not applied.
func (p Param) Read(text string, src Source) (Value, error) {
	return p.kind.read(p.Label(src), text, src)
}

// Check says whether text, written at src, is a value the engine could ever
// use: finite, within the parameter's bounds (so that a sweep refuses it
// before any work). Text that does not read is left to Read, and what
// depends on other parameters to Params.Validate. The error names the
// parameter and the text as written, and says what is wanted.
func (p Param) Check(text string, src Source) error {
	if err := p.kind.check(p.bounds, text, src); err != nil {
		return fmt.Errorf("%s %s: %w", p.Label(src), p.kind.written(text, src), err)
	}
	return nil
}
