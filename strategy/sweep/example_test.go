package sweep_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/sweep"
)

// A notebook sweeps a small grid over a lake: four combinations (leverage
// 1 or 2, the funding rule off or entering above 5%/year), computed, then
// ranked by Sharpe.
func ExampleJob_Compute() {
	dir, err := os.MkdirTemp("", "carry-sweep-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	l, err := lake.Open(filepath.Join(dir, "lake"))
	if err != nil {
		log.Fatal(err)
	}
	// Twenty days of a BTCUSDT perpetual 5 bp over a flat index, funding
	// every 8 hours that turns negative in the second week.
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var basis []data.BasisRow
	var funding []data.FundingRow
	for h := range 20 * 24 {
		at := t0.Add(time.Duration(h) * time.Hour)
		basis = append(basis, data.BasisRow{Timestamp: at, IndexPrice: 60000, FuturesPrice: 60030, Basis: 30, BasisRate: 0.0005})
		if h%8 == 0 {
			rate := 0.00015
			if h/24 >= 7 && h/24 < 14 {
				rate = -0.0001
			}
			funding = append(funding, data.FundingRow{FundingTime: at, FundingRate: rate, MarkPrice: data.Some(60030), RateType: data.Regular, FundingIntervalHours: 8})
		}
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
		log.Fatal(err)
	}
	if _, err := l.MergeFunding("BTCUSDT", funding, lake.WithIntervalHours(8)); err != nil {
		log.Fatal(err)
	}

	grid := []byte(`
symbols: [BTCUSDT]
leverage: [1, 2]
funding_enter: [null, 0.05]
funding_exit: [0]
`)
	g, err := sweep.ParseGrid(grid)
	if err != nil {
		log.Fatal(err)
	}
	ex, err := g.Plan(context.Background(), time.Now())
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, "sweep")
	job := &sweep.Job{Lake: l, Out: out, Workers: 2, Shards: 1}
	tally, err := job.Compute(context.Background(), grid, ex)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d combinations (%d duplicates left out), %d computed\n", ex.Len(), ex.Duplicates, tally.Computed)

	a, err := sweep.Analyze(out, l, ex, nil, sweep.AnalysisOptions{Metric: "sharpe"})
	if err != nil {
		log.Fatal(err)
	}
	rule := "off (always in)"
	if enter := a.Best["rules_funding_enter"]; enter != nil { // null: the rule is off
		rule = fmt.Sprintf("entering at %v", enter)
	}
	fmt.Printf("best by %s: leverage %v, funding rule %s; %d tried\n", a.Metric, a.Best["leverage"], rule, a.Tried)
	// Output:
	// 4 combinations (0 duplicates left out), 4 computed
	// best by sharpe: leverage 2, funding rule off (always in); 4 tried
}
