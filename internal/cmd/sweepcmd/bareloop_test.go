package sweepcmd

import (
	"math"
	"sync"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// bareMarket is a series as a bare loop reads it: prices, and per grid
// point the funding events that settle there (τ in (t[i−1], t[i]]) as
// mark × rate, and the funding signal known there (the mean annualized
// rate of the last `lookback` known events; NaN before there are that
// many). Built once per series, as the sweep prepares each series once.
type bareMarket struct {
	spot, fut  []float64
	evLo, evHi []int
	markRate   []float64
	signal     []float64
	days       []int // dayEnds
}

func newBareMarket(m *strategy.Market, lookback int) *bareMarket {
	n := len(m.Times)
	b := &bareMarket{spot: m.Spot, fut: m.Futures, evLo: make([]int, n), evHi: make([]int, n), signal: make([]float64, n), days: dayEnds(m.Times)}
	known := 0 // events with τ ≤ t[i]
	fIdx := 0  // last grid point at or before the event, for a missing mark
	var sum float64
	var ann []float64
	for i, t := range m.Times {
		b.evLo[i] = len(b.markRate)
		for known < len(m.Funding) && !m.Funding[known].Instant.After(t) {
			ev := m.Funding[known]
			a := data.AnnualizedFunding(ev.Rate, ev.IntervalHours)
			ann = append(ann, a)
			sum += a
			if len(ann) > lookback {
				sum -= ann[len(ann)-1-lookback]
			}
			if i > 0 && ev.Instant.After(m.Times[i-1]) {
				for fIdx+1 < n && !m.Times[fIdx+1].After(ev.Instant) {
					fIdx++
				}
				mark := m.Futures[fIdx]
				if ev.Mark.Valid {
					mark = ev.Mark.Float64
				}
				b.markRate = append(b.markRate, mark*ev.Rate)
			}
			known++
		}
		b.evHi[i] = len(b.markRate)
		b.signal[i] = nan
		if len(ann) >= lookback {
			b.signal[i] = sum / float64(lookback)
		}
	}
	return b
}

var nan = func() float64 { var z float64; return z / z }()

// bareParams is one combination of the bare loops.
type bareParams struct{ lev, spotFee, perpFee, slip, enter, exit float64 }

// bareRules runs the model's common path with a funding rule and no
// more: enter when the signal ≥ enter (sized as the model sizes), funding
// settled into the short's wallet, exit when the signal ≤ exit, equity
// marked at every point, closed at the end. No margin check, liquidation,
// rebalance, delivery, time in market or event counts: the work any
// implementation of this grid must do.
func bareRules(b *bareMarket, p bareParams, equity []float64) float64 {
	cash, q, wallet, ff := 10000.0, 0.0, 0.0, 0.0
	in := false
	last := len(b.spot) - 1
	for i := range b.spot {
		if in {
			for k := b.evLo[i]; k < b.evHi[i]; k++ {
				wallet += q * b.markRate[k]
			}
		}
		s, f := b.spot[i], b.fut[i]
		switch {
		case in && (i == last || b.signal[i] <= p.exit):
			sx, fx := s*(1-p.slip), f*(1+p.slip)
			cash += q*sx*(1-p.spotFee) + wallet + q*(ff-fx) - q*fx*p.perpFee
			q, wallet, in = 0, 0, false
		case !in && i < last && b.signal[i] >= p.enter:
			sf := s * (1 + p.slip)
			ff = f * (1 - p.slip)
			q = cash / (sf*(1+p.spotFee) + ff*(1/p.lev+p.perpFee))
			wallet = q * ff / p.lev
			cash -= q*sf*(1+p.spotFee) + wallet + q*ff*p.perpFee
			in = true
		}
		equity[i] = cash
		if in {
			equity[i] += q*s + wallet + q*(ff-f)
		}
	}
	return equity[last]
}

// bareStats is what a row needs of an equity curve beyond its ends, in
// one pass: the mean and standard deviation of the returns from the capital
// c (e[0]/c − 1, then e[i]/e[i−1] − 1), their downside deviation (below 0)
// and the largest drawdown 1 − e[i]/peak, the capital the first peak; then
// the same moments of the daily returns (from c, equity read at the day
// ends, found once per series). It returns their sum (a sink for the
// compiler).
func bareStats(e []float64, c float64, days []int) float64 {
	var n, sum, sumSq, down, maxDD float64
	peak, prev := c, c
	for _, v := range e {
		r := v/prev - 1
		prev = v
		n++
		sum += r
		sumSq += r * r
		if r < 0 {
			down += r * r
		}
		if v > peak {
			peak = v
		} else if dd := 1 - v/peak; dd > maxDD {
			maxDD = dd
		}
	}
	mean := sum / n
	sd := math.Sqrt((sumSq - n*mean*mean) / (n - 1))
	var dn, dsum, dsumSq, ddown float64
	prev = c
	for _, i := range days {
		r := e[i]/prev - 1
		prev = e[i]
		dn++
		dsum += r
		dsumSq += r * r
		if r < 0 {
			ddown += r * r
		}
	}
	dmean := dsum / dn
	dsd := math.Sqrt((dsumSq - dn*dmean*dmean) / (dn - 1))
	return mean + sd + math.Sqrt(down/n) + maxDD + dmean + dsd + math.Sqrt(ddown/dn)
}

// dayEnds are the points equity is read at for daily returns: for each
// 00:00 UTC after the first time, the last point at or before it, then
// the last point when it is not a midnight.
func dayEnds(times []time.Time) []int {
	var out []int
	i := 0
	last := times[len(times)-1]
	for m := times[0].UTC().Truncate(24 * time.Hour).Add(24 * time.Hour); !m.After(last); m = m.Add(24 * time.Hour) {
		for i+1 < len(times) && !times[i+1].After(m) {
			i++
		}
		out = append(out, i)
	}
	if !last.Equal(last.Truncate(24*time.Hour)) || len(out) == 0 {
		out = append(out, len(times)-1)
	}
	return out
}

// timeBare runs every combination on workers goroutines, each with its
// own equity buffer, as the sweep does, and returns the wall time: the
// model's loop and the statistics of each curve (bareStats).
func timeBare(b *bareMarket, combos []bareParams, workers int) (time.Duration, float64) {
	start := time.Now()
	sums := make([]float64, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			eq := make([]float64, len(b.spot))
			for i := w; i < len(combos); i += workers {
				sums[w] += bareRules(b, combos[i], eq) + bareStats(eq, 10000, b.days)
			}
		}()
	}
	wg.Wait()
	total := 0.0
	for _, s := range sums {
		total += s
	}
	return time.Since(start), total
}
