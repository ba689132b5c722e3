package backtest

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
)

// klineLegs names the kline series that price a klines market, at the
// interval equal to the period: F from the perpetual's candles (a
// quarterly's: the pair's continuous candles of its contract type), S from
// the index candles or the spot market's.
func klineLegs(s Spec) (futures, spot data.KlineKey, err error) {
	iv, err := data.ParseInterval(string(s.Period))
	if err != nil {
		return futures, spot, fmt.Errorf("the kline interval of period %s: %w", s.Period, err)
	}
	futures = data.KlineKey{Kind: data.KlineFutures, Symbol: s.Symbol, Interval: iv}
	if s.Contract != data.Perpetual {
		futures = data.KlineKey{Kind: data.KlineContinuous, Symbol: s.Symbol, ContractType: s.Contract, Interval: iv}
	}
	spot = data.KlineKey{Kind: data.KlineIndex, Symbol: s.Symbol, Interval: iv}
	if s.spot() == SpotMarket {
		spot.Kind = data.KlineSpot
	}
	return futures, spot, nil
}

// klineSource is a leg's source as summaries name it: "klines futures 1h",
// "klines continuous CURRENT_QUARTER 1h", "klines index 1h", "klines spot 1h".
func klineSource(k data.KlineKey) string {
	if k.ContractType != "" {
		return fmt.Sprintf("klines %s %s %s", k.Kind, k.ContractType, k.Interval)
	}
	return fmt.Sprintf("klines %s %s", k.Kind, k.Interval)
}

// klinesAdvice says how to get a kline series the lake lacks: the backfill
// that fetches it (docs/backfill.md, "Sources"), or the basis instead.
func klinesAdvice(k data.KlineKey) string {
	cmd := fmt.Sprintf("carry backfill --symbols %s --datasets klines --kinds %s --intervals %s", k.Symbol, k.Kind, k.Interval)
	if k.ContractType != "" {
		cmd += " --contract-types " + string(k.ContractType)
	}
	return fmt.Sprintf("fetch them with: %s --since <start>; or price the run from the basis with --prices basis", cmd)
}

// noFuturesKlines marks the error of a klines market whose futures
// candles are not in the lake at all: auto then keeps to the basis, as
// before klines.
type noFuturesKlines struct{ error }

func (e noFuturesKlines) Unwrap() error { return e.error }

// loadKlines builds the grid from candles: the grid times are the futures
// candles' open times in the window, F their open, S the spot leg's candle
// open at the same time (docs/model.md, "Data and time"). A time where
// either leg lacks its candle is a gap: listed, never filled.
func loadKlines(store *lake.Lake, s Spec) (*Loaded, error) {
	futKey, spotKey, err := klineLegs(s)
	if err != nil {
		return nil, err
	}
	read := func(k data.KlineKey) (data.KlineSeries, error) {
		ks, err := store.ReadKlines(k)
		if errors.Is(err, lake.ErrNoSeries) {
			err = fmt.Errorf("%w: no %s in the lake at %s; %s", ErrMissingData, klinesWhat(k), store.Root(), klinesAdvice(k))
		} else if err != nil {
			err = fmt.Errorf("reading %s: %w", klinesWhat(k), err)
		}
		return ks, err
	}
	fut, err := read(futKey)
	if err != nil {
		if errors.Is(err, ErrMissingData) {
			err = noFuturesKlines{err}
		}
		return nil, err
	}
	spot, err := read(spotKey)
	if err != nil {
		return nil, err
	}
	spotAt := make(map[int64]float64, len(spot.Rows))
	for _, r := range spot.Rows {
		spotAt[r.OpenTime.UnixMilli()] = r.Open
	}
	m := &strategy.Market{Symbol: s.Symbol, ContractType: s.Contract, Period: s.Period, FuturesSource: klineSource(futKey), SpotSource: klineSource(spotKey)}
	withoutSpot := 0
	for _, r := range fut.Rows {
		if !s.inWindow(r.OpenTime) {
			continue
		}
		sp, ok := spotAt[r.OpenTime.UnixMilli()]
		if !ok {
			withoutSpot++
			continue
		}
		m.Times = append(m.Times, r.OpenTime)
		m.Futures = append(m.Futures, r.Open)
		m.Spot = append(m.Spot, sp)
	}
	if len(m.Times) < 2 {
		return nil, fmt.Errorf("%w: %s and %s have %d candle times in common in the window %s (the lake holds %s; %s); %s",
			ErrMissingData, klinesWhat(futKey), klinesWhat(spotKey), len(m.Times), window(s), holds(fut), holds(spot), klinesAdvice(futKey))
	}
	out := &Loaded{Market: m}
	out.BasisGaps = data.KlineGaps(m.Times, futKey.Interval)
	if n := data.MissingPoints(out.BasisGaps); n > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the klines grid (%s with %s) misses %d periods in %d gaps in the window (%d for want of a %s candle): the run steps over them (never filled)",
			klinesWhat(futKey), klinesWhat(spotKey), n, len(out.BasisGaps), withoutSpot, spotKey.Kind))
	}
	return out, nil
}

