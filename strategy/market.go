package strategy

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/carry-research/carry/data"
)

// Market is what a run sees: a time grid with the spot (index, or spot
// market) and futures prices, and for perpetuals the funding events.
type Market struct {
	Symbol       string
	ContractType data.ContractType
	Period       data.Period
	Times        []time.Time // the grid, strictly increasing
	Spot         []float64   // S: index_price
	Futures      []float64   // F: futures_price of the traded series
	// Delivery[i] is the delivery of the contract Futures[i] prices
	// (dated contracts only; a CURRENT_QUARTER series switches contract at
	// each delivery).
	Delivery []time.Time
	// AltFutures/AltDelivery is the other quarterly series, which prices a
	// held NEXT_QUARTER contract once it has become the current one.
	AltFutures  []float64
	AltDelivery []time.Time
	// Funding are the symbol's funding events, all of them known, also
	// those before the grid (the rules' lookback counts them), sorted.
	Funding []FundingEvent
	// FuturesSource and SpotSource say which data priced F and S ("basis",
	// "klines futures 1h", "basis index", "klines spot 1h", …): the engine
	// ignores them; summaries and reports repeat them.
	FuturesSource, SpotSource string
}

// FundingEvent is one settled funding event.
type FundingEvent struct {
	Instant       time.Time // τ: funding_time truncated to the minute
	FundingTime   time.Time // as sent
	Rate          float64
	Mark          data.NullFloat64
	IntervalHours int
	// MarkFromCandle says Mark was not sent with the event but read from
	// the mark-price candle opening at τ (klines markets).
	MarkFromCandle bool
}

// Dated reports whether the market is a quarterly contract.
func (m *Market) Dated() bool { return m.ContractType != data.Perpetual }

// Validate checks the market's shape.
func (m *Market) Validate() error {
	n := len(m.Times)
	if n < 2 {
		return fmt.Errorf("%s %s %s: %d grid points in the window, need at least 2", m.Symbol, m.ContractType, m.Period, n)
	}
	if len(m.Spot) != n || len(m.Futures) != n {
		return errors.New("market: spot and futures must have one price per grid point")
	}
	for i := range n {
		if i > 0 && !m.Times[i].After(m.Times[i-1]) {
			return fmt.Errorf("market: grid not increasing at %s", m.Times[i])
		}
		if !(m.Spot[i] > 0) || !(m.Futures[i] > 0) || math.IsInf(m.Spot[i], 0) || math.IsInf(m.Futures[i], 0) {
			return fmt.Errorf("market: non-positive price at %s", m.Times[i])
		}
	}
	if m.Dated() && len(m.Delivery) != n {
		return fmt.Errorf("%s %s: the delivery of each grid point's contract is needed", m.Symbol, m.ContractType)
	}
	if len(m.AltFutures) != len(m.AltDelivery) || (len(m.AltFutures) != 0 && len(m.AltFutures) != n) {
		return errors.New("market: the other quarterly series must have one price and delivery per grid point")
	}
	for i := 1; i < len(m.Funding); i++ {
		if m.Funding[i].Instant.Before(m.Funding[i-1].Instant) {
			return errors.New("market: funding events out of order")
		}
	}
	for _, e := range m.Funding {
		if e.IntervalHours <= 0 {
			return fmt.Errorf("market: funding event at %s without an interval", e.Instant)
		}
	}
	return nil
}
