package views

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// reader is what the views read of the lake: the series directly
// (lakeReader, for one-off commands) or through a Cache (carry serve).
type reader interface {
	basisKeys() ([]data.BasisKey, error)
	fundingSymbols() ([]string, error)
	basis(k data.BasisKey) (*basisDigest, error)
	funding(symbol string) (*fundingDigest, error)
}

// basisDigest is what the views need of a basis series: its last row and,
// for a perpetual (the next-rate estimate), every row's time and premium.
type basisDigest struct {
	last     data.BasisRow
	ok       bool      // the series has rows
	times    []int64   // Unix milliseconds, ascending (perpetual only)
	premiums []float64 // futures/index − 1 (perpetual only)
}

func newBasisDigest(s data.BasisSeries) *basisDigest {
	d := &basisDigest{}
	if n := len(s.Rows); n > 0 {
		d.last, d.ok = s.Rows[n-1], true
	}
	if s.Key.ContractType != data.Perpetual {
		return d
	}
	d.times, d.premiums = make([]int64, len(s.Rows)), make([]float64, len(s.Rows))
	for i, r := range s.Rows {
		d.times[i], d.premiums[i] = r.Timestamp.UnixMilli(), premium(r)
	}
	return d
}

// estimate is EstimateNext over the digest's rows: the same premiums,
// summed in the same order, so the same number.
func (d *basisDigest) estimate(since time.Time, intervalHours int) (float64, bool) {
	i, _ := slices.BinarySearchFunc(d.times, since, func(ms int64, t time.Time) int {
		if time.UnixMilli(ms).After(t) {
			return 1
		}
		return -1
	})
	var sum float64
	n := 0
	for _, p := range d.premiums[i:] {
		sum += p
		n++
	}
	return nextRate(sum, n, intervalHours)
}

// fundingDigest is what the views need of a funding series.
type fundingDigest struct {
	symbol        string
	rows          int
	intervalHours int             // fundingInfo's current interval (0: unknown)
	newest        time.Time       // the newest row's instant
	lastRegular   data.FundingRow // the event the schedule runs on (see rateOf)
	history       []Event         // the newest events, newest first; nil once encoded
	// eventsJSON is the newest events encoded, newest first and
	// comma-separated; ends[i] is where event i ends in it.
	eventsJSON []byte
	ends       []int
}

// newFundingDigest keeps the newest keep events (all when keep is 0).
func newFundingDigest(s data.FundingSeries, keep int) *fundingDigest {
	d := &fundingDigest{symbol: s.Symbol, rows: len(s.Rows), intervalHours: s.State.IntervalHours}
	if len(s.Rows) == 0 {
		return d
	}
	last := s.Rows[len(s.Rows)-1]
	d.newest = last.Instant()
	for i := len(s.Rows) - 1; i >= 0 && last.RateType == data.Special; i-- {
		last = s.Rows[i] // the schedule runs on regular events
	}
	d.lastRegular = last
	if keep <= 0 {
		keep = len(s.Rows)
	}
	d.history = historyEvents(s.Symbol, s.Rows, s.State.IntervalHours, keep)
	return d
}

// events are the newest limit events, newest first.
func (d *fundingDigest) events(limit int) []Event {
	n := max(0, min(limit, len(d.history)))
	return d.history[:n:n]
}

// encodeEvents replaces the events by their JSON: what a History answer
// copies (the bytes encoding/json writes for each element of []Event).
func (d *fundingDigest) encodeEvents() error {
	d.ends = make([]int, len(d.history))
	for i, e := range d.history {
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if i > 0 {
			d.eventsJSON = append(d.eventsJSON, ',')
		}
		d.eventsJSON = append(d.eventsJSON, b...)
		d.ends[i] = len(d.eventsJSON)
	}
	d.history = nil
	return nil
}

// lakeReader reads every series whole from the lake on each call.
type lakeReader struct{ lake *lake.Lake }

func (r lakeReader) basisKeys() ([]data.BasisKey, error) { return r.lake.BasisKeys() }
func (r lakeReader) fundingSymbols() ([]string, error)   { return r.lake.FundingSymbols() }

func (r lakeReader) basis(k data.BasisKey) (*basisDigest, error) {
	s, err := r.lake.ReadBasis(k)
	if err != nil {
		return nil, err
	}
	return newBasisDigest(s), nil
}

func (r lakeReader) funding(symbol string) (*fundingDigest, error) {
	s, err := r.lake.ReadFunding(symbol)
	if err != nil {
		return nil, err
	}
	return newFundingDigest(s, 0), nil
}

// finestPerpetual is the symbol's perpetual basis series of the shortest
// period (the finest view of the premium), the first such in keys' order.
func finestPerpetual(keys []data.BasisKey, symbol string) (data.BasisKey, bool) {
	var best *data.BasisKey
	for _, k := range keys {
		if k.Pair == symbol && k.ContractType == data.Perpetual && (best == nil || k.Period.Duration() < best.Period.Duration()) {
			k := k
			best = &k
		}
	}
	if best == nil {
		return data.BasisKey{}, false
	}
	return *best, true
}
