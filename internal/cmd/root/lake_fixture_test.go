package root

import (
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// smallLake holds 10 days of hourly basis and 8h funding for two pairs.
func smallLake(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	for _, pair := range []string{"BTCUSDT", "ETHUSDT"} {
		var rows []data.BasisRow
		var events []data.FundingRow
		for i := range 240 {
			ts := t0.Add(time.Duration(i) * time.Hour)
			rows = append(rows, data.BasisRow{Timestamp: ts, IndexPrice: 60000, FuturesPrice: 60030, Basis: 30, BasisRate: 0.0005})
			if i%8 == 0 {
				events = append(events, data.FundingRow{FundingTime: ts, FundingRate: 0.0001, RateType: data.Regular})
			}
		}
		if _, err := l.MergeBasis(data.BasisKey{Pair: pair, ContractType: data.Perpetual, Period: "1h"}, rows); err != nil {
			t.Fatal(err)
		}
		if _, err := l.MergeFunding(pair, events); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
