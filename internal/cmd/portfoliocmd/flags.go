package portfoliocmd

import (
	"strings"
	"time"

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
	universe, signal, minSignal, weights, rebalance string
	band, cap, minHistory, volWindow                string
	period, prices, spot, from, to                  string
	lookback, top                                   int
	minVolume                                       float64
	pair                                            backtestcmd.ParamFlags
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
	u, err := parseUniverse(f.universe)
	if err != nil {
		return err
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
	switch s := portfolio.Signal(strings.ToLower(strings.TrimSpace(f.signal))); s {
	case portfolio.SignalFunding, portfolio.SignalBasis:
		p.Signal = s
	default:
		return cmdutil.FlagErrorf("--signal %q: want funding or basis", f.signal)
	}
	switch w := portfolio.Weighting(strings.ToLower(strings.TrimSpace(f.weights))); w {
	case portfolio.WeightEqual, portfolio.WeightSignal, portfolio.WeightInverseVol:
		p.Weights = w
	default:
		return cmdutil.FlagErrorf("--weights %q: want equal, signal or inverse-vol", f.weights)
	}
	if f.lookback < 1 {
		return cmdutil.FlagErrorf("--lookback %d: want at least 1 funding event", f.lookback)
	}
	if f.top < 1 {
		return cmdutil.FlagErrorf("--top %d: want at least 1 pair", f.top)
	}
	p.Lookback, p.Top = f.lookback, f.top
	if f.minSignal != "" {
		v, err := strategy.ReadRate(f.minSignal)
		if err != nil {
			return cmdutil.FlagErrorf("--min-signal %q: %v", f.minSignal, err)
		}
		x := v.InexactFloat64()
		p.MinSignal = &x
	}
	if p.Rebalance, err = parseSchedule(f.rebalance); err != nil {
		return err
	}
	if p.Band, err = fraction("--band", f.band, 0, false); err != nil {
		return err
	}
	if p.Cap, err = fraction("--cap", f.cap, 0, true); err != nil {
		return err
	}
	if p.Cap > 1 {
		return cmdutil.FlagErrorf("--cap %q: want at most 1 (100%%)", f.cap)
	}
	if p.MinHistory, err = duration("--min-history", f.minHistory, false); err != nil {
		return err
	}
	if p.VolWindow, err = duration("--vol-window", f.volWindow, true); err != nil {
		return err
	}
	if f.minVolume < 0 {
		return cmdutil.FlagErrorf("--min-volume %g: want 0 or more (USDT)", f.minVolume)
	}
	p.MinQuoteVolume = f.minVolume
	o.Spec.Universe, o.Spec.Params = u, p
	return nil
}

// parseUniverse reads --universe: all-history, or symbols separated by
// commas (upper-cased, repeats dropped).
func parseUniverse(text string) (book.UniverseSpec, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return book.UniverseSpec{}, cmdutil.FlagErrorf("--universe is required: symbols separated by commas (BTCUSDT,ETHUSDT) or %s", AllHistory)
	}
	if strings.EqualFold(text, AllHistory) {
		return book.UniverseSpec{AllHistory: true}, nil
	}
	var u book.UniverseSpec
	seen := map[string]bool{}
	for _, s := range strings.Split(text, ",") {
		sym := strings.ToUpper(strings.TrimSpace(s))
		if sym == "" {
			continue
		}
		if err := data.ValidateSymbol(sym); err != nil {
			return u, cmdutil.FlagErrorf("--universe: %v", err)
		}
		if !seen[sym] {
			seen[sym] = true
			u.Symbols = append(u.Symbols, sym)
		}
	}
	if len(u.Symbols) == 0 {
		return u, cmdutil.FlagErrorf("--universe %q: no symbol", text)
	}
	return u, nil
}

// parseSchedule reads --rebalance: a positive duration (data.ParseDuration)
// or funding.
func parseSchedule(text string) (portfolio.Schedule, error) {
	if strings.EqualFold(strings.TrimSpace(text), "funding") {
		return portfolio.Schedule{OnFunding: true}, nil
	}
	d, err := data.ParseDuration(strings.TrimSpace(text))
	if err != nil {
		return portfolio.Schedule{}, cmdutil.FlagErrorf("--rebalance %q: want a duration (1d, 8h) or funding: %v", text, err)
	}
	if d <= 0 {
		return portfolio.Schedule{}, cmdutil.FlagErrorf("--rebalance %q: want a positive duration (1d, 8h) or funding", text)
	}
	return portfolio.Schedule{Every: d}, nil
}

// fraction reads a fraction written as a rate ("5%", "500bp", "0.05"),
// at least lo (above lo when strict).
func fraction(flag, text string, lo float64, strict bool) (float64, error) {
	v, err := strategy.ReadRate(strings.TrimSpace(text))
	if err != nil {
		return 0, cmdutil.FlagErrorf("%s %q: %v", flag, text, err)
	}
	x := v.InexactFloat64()
	if x < lo || strict && x == lo {
		want := "0 or more"
		if strict {
			want = "more than 0"
		}
		return 0, cmdutil.FlagErrorf("%s %q: want %s", flag, text, want)
	}
	return x, nil
}

// duration reads a duration flag (data.ParseDuration), positive when
// positive is set, else 0 or more.
func duration(flag, text string, positive bool) (time.Duration, error) {
	d, err := data.ParseDuration(strings.TrimSpace(text))
	if err != nil {
		return 0, cmdutil.FlagErrorf("%s: %v", flag, err)
	}
	if d < 0 || positive && d == 0 {
		return 0, cmdutil.FlagErrorf("%s %q: want a positive duration (30d, 72h)", flag, text)
	}
	return d, nil
}
