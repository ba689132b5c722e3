package backtest_test

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/shopspring/decimal"
)

// exampleLake writes ten days of a BTCUSDT perpetual into a new lake in dir:
// hourly basis rows 6 bp over the index, and 0.01% funding every 8 hours.
func exampleLake(dir string) *lake.Lake {
	l, err := lake.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var basis []data.BasisRow
	var funding []data.FundingRow
	for h := range 10 * 24 {
		at := t0.Add(time.Duration(h) * time.Hour)
		index := math.Round(60000*(1+0.01*math.Sin(float64(h)/24))*100) / 100
		futures := math.Round(index*1.0006*100) / 100
		basis = append(basis, data.BasisRow{Timestamp: at, IndexPrice: index, FuturesPrice: futures,
			Basis: math.Round((futures-index)*100) / 100, BasisRate: math.Round((futures/index-1)*1e4) / 1e4})
		if h%8 == 0 {
			funding = append(funding, data.FundingRow{FundingTime: at, FundingRate: 0.0001, MarkPrice: data.Some(futures), RateType: data.Regular, FundingIntervalHours: 8})
		}
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
		log.Fatal(err)
	}
	if _, err := l.MergeFunding("BTCUSDT", funding, lake.WithIntervalHours(8)); err != nil {
		log.Fatal(err)
	}
	return l
}

// A notebook loads a market from the lake and runs the exact engine on it
// with the engine's default parameters: long spot, short perpetual, always
// in, funding accrued at each event.
func ExampleSimulate() {
	dir, err := os.MkdirTemp("", "carry-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	l := exampleLake(dir)

	spec := backtest.Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}
	out, err := backtest.Simulate(l, spec, strategy.DefaultParams(), 0)
	if err != nil {
		log.Fatal(err)
	}
	s := out.Summary
	fmt.Printf("%s %s %s: %d grid points over %.0f days\n", s.Symbol, s.Contract, s.Period, s.GridPoints, s.Days)
	fmt.Printf("funding events %d, funding income %s USDT, fees %s USDT\n", s.EventsReceived, usdt(s.FundingIncome), usdt(s.Fees))
	fmt.Printf("final equity %s USDT, %d position\n", usdt(s.FinalEquity), s.Trades)
	// Output:
	// BTCUSDT PERPETUAL 1h: 240 grid points over 10 days
	// funding events 29, funding income 14.52 USDT, fees 14.95 USDT
	// final equity 9997.59 USDT, 1 position
}

// usdt rounds an exact amount to cents for printing.
func usdt(n json.Number) string {
	d, err := decimal.NewFromString(n.String())
	if err != nil {
		log.Fatal(err)
	}
	return d.StringFixed(2)
}
