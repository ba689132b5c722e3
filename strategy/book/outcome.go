package book

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// Spec is one portfolio run: the universe to load, the book's parameters
// and the risk-free rate its statistics discount by.
type Spec struct {
	Universe UniverseSpec
	Params   portfolio.Params
	RiskFree float64 // annual
	// Progress, when set, is told each step as it starts ("loading 7
	// pairs"), for a terminal's status line; not part of the run.
	Progress func(step string) `json:"-"`
}

func (s Spec) progress(format string, args ...any) {
	if s.Progress != nil {
		s.Progress(fmt.Sprintf(format, args...))
	}
}

// Outcome is what one portfolio run produced: the universe it read, the
// engine's full record, its summary and the series its report draws.
type Outcome struct {
	*LoadedUniverse
	Result  *portfolio.Result
	Summary Summary
	// Pairs are the members' contributions, in universe order.
	Pairs []Contribution
	// BTC is the benchmark's run (BTCUSDT carry, always in); nil when the
	// lake lacks it (Summary.BTCCarry.Note says why).
	BTC    *strategy.Result
	Series Series
}

// BenchmarkSymbol is the single pair a book is compared with.
const BenchmarkSymbol = "BTCUSDT"

// Run loads the universe, runs the book on it, runs the BTCUSDT benchmark
// over the same window, and summarizes: what `carry portfolio` does, as a
// library call.
func Run(ctx context.Context, store *lake.Lake, s Spec) (*Outcome, error) {
	if n := len(s.Universe.Symbols); n > 0 {
		s.progress("loading %d pair%s", n, plural(n))
	} else {
		s.progress("loading the universe (all-history)")
	}
	lu, err := LoadUniverse(store, s.Universe)
	if err != nil {
		return nil, fmt.Errorf("loading the universe: %w", err)
	}
	// Pairs the parameters can never admit (no quote volume under
	// --min-volume) are said, not silently never held.
	lu.Warnings = append(lu.Warnings, ParamWarnings(lu.Universe, s.Params)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	n := len(lu.Universe.Members)
	s.progress("running the book over %d pair%s", n, plural(n))
	res, err := portfolio.RunContext(ctx, lu.Universe, s.Params)
	if err != nil {
		return nil, fmt.Errorf("running the book: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.progress("running the %s benchmark and summarizing", BenchmarkSymbol)
	btc, note := benchmarkMarket(store, s.Universe, res)
	out, err := Summarize(res, Setting{Universe: universeName(s.Universe, lu.Universe), RiskFree: s.RiskFree, BTC: btc, BTCNote: note})
	if err != nil {
		return nil, err
	}
	out.LoadedUniverse = lu
	return out, nil
}

// benchmarkMarket is BTCUSDT's market over the book's window: the
// member's when the universe holds it, else read from the lake with the
// universe's period and price sources; nil and the reason when the lake
// lacks it.
func benchmarkMarket(store *lake.Lake, s UniverseSpec, res *portfolio.Result) (*strategy.Market, string) {
	for _, m := range res.Universe.Members {
		if m.Market.Symbol == BenchmarkSymbol {
			return m.Market, ""
		}
	}
	if len(res.Rows) == 0 {
		return nil, "the book has no grid"
	}
	first, last := res.Rows[0].Time, res.Rows[len(res.Rows)-1].Time
	ld, err := backtest.Load(store, backtest.Spec{Symbol: BenchmarkSymbol, Period: s.Period, Contract: data.Perpetual, From: first, To: last, Prices: s.Prices, Spot: s.Spot})
	if err != nil {
		if errors.Is(err, backtest.ErrMissingData) {
			return nil, fmt.Sprintf("no %s benchmark: the lake lacks %s %s over the window", BenchmarkSymbol, BenchmarkSymbol, s.Period)
		}
		return nil, fmt.Sprintf("no %s benchmark: %v", BenchmarkSymbol, err)
	}
	return ld.Market, ""
}

// Setting is what a summary needs besides the book's result.
type Setting struct {
	Universe string  // "all-history" or the symbols
	RiskFree float64 // annual
	// BTC is the benchmark's market (nil: none, BTCNote says why).
	BTC     *strategy.Market
	BTCNote string
}

// Summarize builds a book's summary, contributions and series, and runs
// the benchmark on set.BTC (always in, the book's pair parameters).
func Summarize(res *portfolio.Result, set Setting) (*Outcome, error) {
	if len(res.Rows) < 2 || len(res.Universe.Members) == 0 {
		return nil, fmt.Errorf("summarizing the book: %d grid points and %d pairs, need 2 and 1", len(res.Rows), len(res.Universe.Members))
	}
	st, err := statsOf(res, set.RiskFree)
	if err != nil {
		return nil, err
	}
	out := &Outcome{Result: res, Pairs: contributions(res, st)}
	out.Summary = summaryOf(res, set, st)
	out.Series = st.series
	if err := out.addBenchmarks(set, st); err != nil {
		return nil, err
	}
	return out, nil
}

// benchmarkParams are the book's pair parameters with no entry rule:
// the single pair always in, as the book's one-pair identity.
func benchmarkParams(p portfolio.Params) strategy.Params {
	pp := p.Pair
	pp.Rules = strategy.Rules{FundingLookback: pp.Rules.FundingLookback}
	return pp
}

// times of a window, for notes.
func windowText(from, to time.Time) string {
	return from.UTC().Format(time.RFC3339) + " → " + to.UTC().Format(time.RFC3339)
}

// plural is "s" but for one.
func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
