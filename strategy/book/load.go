package book

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// UniverseSpec names the pairs of a portfolio run and the data that
// price them.
type UniverseSpec struct {
	// Symbols are the perpetuals to load; AllHistory instead loads every
	// perpetual the lake holds funding or futures candles of whose data
	// meets the window, delisted ones included (no survivorship bias).
	Symbols    []string
	AllHistory bool
	Period     data.Period
	From, To   time.Time // inclusive; zero: open
	// Prices and Spot choose each member's price data, as for a single
	// pair (backtest.Spec).
	Prices backtest.PriceSource
	Spot   backtest.SpotSource
}

// LoadedUniverse is a universe ready to run, with what a reader must know
// about its data.
type LoadedUniverse struct {
	Universe *portfolio.Universe
	// Warnings are each member's gaps and fallbacks, and the delistings
	// inferred without the exchange's word; each names its symbol.
	Warnings []string
	// Skipped are the symbols left out for want of data in the window,
	// each "SYMBOL: why".
	Skipped []string
}

// LoadUniverse reads a universe from the lake: each member's perpetual
// market from backtest.Load on its own data inside [From, To] (a member
// enters when its data starts and leaves when it ends), its futures
// candles' quote volumes, whether it was delisted, and since when the
// lake has its data (Member.Since: a minimum history counts from there,
// not from the window's start). Members are loaded
// at once, GOMAXPROCS at a time, and sorted by symbol.
func LoadUniverse(store *lake.Lake, s UniverseSpec) (*LoadedUniverse, error) {
	if s.AllHistory == (len(s.Symbols) > 0) {
		return nil, errors.New("a universe is either a list of symbols or all-history, one of the two")
	}
	if !s.From.IsZero() && !s.To.IsZero() && s.To.Before(s.From) {
		return nil, fmt.Errorf("the universe's window ends (%s) before it starts (%s)", s.To.Format(time.RFC3339), s.From.Format(time.RFC3339))
	}
	if _, err := data.ParseInterval(string(s.Period)); err != nil {
		return nil, fmt.Errorf("the universe's period %q: %w", s.Period, err)
	}
	st, err := store.Status()
	if err != nil {
		return nil, fmt.Errorf("listing the lake's series for the universe: %w", err)
	}
	ex := newExtents(st, s.Period)
	symbols := slices.Clone(s.Symbols)
	if s.AllHistory {
		symbols = ex.perpetualsMeeting(s.From, s.To)
	}
	slices.Sort(symbols)
	symbols = slices.Compact(symbols)

	results := make([]memberResult, len(symbols))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, sym := range symbols {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			results[i] = loadMember(store, s, ex, sym)
		}()
	}
	wg.Wait()

	out := &LoadedUniverse{Universe: &portfolio.Universe{}}
	var errs []error
	for _, r := range results {
		switch {
		case r.err != nil:
			errs = append(errs, r.err)
		case r.skipped != "":
			out.Skipped = append(out.Skipped, r.skipped)
		default:
			out.Universe.Members = append(out.Universe.Members, r.member)
		}
		out.Warnings = append(out.Warnings, r.warnings...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if len(out.Universe.Members) == 0 {
		return nil, noMembers(s, out.Skipped)
	}
	return out, nil
}

// noMembers is the error of a universe none of whose symbols loads: it
// lists each skipped symbol and why, so the run's "no pairs" has a cause.
func noMembers(s UniverseSpec, skipped []string) error {
	if len(skipped) == 0 {
		return fmt.Errorf("no perpetual of the lake has data in the window %s", windowName(s))
	}
	return fmt.Errorf("every symbol of the universe was skipped (window %s, --prices %s, --spot %s): %s",
		windowName(s), orDefault(string(s.Prices), string(backtest.PricesAuto)), orDefault(string(s.Spot), string(backtest.SpotIndex)), strings.Join(skipped, "; "))
}

// windowName writes the universe's window, its open ends as such.
func windowName(s UniverseSpec) string {
	from, to := "the first data", "the last data"
	if !s.From.IsZero() {
		from = s.From.Format(time.RFC3339)
	}
	if !s.To.IsZero() {
		to = s.To.Format(time.RFC3339)
	}
	return from + " → " + to
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
