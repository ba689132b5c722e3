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
}

// Loaded is a market ready to run, with what a reader must know about its
// data.
type Loaded struct {
	Market *strategy.Market
	// Warnings are gaps and fallbacks in the window, for the report.
	Warnings []string
	// BasisGaps and FundingGaps are the gaps inside the window.
	BasisGaps, FundingGaps []data.Gap
}

// ErrMissingData is wrapped by errors about data the lake lacks.
var ErrMissingData = errors.New("the lake lacks data for this run")

// Load reads a run's market from the lake: the basis series of the period
// and contract as the grid, the symbol's funding events for a perpetual
// (all of them up to To: the rules' lookback counts events before From),
// and for a quarterly the delivery of each grid point's contract and the
// other quarterly series.
func Load(store *lake.Lake, s Spec) (*Loaded, error) {
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
	m := &strategy.Market{Symbol: s.Symbol, ContractType: s.Contract, Period: s.Period}
	var times []time.Time
	for _, r := range basis.Rows {
		if (!s.From.IsZero() && r.Timestamp.Before(s.From)) || (!s.To.IsZero() && r.Timestamp.After(s.To)) {
			continue
		}
		m.Times = append(m.Times, r.Timestamp)
		m.Spot = append(m.Spot, r.IndexPrice)
		m.Futures = append(m.Futures, r.FuturesPrice)
		times = append(times, r.Timestamp)
	}
	if len(times) < 2 {
		have := "no rows"
		if n := len(basis.Rows); n > 0 {
			have = fmt.Sprintf("%d rows from %s to %s", n, basis.Rows[0].Timestamp.Format(time.RFC3339), basis.Rows[n-1].Timestamp.Format(time.RFC3339))
		}
		return nil, fmt.Errorf("%w: %s has %d grid points in the window %s (the lake holds %s); %s",
			ErrMissingData, key, len(times), window(s), have, fetchAdvice("fetch more with", s, s.Contract, now))
	}
	out := &Loaded{Market: m}
	out.BasisGaps = data.BasisGaps(times, s.Period)
	if n := data.MissingPoints(out.BasisGaps); n > 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("%s has %d missing periods in %d gaps in the window: the run steps over them (never filled)", key, n, len(out.BasisGaps)))
	}
	if s.Contract == data.Perpetual {
		if err := loadFunding(store, s, out, times[0], times[len(times)-1]); err != nil {
			return nil, err
		}
	} else if err := loadDated(store, s, out, times); err != nil {
		return nil, err
	}
	return out, nil
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
	known, err := store.ReadContracts(s.Symbol)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return err
	}
	ds, ruled := data.Deliveries(known, times[0], times[len(times)-1])
	if ruled > 0 && len(known) == 0 {
		out.Warnings = append(out.Warnings, fmt.Sprintf("the lake has no delivery dates for %s: Binance's rule (last Friday of the quarter, 08:00 UTC) is used", s.Symbol))
	}
	for _, t := range times {
		m.Delivery = append(m.Delivery, data.ContractDelivery(ds, t, s.Contract))
	}
	other := data.CurrentQuarter
	if s.Contract == data.CurrentQuarter {
		other = data.NextQuarter
	}
	alt, err := store.ReadBasis(data.BasisKey{Pair: s.Symbol, ContractType: other, Period: s.Period})
	byTime := map[int64]float64{}
	if err == nil {
		for _, r := range alt.Rows {
			byTime[r.Timestamp.UnixMilli()] = r.FuturesPrice
		}
	}
	if s.Contract == data.NextQuarter && len(byTime) == 0 {
		return fmt.Errorf("%w: a NEXT_QUARTER position becomes the current quarter before delivery, so %s %s %s is needed too; %s",
			ErrMissingData, s.Symbol, other, s.Period, fetchAdvice("fetch it with", s, other, time.Now()))
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
