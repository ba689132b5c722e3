package views

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/carry-research/carry/data"
)

// The answers of a Cache are shared between requests: read them, never
// modify them.

// RatesJSON is Rates over the cache, encoded (the JSON array
// encoding/json writes for the []Rate), once per scan of the lake.
func (c *Cache) RatesJSON() ([]byte, error) {
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
	r, err := rates(rd)
	if err != nil {
		return nil, err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.rates = b
	s.mu.Unlock()
	return b, nil
}

// BasisJSON is Basis over the cache, encoded (the JSON object
// encoding/json writes for the BasisTable), and its number of rows; once
// per scan of the lake.
func (c *Cache) BasisJSON() ([]byte, int, error) {
	rd, err := c.reader()
	if err != nil {
		return nil, 0, err
	}
	s := rd.snap
	s.mu.Lock()
	memo, rows := s.basis, s.basisRows
	s.mu.Unlock()
	if memo != nil {
		return memo, rows, nil
	}
	t, err := basisTable(rd)
	if err != nil {
		return nil, 0, err
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, 0, err
	}
	s.mu.Lock()
	s.basis, s.basisRows = b, len(t.Rows)
	s.mu.Unlock()
	return b, len(t.Rows), nil
}

// RateOf is RateOf over the cache.
func (c *Cache) RateOf(symbol string) (Rate, error) {
	rd, err := c.reader()
	if err != nil {
		return Rate{}, err
	}
	return rateOf(rd, symbol, rd.snap.basisKeys)
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
	if errors.Is(err, data.ErrNoSeries) {
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
