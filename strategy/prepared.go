package strategy

import (
	"fmt"
	"time"
)

// Prepared is a Market laid out for the float64 kernel: computed once, then
// shared read-only by any number of concurrent kernel runs.
type Prepared struct {
	Market *Market
	n      int
	times  []int64 // ms
	spot   []float64
	fut    []float64
	alt    []float64
	deliv  []int64 // ms; dated only
	altDel []int64
	// Funding events with τ in (t[i−1], t[i]] are evLo[i] ≤ k < evHi[i];
	// evHi[i] is also how many events are known at grid point i.
	evLo, evHi []int32
	rate       []float64
	mark       []float64 // the mark price, or the fallback F
	markMiss   []bool
	// Per event, for the kernel's branch-free inner loop: mark × rate, and
	// 1/0 flags for a positive rate and a missing mark.
	markRate          []float64
	positive, missing []int32
	// Their prefix sums (posSum[k] = Σ positive[j], j < k), for kernelFast's
	// counts over a held position's events.
	posSum, missSum []int32
	// Exact inputs of the rules' signals (kernel_rules.go): the prices as
	// integers at one common scale, and the funding signal's prefix sums.
	spotU, futU, altU []int64
	fund              fundingUnits
}

// Prepare lays m out for Kernel. It refuses a market whose prices or
// funding rates cannot be held as exact integers for the rules (more than 18
// decimal places, or beyond 2^62 at the scale they need; Binance's 8-decimal
// numbers are far inside).
func Prepare(m *Market) (*Prepared, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	n := len(m.Times)
	p := &Prepared{Market: m, n: n, spot: m.Spot, fut: m.Futures, alt: m.AltFutures}
	p.times = make([]int64, n)
	for i, t := range m.Times {
		p.times[i] = t.UnixMilli()
	}
	if m.Dated() {
		p.deliv = millis(m.Delivery)
		p.altDel = millis(m.AltDelivery)
	}
	ne := len(m.Funding)
	p.rate, p.mark, p.markMiss = make([]float64, ne), make([]float64, ne), make([]bool, ne)
	for k, ev := range m.Funding {
		p.rate[k] = ev.Rate
	}
	var err error
	if p.fund, err = newFundingUnits(m.Funding); err != nil {
		return nil, fmt.Errorf("%s: funding signal: %w", m.Symbol, err)
	}
	units, _, err := commonUnits(m.Spot, m.Futures, m.AltFutures)
	if err != nil {
		return nil, fmt.Errorf("%s: basis signal: prices %w", m.Symbol, err)
	}
	p.spotU, p.futU, p.altU = units[0], units[1], units[2]
	if m.AltFutures == nil {
		p.altU = nil
	}
	p.evLo, p.evHi = make([]int32, n), make([]int32, n)
	k := 0
	for i := range n {
		p.evLo[i] = int32(k)
		for k < ne && !m.Funding[k].Instant.After(m.Times[i]) {
			ev := m.Funding[k]
			p.mark[k], p.markMiss[k] = ev.Mark.Float64, !ev.Mark.Valid
			if p.markMiss[k] && i > 0 {
				j := i - 1
				if ev.Instant.Equal(m.Times[i]) {
					j = i
				}
				p.mark[k] = m.Futures[j]
			}
			k++
		}
		p.evHi[i] = int32(k)
	}
	p.markRate, p.positive, p.missing = make([]float64, ne), make([]int32, ne), make([]int32, ne)
	p.posSum, p.missSum = make([]int32, ne+1), make([]int32, ne+1)
	for k := range ne {
		p.markRate[k] = p.mark[k] * p.rate[k]
		if p.rate[k] > 0 {
			p.positive[k] = 1
		}
		if p.markMiss[k] {
			p.missing[k] = 1
		}
		p.posSum[k+1], p.missSum[k+1] = p.posSum[k]+p.positive[k], p.missSum[k]+p.missing[k]
	}
	return p, nil
}

func millis(ts []time.Time) []int64 {
	out := make([]int64, len(ts))
	for i, t := range ts {
		out[i] = t.UnixMilli()
	}
	return out
}

// Len is the number of grid points.
func (p *Prepared) Len() int { return p.n }
