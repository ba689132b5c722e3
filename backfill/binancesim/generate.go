package binancesim

import (
	"math"
	"math/rand/v2"
	"time"
)

// GenerateBasis fills a basis series with a deterministic random walk from
// from to to (inclusive) on the period grid: index around start, futures at a
// small mean-reverting premium. delivery is zero for perpetuals.
func (m *Market) GenerateBasis(k BasisKey, period time.Duration, from, to time.Time, start float64, seed uint64, delivery time.Time) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	index, premium := start, 0.0005
	var rows []BasisRecord
	for t := from.Truncate(period); !t.After(to); t = t.Add(period) {
		if t.Before(from) {
			continue
		}
		index *= math.Exp(rng.NormFloat64() * 0.004 * math.Sqrt(period.Hours()))
		premium += 0.2*(0.0005-premium) + rng.NormFloat64()*0.0003
		rows = append(rows, NewBasisRecord(t, index, index*(1+premium), delivery))
	}
	m.AddBasis(k, rows...)
}

// GenerateFunding fills a symbol's funding history with events every
// intervalHours from from to to, stamped 0–31 ms late as Binance does, with
// mark prices only from markFrom on (older rows send "").
func (m *Market) GenerateFunding(symbol string, intervalHours int, from, to, markFrom time.Time, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 0xf00d))
	step := time.Duration(intervalHours) * time.Hour
	mark := 100.0
	var rows []FundingRecord
	for t := from.Truncate(step); !t.After(to); t = t.Add(step) {
		if t.Before(from) {
			continue
		}
		mark *= math.Exp(rng.NormFloat64() * 0.01)
		rate := 0.0001 + rng.NormFloat64()*0.0002
		r := FundingRecord{FundingTime: t.UnixMilli() + int64(rng.IntN(32)), FundingRate: FormatRate(rate), RateType: "Regular"}
		if !t.Before(markFrom) {
			r.MarkPrice = FormatPrice(mark)
		}
		rows = append(rows, r)
	}
	m.AddFunding(symbol, rows...)
}
