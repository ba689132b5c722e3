package lake_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// A notebook opens the lake a backfill wrote (here a new one), and reads a
// series with its state: rows, and what the exchange was asked for.
func ExampleOpen() {
	dir, err := os.MkdirTemp("", "lake")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	l, err := lake.Open(dir)
	if err != nil {
		log.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	events := []data.FundingRow{
		{FundingTime: t0, FundingRate: 0.0001, RateType: data.Regular, FundingIntervalHours: 8},
		{FundingTime: t0.Add(8 * time.Hour), FundingRate: -0.00002474, RateType: data.Regular, FundingIntervalHours: 8},
	}
	if _, err := l.MergeFunding("BTCUSDT", events, lake.WithCovered(data.Span{From: t0, To: t0.Add(8 * time.Hour)})); err != nil {
		log.Fatal(err)
	}
	s, err := l.ReadFunding("BTCUSDT")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range s.Rows {
		fmt.Printf("%s %s %.4f%%\n", r.FundingTime.Format(time.RFC3339), data.FormatExact(r.FundingRate), 100*data.AnnualizedFunding(r.FundingRate, r.FundingIntervalHours))
	}
	fmt.Println("covered:", s.State.Covered.Covers(t0.Add(4*time.Hour)))
	// Output:
	// 2026-03-01T00:00:00Z 0.0001 10.9500%
	// 2026-03-01T08:00:00Z -0.00002474 -2.7090%
	// covered: true
}
