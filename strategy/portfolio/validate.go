package portfolio

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// Validate refuses parameters the model cannot run, naming each bad one.
func (p Params) Validate() error {
	var errs []error
	if err := p.Pair.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("pair: %w", err))
	}
	switch p.Signal {
	case SignalFunding, SignalBasis:
	default:
		errs = append(errs, fmt.Errorf("signal %q: want %s or %s", p.Signal, SignalFunding, SignalBasis))
	}
	if p.Lookback < 1 {
		errs = append(errs, fmt.Errorf("lookback %d: want at least 1 funding event", p.Lookback))
	}
	if p.Top < 1 {
		errs = append(errs, fmt.Errorf("top %d: want at least 1 pair", p.Top))
	}
	if p.MinSignal != nil {
		if _, err := strategy.ExactThreshold(*p.MinSignal); err != nil {
			errs = append(errs, fmt.Errorf("min signal: %w", err))
		}
	}
	switch p.Weights {
	case WeightEqual, WeightSignal, WeightInverseVol:
	default:
		errs = append(errs, fmt.Errorf("weights %q: want %s, %s or %s", p.Weights, WeightEqual, WeightSignal, WeightInverseVol))
	}
	if !(p.Cap > 0 && p.Cap <= 1) {
		errs = append(errs, fmt.Errorf("cap %v: want a weight in (0, 1]", p.Cap))
	}
	if !(p.Band >= 0) || math.IsInf(p.Band, 0) {
		errs = append(errs, fmt.Errorf("band %v: want a finite weight difference ≥ 0", p.Band))
	}
	switch s := p.Rebalance; {
	case s.Every < 0:
		errs = append(errs, fmt.Errorf("rebalance every %s: must not be negative", s.Every))
	case s.Every == 0 && !s.OnFunding:
		errs = append(errs, errors.New("rebalance: set an interval (every) or on-funding, or the book never rebalances"))
	}
	if p.MinHistory < 0 {
		errs = append(errs, fmt.Errorf("min history %s: must not be negative", p.MinHistory))
	}
	if !(p.MinQuoteVolume >= 0) || math.IsInf(p.MinQuoteVolume, 0) {
		errs = append(errs, fmt.Errorf("min quote volume %v: want a finite volume ≥ 0", p.MinQuoteVolume))
	}
	if p.Weights == WeightInverseVol && p.VolWindow <= 0 {
		errs = append(errs, fmt.Errorf("vol window %s: inverse-vol weights need a positive window", p.VolWindow))
	}
	return errors.Join(errs...)
}

// validateUniverse refuses a universe the model cannot run under p, naming
// the member.
func validateUniverse(u *Universe, p Params) error {
	if u == nil || len(u.Members) == 0 {
		return errors.New("universe: no pairs")
	}
	var errs []error
	seen := make(map[string]int, len(u.Members))
	for j, mem := range u.Members {
		m := mem.Market
		if m == nil {
			errs = append(errs, fmt.Errorf("universe member %d: no market", j))
			continue
		}
		if err := m.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("universe member %s: %w", m.Symbol, err))
		}
		if m.ContractType != data.Perpetual {
			errs = append(errs, fmt.Errorf("universe member %s: %s contract; a portfolio holds perpetuals only", m.Symbol, m.ContractType))
		}
		if len(m.Times) > 0 && mem.Since.After(m.Times[0]) {
			errs = append(errs, fmt.Errorf("universe member %s: its data since %s is after its first grid point %s", m.Symbol, mem.Since.Format(time.RFC3339), m.Times[0].Format(time.RFC3339)))
		}
		if k, dup := seen[m.Symbol]; dup {
			errs = append(errs, fmt.Errorf("universe member %s: appears twice (members %d and %d)", m.Symbol, k, j))
		}
		seen[m.Symbol] = j
		if mem.QuoteVolume != nil && len(mem.QuoteVolume) != len(m.Times) {
			errs = append(errs, fmt.Errorf("universe member %s: %d quote volumes for %d grid points", m.Symbol, len(mem.QuoteVolume), len(m.Times)))
		}
	}
	return errors.Join(errs...)
}
