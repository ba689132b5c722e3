package backtest

import (
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
)

// Spec names the market of a run.
type Spec struct {
	Symbol   string
	Period   data.Period
	Contract data.ContractType
	From, To time.Time // inclusive; zero: the whole stored series
	// Prices and Spot choose the data that price the legs (zero: auto and
	// index). They are market choices, not engine parameters.
	Prices PriceSource `json:",omitempty"`
	Spot   SpotSource  `json:",omitempty"`
}

// Loaded is a market ready to run, with what a reader must know about its
// data.
type Loaded struct {
	Market *strategy.Market
	// Warnings are gaps and fallbacks in the window, for the report.
	Warnings []string
	// BasisGaps are the grid's gaps inside the window (the basis series',
	// or for a klines market the candles' missing on either leg);
	// FundingGaps the funding's.
	BasisGaps, FundingGaps []data.Gap
}

// ErrMissingData is wrapped by errors about data the lake lacks.
var ErrMissingData = errors.New("the lake lacks data for this run")

// Load reads a run's market from the lake: the grid and both legs' prices
// from the basis series of the period and contract, or from klines
// (Spec.Prices; auto chooses, never mixing), the symbol's funding events
// for a perpetual (all of them up to To: the rules' lookback counts events
// before From), and for a quarterly the delivery of each grid point's
// contract and the other quarterly series.
func Load(store *lake.Lake, s Spec) (*Loaded, error) {
	if err := s.CheckSources(); err != nil {
		return nil, err
	}
	var out *Loaded
	var err error
	switch s.prices() {
	case PricesBasis:
		out, err = loadBasis(store, s)
	case PricesKlines:
		out, err = loadKlines(store, s)
	default:
		out, err = loadAuto(store, s)
	}
	if err != nil {
		return nil, err
	}
	times := out.Market.Times
	out.Warnings = append(ClampWarnings(s, times), out.Warnings...)
	if s.Contract == data.Perpetual {
		if err := loadFunding(store, s, out, times[0], times[len(times)-1]); err != nil {
			return nil, err
		}
		if out.Market.FuturesSource != basisSource {
			if err := fillMarksFromCandles(store, s, out.Market); err != nil {
				return nil, err
			}
		}
	} else if err := loadDated(store, s, out, times); err != nil {
		return nil, err
	}
	return out, nil
}

// The basis dataset's legs as summaries name them.
const (
	basisSource      = "basis"
	basisIndexSource = "basis index"
)

// loadBasis builds the grid and both legs from the basis series: F is its
// futures_price, S its index_price.
func loadBasis(store *lake.Lake, s Spec) (*Loaded, error) {
	key := data.BasisKey{Pair: s.Symbol, ContractType: s.Contract, Period: s.Period}
	now := time.Now()
	basis, err := store.ReadBasis(key)
	if errors.Is(err, lake.ErrNoSeries) && !store.Exists() {
		return nil, fmt.Errorf("%w: there is no lake at %s (check --data or $CARRY_DATA); %s", ErrMissingData, store.Root(), fetchAdvice("create one with", s, s.Contract, now))
	}
	if errors.Is(err, lake.ErrNoSeries) {
		return nil, fmt.Errorf("%w: no %s in the lake at %s; %s", ErrMissingData, key, store.Root(), fetchAdvice("fetch it with", s, s.Contract, now))
	}
	if err != nil {
		return nil, err
	}
	m := &strategy.Market{Symbol: s.Symbol, ContractType: s.Contract, Period: s.Period, FuturesSource: basisSource, SpotSource: basisIndexSource}
	for _, r := range basis.Rows {
		if !s.inWindow(r.Timestamp) {
			continue
		}
		m.Times = append(m.Times, r.Timestamp)
		m.Spot = append(m.Spot, r.IndexPrice)
		m.Futures = append(m.Futures, r.FuturesPrice)
	}
	if len(m.Times) < 2 {
		have := "no rows"
		if n := len(basis.Rows); n > 0 {
			have = fmt.Sprintf("%d rows from %s to %s", n, basis.Rows[0].Timestamp.Format(time.RFC3339), basis.Rows[n-1].Timestamp.Format(time.RFC3339))
		}
		return nil, fmt.Errorf("%w: %s has %d grid points in the window %s (the lake holds %s); %s",
			ErrMissingData, key, len(m.Times), window(s), have, fetchAdvice("fetch more with", s, s.Contract, now))
	}
	out := &Loaded{Market: m}
	out.BasisGaps = data.BasisGaps(m.Times, s.Period)
	if n := data.MissingPoints(out.BasisGaps); n > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s has %d missing periods in %d gaps in the window: the run steps over them (never filled)", key, n, len(out.BasisGaps)))
	}
	return out, nil
}