func klinesWhat(k data.KlineKey) string { return "klines " + k.String() }

// holds says what span a kline series holds.
func holds(ks data.KlineSeries) string {
	n := len(ks.Rows)
	if n == 0 {
		return klinesWhat(ks.Key) + ": no candles"
	}
	return fmt.Sprintf("%s: %d candles from %s to %s", klinesWhat(ks.Key), n, ks.Rows[0].OpenTime.Format(time.RFC3339), ks.Rows[n-1].OpenTime.Format(time.RFC3339))
}

// loadAuto prices the run from the basis where the stored basis covers the
// window, from klines where they cover it and the basis does not, and
// refuses when neither does — one source per run, never a mix. A lake with
// no futures klines for the market keeps to the basis, whatever it covers,
// as before klines.
func loadAuto(store *lake.Lake, s Spec) (*Loaded, error) {
	var basis *Loaded
	var basisErr error
	if s.spot() == SpotIndex { // the basis prices only the index
		basis, basisErr = loadBasis(store, s)
		if basisErr == nil && covers(basis.Market.Times, s) {
			return basis, nil
		}
	} else {
		basisErr = fmt.Errorf("the basis has no spot market prices (--spot spot)")
	}
	klines, klinesErr := loadKlines(store, s)
	if klinesErr == nil && covers(klines.Market.Times, s) {
		return klines, nil
	}
	if errors.As(klinesErr, new(noFuturesKlines)) && s.spot() == SpotIndex {
		return basis, basisErr
	}
	describe := func(ld *Loaded, err error) string {
		if err != nil {
			return strings.TrimPrefix(err.Error(), ErrMissingData.Error()+": ")
		}
		t := ld.Market.Times
		return fmt.Sprintf("%s to %s only", t[0].Format(time.RFC3339), t[len(t)-1].Format(time.RFC3339))
	}
	return nil, fmt.Errorf("%w: neither the basis nor the klines of %s %s %s cover the window %s (--prices auto never mixes them): basis: %s; klines: %s",
		ErrMissingData, s.Symbol, s.Contract, s.Period, window(s), describe(basis, basisErr), describe(klines, klinesErr))
}

// covers reports whether a grid spans the spec's window: no whole period
// missing before its first point or after its last (an open end is
// covered by whatever the lake holds).
func covers(times []time.Time, s Spec) bool {
	if len(times) < 2 {
		return false
	}
	step := s.Period.Duration()
	return (s.From.IsZero() || times[0].Before(s.From.Add(step))) &&
		(s.To.IsZero() || times[len(times)-1].After(s.To.Add(-step)))
}

// fillMarksFromCandles gives each funding event sent without a mark price
// the open of the symbol's mark-price candle opening at τ, from the
// shortest interval the lake holds that has one; events no candle prices
// keep the engine's fallback (F at the last grid point at or before τ).
func fillMarksFromCandles(store *lake.Lake, s Spec, m *strategy.Market) error {
	missing := 0
	for _, e := range m.Funding {
		if !e.Mark.Valid {
			missing++
		}
	}
	if missing == 0 {
		return nil
	}
	keys, err := store.KlineKeys()
	if err != nil {
		return fmt.Errorf("listing the lake's mark-price klines of %s: %w", s.Symbol, err)
	}
	for _, iv := range data.Intervals() {
		key := data.KlineKey{Kind: data.KlineMark, Symbol: s.Symbol, Interval: iv}
		if missing == 0 || !hasKey(keys, key) {
			continue
		}
		ks, err := store.ReadKlines(key)
		if err != nil {
			return fmt.Errorf("reading %s for funding events without a mark price: %w", klinesWhat(key), err)
		}
		open := make(map[int64]float64, len(ks.Rows))
		for _, r := range ks.Rows {
			open[r.OpenTime.UnixMilli()] = r.Open
		}
		for i := range m.Funding {
			e := &m.Funding[i]
			if p, ok := open[e.Instant.UnixMilli()]; ok && !e.Mark.Valid {
				e.Mark, e.MarkFromCandle = data.NullFloat64{Float64: p, Valid: true}, true
				missing--
			}
		}
	}
	return nil
}

func hasKey(keys []data.KlineKey, k data.KlineKey) bool {
	for _, have := range keys {
		if have == k {
			return true
		}
	}
	return false
}
