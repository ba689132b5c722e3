package backfill

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestNothingToFetchIsSaidOnce: against an exchange whose clock is before
// --since (carry simulate-market serves a market ending on its own date),
// every series is skipped with the reason and no request, and none fails.
// Before, each basis series said the exchange had sent no rows and each
// funding series failed with "series not in the lake" (exit 3).
func TestNothingToFetchIsSaidOnce(t *testing.T) {
	carryNow := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	serverNow := time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, serverNow.AddDate(0, 0, -20), serverNow, 60000, 3, time.Time{})
	srv := binancesim.NewUnstarted(m, binancesim.Options{Now: func() time.Time { return serverNow }})
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	client, err := binance.NewClient("http://fake.invalid", &http.Client{Transport: srv.Transport()})
	if err != nil {
		t.Fatal(err)
	}
	b := New(client, l, WithClock(func() time.Time { return carryNow }), WithLogger(testLogger(t)))
	cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Funding: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: carryNow.AddDate(0, 0, -60), Until: carryNow, UntilNow: true, Concurrency: 2}
	results, err := b.Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 2 {
		t.Fatalf("%d results, want basis and funding", len(results))
	}
	for _, r := range results {
		if r.Err != nil || r.Requests != 0 || !strings.Contains(r.Skipped, "is not before the exchange's clock (2026-09-30T00:00:00Z)") {
			t.Errorf("%s: skipped %q, %d requests, err %v", r.Series, r.Skipped, r.Requests, r.Err)
		}
	}
	for _, r := range srv.Requests() {
		if r.Path != "/fapi/v1/time" && r.Path != "/fapi/v1/fundingInfo" && r.Path != "/fapi/v1/exchangeInfo" {
			t.Errorf("asked %s for a window holding nothing", r.Path)
		}
	}
	if _, err := l.ReadFunding("BTCUSDT"); !errors.Is(err, lake.ErrNoSeries) {
		t.Errorf("the lake has a funding file after a run that fetched nothing: %v", err)
	}
}
