package democmd

import (
	"time"

	"github.com/carry-research/carry/backfill/binancetest"
)

// demoSymbols are the simulated market's pairs; SOLUSDT funds every 4 hours.
var demoSymbols = []string{"BTCUSDT", "ETHUSDT", "SOLUSDT"}

// simulatedMarket builds the demo's market: for each pair, 1h basis of the
// perpetual and both quarterlies, and funding on the pair's interval.
func simulatedMarket(now time.Time, days int, seed uint64) *binancetest.Market {
	m := binancetest.NewMarket()
	from := now.Add(-time.Duration(days) * 24 * time.Hour)
	current, next := quarterEnd(now), quarterEnd(quarterEnd(now).Add(time.Hour))
	for i, sym := range demoSymbols {
		interval := 8
		if sym == "SOLUSDT" {
			interval = 4
		}
		start := []float64{60000, 3000, 150}[i]
		s := seed*100 + uint64(i)*10
		m.AddContract(binancetest.Contract{Symbol: sym, FundingIntervalHours: interval, OnboardDate: from.Add(-24 * time.Hour).UnixMilli()})
		m.AddContract(binancetest.Contract{Symbol: sym + "_" + current.Format("060102"), Pair: sym, ContractType: "CURRENT_QUARTER", DeliveryDate: current.UnixMilli()})
		m.AddContract(binancetest.Contract{Symbol: sym + "_" + next.Format("060102"), Pair: sym, ContractType: "NEXT_QUARTER", DeliveryDate: next.UnixMilli()})
		m.GenerateBasis(binancetest.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1h"}, time.Hour, from, now, start, s+1, time.Time{})
		m.GenerateBasis(binancetest.BasisKey{Pair: sym, ContractType: "CURRENT_QUARTER", Period: "1h"}, time.Hour, from, now, start, s+2, current)
		m.GenerateBasis(binancetest.BasisKey{Pair: sym, ContractType: "NEXT_QUARTER", Period: "1h"}, time.Hour, from, now, start, s+3, next)
		m.GenerateFunding(sym, interval, from, now, from, s+4)
	}
	return m
}

// quarterEnd is the delivery of the quarterly contract trading at t: the
// last Friday of March, June, September or December, 08:00 UTC, after t.
func quarterEnd(t time.Time) time.Time {
	for month := t.Month(); ; month++ {
		y, mo := t.Year()+int(month-1)/12, time.Month((int(month)-1)%12+1)
		if mo%3 != 0 {
			continue
		}
		d := time.Date(y, mo+1, 1, 8, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
		for d.Weekday() != time.Friday {
			d = d.AddDate(0, 0, -1)
		}
		if d.After(t) {
			return d
		}
	}
}
