package api

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// benchLake is the load benchmark's lake: pairs × (perpetual, current and
// next quarter) 1h basis over days, and 8h funding, as random walks rounded
// the way the exchange sends prices (cents) and rates (8 decimals), so the
// files compress like real ones. 24 pairs over a year: about 10 MB.
type benchLake struct {
	pairs, days int
}

func (c benchLake) symbols() []string {
	out := make([]string, c.pairs)
	for i := range out {
		out[i] = fmt.Sprintf("C%02dUSDT", i)
	}
	return out
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// write fills lake; end is the last hour.
func (c benchLake) write(l *lake.Lake, end time.Time) error {
	hours := c.days * 24
	from := end.Add(-time.Duration(hours) * time.Hour)
	for i, sym := range c.symbols() {
		rng := rand.New(rand.NewPCG(uint64(i)+1, 7))
		spot, premium := 100+rng.Float64()*50000, 0.0003
		basis := map[data.ContractType][]data.BasisRow{}
		var funding []data.FundingRow
		sum := 0.0
		for h := range hours {
			t := from.Add(time.Duration(h) * time.Hour)
			spot = round(spot*(1+0.006*rng.NormFloat64()), 2)
			premium += 0.08*(0.0003-premium) + 0.00025*rng.NormFloat64()
			sum += premium
			for k, ct := range data.ContractTypes() {
				fut := round(spot*(1+premium+0.01*float64(k)+0.0002*rng.NormFloat64()), 2)
				r := data.BasisRow{Timestamp: t, IndexPrice: spot, FuturesPrice: fut, Basis: round(fut-spot, 2), BasisRate: round(fut/spot-1, 4)}
				if ct != data.Perpetual {
					r.AnnualizedBasisRate = data.Some(round((fut/spot-1)*4, 4))
				}
				basis[ct] = append(basis[ct], r)
			}
			if (h+1)%8 == 0 {
				rate := round(sum/8+math.Max(-0.0005, math.Min(0.0005, 0.0001-sum/8)), 8)
				funding = append(funding, data.FundingRow{FundingTime: t.Add(time.Hour + time.Duration(rng.IntN(32))*time.Millisecond),
					FundingRate: rate, MarkPrice: data.Some(round(spot*(1+premium), 2)), RateType: data.Regular})
				sum = 0
			}
		}
		for ct, rows := range basis {
			if _, err := l.MergeBasis(data.BasisKey{Pair: sym, ContractType: ct, Period: "1h"}, rows); err != nil {
				return err
			}
		}
		if _, err := l.MergeFunding(sym, funding, lake.WithIntervalHours(8)); err != nil {
			return err
		}
	}
	return nil
}
