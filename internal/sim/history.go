package sim

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
)

// path is a pair's hourly prices over the kline window [KlinesFrom, End]
// and a day before it (the premium of the first funding event's
// interval): index, perpetual, spot and the two quarterlies, and the
// perpetual's premium, one entry an hour; start is KlinesFrom's.
type path struct {
	from                   time.Time
	start                  int
	index, perp, spot      []float64
	current, next, premium []float64
}

func (p *path) at(h int) time.Time { return p.from.Add(time.Duration(h) * time.Hour) }

// regime is a stretch of the history: the long-run means of the
// perpetual's premium and of the quarterlies' annualized basis.
type regime struct{ premium, quarterly float64 }

// euphoriaPremium is a hot market's premium: funding well above the
// interest rate (about 0.04% per 8h).
const euphoriaPremium = 0.0009

// historyRegime is the regime h hours back from the basis window: 180-day
// stretches cycling, going back, from the bull market the window opens
// with to a bear one, then a euphoric one, so that a multi-year run meets
// all three.
func historyRegime(back int) regime {
	switch back / (180 * 24) % 3 {
	case 0:
		return regime{bullPremium, 0.09}
	case 1:
		return regime{bearPremium, 0.03}
	}
	return regime{euphoriaPremium, 0.15}
}

// simulateHistory extends a pair's market back from the basis window to
// KlinesFrom and returns the whole window's hourly path. Inside the basis
// window the prices are the basis series' own (so candles open at the
// basis prices); before it the same processes run backward in time from
// the window's first hour (a stationary mean-reverting process and a
// driftless random walk read the same both ways), so the path joins the
// window without a jump. Spot is the index a little off (a few basis
// points, mean-reverting), as an exchange's spot is off the index.
func simulateHistory(m *binancesim.Market, p Pair, c Config, rng *rand.Rand) *path {
	const lead = 24 // hours before KlinesFrom: more than any funding interval
	from, start := c.KlinesFrom().Add(-lead*time.Hour), c.From()
	n := int(c.End.Sub(from).Hours()) + 1
	ph := &path{from: from, start: lead, index: make([]float64, n), perp: make([]float64, n), spot: make([]float64, n),
		current: make([]float64, n), next: make([]float64, n), premium: make([]float64, n)}
	b0 := int(start.Sub(from).Hours())
	fill := func(ct string, dst []float64, index bool) {
		for _, r := range m.Basis(binancesim.BasisKey{Pair: p.Symbol, ContractType: ct, Period: "1h"}) {
			h := int(time.UnixMilli(r.Timestamp).Sub(from).Hours())
			dst[h] = num(r.FuturesPrice)
			if index {
				ph.index[h] = num(r.IndexPrice)
			}
		}
	}
	fill("PERPETUAL", ph.perp, true)
	fill("CURRENT_QUARTER", ph.current, false)
	fill("NEXT_QUARTER", ph.next, false)
	for h := b0; h < n; h++ {
		ph.premium[h] = ph.perp[h]/ph.index[h] - 1
	}

	sigma := p.Volatility / math.Sqrt(365*24)
	premium, basis := bullPremium+p.PremiumShift, 0.08 // where the basis window starts
	for h := b0 - 1; h >= 0; h-- {
		r := historyRegime(b0 - 1 - h + p.RegimeLagDays*24)
		r.premium += p.PremiumShift
		s := ph.index[h+1] * math.Exp(-sigma*rng.NormFloat64())
		premium += 0.08*(r.premium-premium) + 0.00025*rng.NormFloat64()
		basis += 0.02*(r.quarterly-basis) + 0.004*rng.NormFloat64()
		t := ph.at(h)
		ph.index[h], ph.premium[h], ph.perp[h] = s, premium, s*(1+premium)
		ph.current[h] = quarterlyPrice(s, t, basis, false, rng)
		ph.next[h] = quarterlyPrice(s, t, basis, true, rng)
	}
	off := 0.0
	decimals := p.TickDecimals()
	for h := range n {
		off = 0.9*off + 0.0001*rng.NormFloat64()
		ph.spot[h] = binancesim.RoundToTick(ph.index[h]*(1+off), decimals)
	}
	return ph
}

// quarterlyPrice prices a quarterly at t from spot s and the annualized
// basis a (one point more for the next quarter), converging to s at
// delivery, as the basis window does.
func quarterlyPrice(s float64, t time.Time, a float64, next bool, rng *rand.Rand) float64 {
	days := quarterly(t, next).Sub(t).Hours() / 24
	return s * (1 + (a+0.01*boolf(next))*days/365 + 0.0002*rng.NormFloat64()*math.Sqrt(days/90))
}

// historyFunding is the pair's funding before the basis window's: events
// every interval back from the window's first hour to KlinesFrom, with the
// window's formula on the history's premium.
func historyFunding(p Pair, c Config, ph *path, rng *rand.Rand) []binancesim.FundingRecord {
	step := p.IntervalHours
	b0 := int(c.From().Sub(ph.from).Hours())
	var out []binancesim.FundingRecord
	for h := b0; h >= ph.start; h -= step {
		out = append(out, fundingEvent(ph.at(h), ph.premium[h-step+1:h+1], ph.perp[h], step, rng))
	}
	return out
}

// fundingEvent is Binance's formula on an interval's hourly premiums:
// rate = P + clamp(I − P, ±0.05%), capped at ±2%, stamped 0–31 ms late.
func fundingEvent(t time.Time, premiums []float64, mark float64, step int, rng *rand.Rand) binancesim.FundingRecord {
	sum := 0.0
	for _, v := range premiums {
		sum += v
	}
	avg := sum / float64(len(premiums))
	interest := interestPer8h * float64(step) / 8
	rate := clamp(avg+clamp(interest-avg, -clampBand, clampBand), -rateCap, rateCap)
	return binancesim.FundingRecord{
		FundingTime: t.UnixMilli() + int64(rng.IntN(32)),
		FundingRate: binancesim.FormatRate(rate),
		MarkPrice:   binancesim.FormatPrice(mark),
		RateType:    "Regular",
	}
}

// num reads a price the market formatted itself.
func num(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic("a simulated price does not parse: " + s)
	}
	return v
}
