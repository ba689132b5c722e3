package portfoliocmd

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"github.com/spf13/pflag"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmd/backtestcmd"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// flagText is the flags as written, read by parse.
type flagText struct {
	universe, period, prices, spot, from, to string
	book                                     []*bookFlag
	pair                                     backtestcmd.ParamFlags
}

// bookFlag is one of the book's parameters (portfolio.BookParamTable)
// bound as a flag: it keeps the text, which parse reads with the table's
// ReadFlag.
type bookFlag struct {
	param portfolio.BookParam
	text  string
}

func (f *bookFlag) String() string { return f.text }

func (f *bookFlag) Type() string { return f.param.FlagType() }

func (f *bookFlag) Set(s string) error {
	// A number flag refuses what pflag's int and float64 flags refuse,
	// with their message.
	switch f.param.FlagType() {
	case "int":
		if _, err := strconv.ParseInt(s, 0, 64); err != nil {
			return err
		}
	case "float64":
		if _, err := strconv.ParseFloat(s, 64); err != nil {
			return err
		}
	}
	f.text = s
	return nil
}

// addBookFlags binds a flag for each of the book's parameters, in the
// table's order, each starting at the model's default.
func addBookFlags(fs *pflag.FlagSet) []*bookFlag {
	var out []*bookFlag
	for _, b := range portfolio.BookParamTable() {
		f := &bookFlag{param: b, text: b.Default()}
		usage := b.Usage
		if f.text == "0" && b.FlagType() == "string" {
			// pflag hides a default of "0" as it would a number flag's
			// zero; the model's 0 is a default like any other.
			usage += fmt.Sprintf(" (default %q)", f.text)
		}
		fs.Var(f, b.Flag, usage)
		out = append(out, f)
	}
	return out
}

// AllHistory is --universe's word for every perpetual with data in the
// window.
const AllHistory = "all-history"

// parse reads the flags into o.Spec (but the pair's parameters, bound to
// their own flags), each error naming its flag.
func (o *Options) parse(f flagText, now time.Time) error {
	if o.Out == "" {
		return cmdutil.FlagErrorf("--out is required: the directory for the run's files")
	}
	u, repeated, err := parseUniverse(f.universe)
	if err != nil {
		return err
	}
	for _, sym := range repeated {
		o.Slips = append(o.Slips, fmt.Sprintf("--universe names %s more than once: it is one pair", sym))
	}
	if u.Period, err = data.ParsePeriod(f.period); err != nil {
		return cmdutil.FlagErrorf("--period: %v", err)
	}
	if u.Prices, err = backtest.ParsePriceSource(f.prices); err != nil {
		return cmdutil.FlagErrorf("--prices: %v", err)
	}
	if u.Spot, err = backtest.ParseSpotSource(f.spot); err != nil {
		return cmdutil.FlagErrorf("--spot: %v", err)
	}
	if err := (backtest.Spec{Prices: u.Prices, Spot: u.Spot}).CheckSources(); err != nil {
		return cmdutil.FlagErrorf("--spot %s with --prices %s: %v", u.Spot, u.Prices, err)
	}
	if f.from != "" {
		if u.From, err = data.ParseTime(f.from, now); err != nil {
			return cmdutil.FlagErrorf("--from: %v", err)
		}
	}
	if f.to != "" {
		if u.To, err = data.ParseTime(f.to, now); err != nil {
			return cmdutil.FlagErrorf("--to: %v", err)
		}
	}
	if !u.From.IsZero() && !u.To.IsZero() && !u.From.Before(u.To) {
		return cmdutil.FlagErrorf("--from %s must be before --to %s", u.From.Format(time.RFC3339), u.To.Format(time.RFC3339))
	}
	p := portfolio.DefaultParams()
	written := map[string]string{} // the book's flags as written, for warnings
	for _, bf := range f.book {
		written[bf.param.Flag] = bf.text
		v, err := bf.param.ReadFlag(bf.text)
		if err != nil {
			return cmdutil.FlagErrorf("%v", err)
		}
		v.Apply(&p)
	}
	o.Spec.Universe, o.Spec.Params = u, p
	o.Slips = append(o.Slips, bookSlips(p, u.Period, written["rebalance"])...)
	return nil
}

// bookSlips are the book's parameters that run but are almost surely not
// what was meant: a --min-signal beyond ±100 %/yr (5 read as 500 %/yr, as
// carry backtest warns of its thresholds), and a --rebalance shorter than
// --period (the book can only rebalance at its grid points: every one),
// written as rebalance was.
func bookSlips(p portfolio.Params, period data.Period, rebalance string) []string {
	var out []string
	if p.MinSignal != nil {
		if w := strategy.AnnualRateSlip("--min-signal", decimal.NewFromFloat(*p.MinSignal)); w != "" {
			out = append(out, w)
		}
	}
	if every, grid := p.Rebalance.Every, period.Duration(); every > 0 && grid > 0 && every < grid {
		out = append(out, fmt.Sprintf("--rebalance %s is shorter than --period %s: the book rebalances at every grid point, as --rebalance %s would",
			rebalance, period, period))
	}
	return out
}

// parseUniverse reads --universe: all-history, or symbols separated by
// commas (upper-cased, repeats dropped and returned, for a warning).
func parseUniverse(text string) (u book.UniverseSpec, repeated []string, err error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return u, nil, cmdutil.FlagErrorf("--universe is required: symbols separated by commas (BTCUSDT,ETHUSDT) or %s", AllHistory)
	}
	if strings.EqualFold(text, AllHistory) {
		return book.UniverseSpec{AllHistory: true}, nil, nil
	}
	seen := map[string]bool{}
	for _, s := range strings.Split(text, ",") {
		sym := strings.ToUpper(strings.TrimSpace(s))
		if sym == "" {
			continue
		}
		if err := data.ValidateSymbol(sym); err != nil {
			return u, nil, cmdutil.FlagErrorf("--universe: %v", err)
		}
		switch {
		case !seen[sym]:
			seen[sym] = true
			u.Symbols = append(u.Symbols, sym)
		case !slices.Contains(repeated, sym):
			repeated = append(repeated, sym)
		}
	}
	if len(u.Symbols) == 0 {
		return u, nil, cmdutil.FlagErrorf("--universe %q: no symbol", text)
	}
	return u, repeated, nil
}
