package backtest

import (
	"errors"
	"fmt"
	"strings"
)

// PriceSource says which dataset prices a run's legs: a market choice, not
// an engine parameter (the engine sees only the Market it is given).
type PriceSource string

// The price sources. Auto takes the basis where the stored basis covers
// the window and klines otherwise; one run never mixes them.
const (
	PricesAuto   PriceSource = "auto"
	PricesBasis  PriceSource = "basis"
	PricesKlines PriceSource = "klines"
)

// SpotSource says which candles price the spot leg of a klines market: the
// index (what the basis dataset's index_price is) or Binance's spot market,
// the price a carry trader actually buys at. A basis market always uses
// its index price.
type SpotSource string

// The spot-leg sources.
const (
	SpotIndex  SpotSource = "index"
	SpotMarket SpotSource = "spot"
)

// ParsePriceSource validates a --prices value.
func ParsePriceSource(s string) (PriceSource, error) {
	switch p := PriceSource(strings.ToLower(strings.TrimSpace(s))); p {
	case PricesAuto, PricesBasis, PricesKlines:
		return p, nil
	}
	return "", fmt.Errorf("invalid price source %q: want basis, klines or auto", s)
}

// ParseSpotSource validates a --spot value.
func ParseSpotSource(s string) (SpotSource, error) {
	switch p := SpotSource(strings.ToLower(strings.TrimSpace(s))); p {
	case SpotIndex, SpotMarket:
		return p, nil
	}
	return "", fmt.Errorf("invalid spot source %q: want index or spot", s)
}

// prices is the spec's price source, auto when unset.
func (s Spec) prices() PriceSource {
	if s.Prices == "" {
		return PricesAuto
	}
	return s.Prices
}

// spot is the spec's spot-leg source, index when unset.
func (s Spec) spot() SpotSource {
	if s.Spot == "" {
		return SpotIndex
	}
	return s.Spot
}

// CheckSources refuses a spot market leg on basis prices: the basis
// dataset holds the index only.
func (s Spec) CheckSources() error {
	if s.prices() == PricesBasis && s.spot() == SpotMarket {
		return errors.New("spot source spot needs klines prices: the basis dataset holds only the index price (use --prices klines or auto)")
	}
	return nil
}