// inWindow reports whether grid time t lies in the spec's window.
func (s Spec) inWindow(t time.Time) bool {
	return (s.From.IsZero() || !t.Before(s.From)) && (s.To.IsZero() || !t.After(s.To))
}

func loadFunding(store *lake.Lake, s Spec, out *Loaded, first, last time.Time) error {
	f, err := store.ReadFunding(s.Symbol)
	if errors.Is(err, lake.ErrNoSeries) {
		return fmt.Errorf("%w: no funding history of %s in the lake at %s; fetch it with: carry backfill --symbols %s --datasets funding --since %s",
			ErrMissingData, s.Symbol, store.Root(), s.Symbol, first.Format("2006-01-02"))
	}
	if err != nil {
		return err
	}
	m := out.Market
	for _, r := range f.Rows {
		if r.Instant().After(last) {
			break
		}
		m.Funding = append(m.Funding, strategy.FundingEvent{Instant: r.Instant(), FundingTime: r.FundingTime, Rate: r.FundingRate, Mark: r.MarkPrice, IntervalHours: r.FundingIntervalHours})
	}
	if len(f.Rows) == 0 || f.Rows[0].Instant().After(first) {
		out.Warnings = append(out.Warnings, fmt.Sprintf("funding %s starts after the window's first grid point %s: no funding is received before it", s.Symbol, first.Format(time.RFC3339)))
	}
	for _, g := range f.Gaps() {
		if !g.To.Before(first) && !g.From.After(last) {
			out.FundingGaps = append(out.FundingGaps, g)
		}
	}
	if n := data.MissingPoints(out.FundingGaps); n > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("funding %s misses %d events in the window: they are not received (never filled with zeros)", s.Symbol, n))
	}
	return nil
}

func loadDated(store *lake.Lake, s Spec, out *Loaded, times []time.Time) error {
	m := out.Market
	ds, ruled, known, err := deliveries(store, s.Symbol, times[0], times[len(times)-1])
	if err != nil {
		return err
	}
	if ruled > 0 && known == 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the lake has no delivery dates for %s: Binance's rule (last Friday of the quarter, 08:00 UTC) is used", s.Symbol))
	}
	for _, t := range times {
		m.Delivery = append(m.Delivery, data.ContractDelivery(ds, t, s.Contract))
	}
	other := data.CurrentQuarter
	if s.Contract == data.CurrentQuarter {
		other = data.NextQuarter
	}
	byTime, advice, err := otherQuarter(store, s, m.FuturesSource != basisSource, other)
	if err != nil {
		return err
	}
	if s.Contract == data.NextQuarter && len(byTime) == 0 {
		return fmt.Errorf("%w: a NEXT_QUARTER position becomes the current quarter before delivery, so %s %s %s is needed too; %s",
			ErrMissingData, s.Symbol, other, s.Period, advice)
	}
	if len(byTime) == 0 {
		return nil
	}
	for i, t := range times {
		f, ok := byTime[t.UnixMilli()]
		if !ok {
			f = m.Futures[i] // no quote: never used unless the held contract needs it, which the engine then reports
		}
		m.AltFutures = append(m.AltFutures, f)
		if ok {
			m.AltDelivery = append(m.AltDelivery, data.ContractDelivery(ds, t, other))
		} else {
			m.AltDelivery = append(m.AltDelivery, time.Time{})
		}
	}
	return nil
}

// otherQuarter reads the other quarterly series' futures prices by grid
// time, from the same source as the market's own (basis rows, or the
// continuous candles' opens), and says how to fetch it when it is absent.
func otherQuarter(store *lake.Lake, s Spec, klines bool, other data.ContractType) (map[int64]float64, string, error) {
	byTime := map[int64]float64{}
	if !klines {
		alt, err := store.ReadBasis(data.BasisKey{Pair: s.Symbol, ContractType: other, Period: s.Period})
		if err != nil && !errors.Is(err, lake.ErrNoSeries) {
			return nil, "", fmt.Errorf("reading the other quarter's basis: %w", err)
		}
		for _, r := range alt.Rows {
			byTime[r.Timestamp.UnixMilli()] = r.FuturesPrice
		}
		return byTime, fetchAdvice("fetch it with", s, other, time.Now()), nil
	}
	fut, _, err := klineLegs(s)
	if err != nil {
		return nil, "", err
	}
	fut.ContractType = other
	alt, err := store.ReadKlines(fut)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return nil, "", fmt.Errorf("reading the other quarter's klines: %w", err)
	}
	for _, r := range alt.Rows {
		byTime[r.OpenTime.UnixMilli()] = r.Open
	}
	return byTime, klinesAdvice(fut), nil
}

func window(s Spec) string {
	f, t := "the first row", "the last row"
	if !s.From.IsZero() {
		f = s.From.Format(time.RFC3339)
	}
	if !s.To.IsZero() {
		t = s.To.Format(time.RFC3339)
	}
	return f + " → " + t
}
