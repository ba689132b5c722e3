package views

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/carry-research/carry/data/lake"
)

// The answers of a Cache are encoded once per scan of the lake and shared
// between requests: read them, never modify them. The scan's time is the
// "now" that decides what is stale, so an answer is at most the recheck
// interval behind the clock.

// encodedRates is Rates over one scan, encoded: the JSON array
// encoding/json writes for the []Rate, and each element of it by symbol.
type encodedRates struct {
	list     []byte
	bySymbol map[string][]byte // slices of list
}

// RatesJSON is Rates over the cache, encoded (the JSON array
// encoding/json writes for the []Rate), once per scan of the lake.
func (c *Cache) RatesJSON() ([]byte, error) {
	e, err := c.rates()
	if err != nil {
		return nil, err
	}
	return e.list, nil
}

// RateJSON is RateOf over the cache, encoded: the same bytes as the
// symbol's element of RatesJSON. A symbol without funding in the last scan
// wraps ErrUnknownSymbol.
func (c *Cache) RateJSON(symbol string) ([]byte, error) {
	e, err := c.rates()
	if err != nil {
		return nil, err
	}
	b, ok := e.bySymbol[symbol]
	if !ok {
		return nil, fmt.Errorf("%s: %w", symbol, ErrUnknownSymbol)
	}
	return b, nil
}

func (c *Cache) rates() (*encodedRates, error) {
	rd, err := c.reader()
	if err != nil {
		return nil, err
	}
	s := rd.snap
	s.mu.Lock()
	memo := s.rates
	s.mu.Unlock()
	if memo != nil {
		return memo, nil
	}
	rs, err := rates(rd, s.at)
	if err != nil {
		return nil, err
	}
	e := &encodedRates{list: []byte{'['}, bySymbol: make(map[string][]byte, len(rs))}
	starts := make([]int, len(rs))
	for i, r := range rs {
		b, err := json.Marshal(r)
		if err != nil {
			return nil, fmt.Errorf("encoding the rate of %s: %w", r.Symbol, err)
		}
		if i > 0 {
			e.list = append(e.list, ',')
		}
		starts[i] = len(e.list)
		e.list = append(e.list, b...)
	}
	e.list = append(e.list, ']')
	for i, r := range rs {
		end := len(e.list) - 1
		if i+1 < len(rs) {
			end = starts[i+1] - 1
		}
		e.bySymbol[r.Symbol] = e.list[starts[i]:end:end]
	}
	s.mu.Lock()
	s.rates = e
	s.mu.Unlock()
	return e, nil
}

// BasisJSON is Basis over the cache in its envelope, encoded (the JSON
// object encoding/json writes for the BasisAnswer), once per scan of the
// lake.
func (c *Cache) BasisJSON() ([]byte, error) {
	rd, err := c.reader()
	if err != nil {
		return nil, err
	}
	s := rd.snap
	s.mu.Lock()
	memo := s.basis
	s.mu.Unlock()
	if memo != nil {
		return memo, nil
	}
	t, err := basisTable(rd, s.at)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(t.Answer())
	if err != nil {
		return nil, fmt.Errorf("encoding the basis table: %w", err)
	}
	s.mu.Lock()
	s.basis = b
	s.mu.Unlock()
	return b, nil
}

// EventsJSON is a History answer already encoded: "[" + Elements + "]" is
// the JSON array encoding/json writes for its []Event.
type EventsJSON struct {
	Elements []byte // shared: read, never modify
}

// HistoryJSON is History over the cache (at most MaxHistory events),
// encoded.
func (c *Cache) HistoryJSON(symbol string, limit int) (EventsJSON, error) {
	rd, err := c.reader()
	if err != nil {
		return EventsJSON{}, err
	}
	f, err := rd.funding(symbol)
	if errors.Is(err, lake.ErrNoSeries) {
		return EventsJSON{}, fmt.Errorf("%s: %w", symbol, ErrUnknownSymbol)
	}
	if err != nil {
		return EventsJSON{}, err
	}
	n := max(0, min(limit, len(f.ends)))
	if n == 0 {
		return EventsJSON{}, nil
	}
	return EventsJSON{Elements: f.eventsJSON[:f.ends[n-1]:f.ends[n-1]]}, nil
}
