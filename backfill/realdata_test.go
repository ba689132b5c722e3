package backfill

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

// TestRealWindowsBackfillExactly serves the real Binance windows of
// shared/realdata through the fake and checks that a backfill stores exactly
// the rows the expected CSVs list, every number equal to what was sent.
func TestRealWindowsBackfillExactly(t *testing.T) {
	root := sharedtest.Path(t, "realdata/datasets")
	cases := []struct {
		name    string
		symbols []string
		period  data.Period
	}{
		{"real30", []string{"BTCUSDT"}, "1h"},
		{"real2023", []string{"BTCUSDT", "ETHUSDT"}, "1d"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := binancesim.LoadDataset(filepath.Join(root, c.name))
			if err != nil {
				t.Fatal(err)
			}
			expBasis := sharedtest.ReadCSV(t, filepath.Join(root, "expected", c.name+"-basis.csv"))
			expFunding := sharedtest.ReadCSV(t, filepath.Join(root, "expected", c.name+"-funding.csv"))
			var last int64
			for _, r := range expBasis {
				ts, _ := strconv.ParseInt(r["timestamp"], 10, 64)
				last = max(last, ts)
			}
			for _, r := range expFunding {
				ts, _ := strconv.ParseInt(r["fundingTime"], 10, 64)
				last = max(last, ts)
			}
			now := time.UnixMilli(last).Add(30 * time.Minute).UTC()
			e := newEnv(t, m, binancesim.Options{BasisRetention: 45 * 24 * time.Hour})
			e.now = now
			cfg := Config{Symbols: c.symbols, Basis: true, Funding: true, Periods: []data.Period{c.period}, ContractTypes: []data.ContractType{data.Perpetual},
				Since: data.EarliestHistory, Until: now, Concurrency: 2}
			results, err := e.run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range results {
				t.Logf("%s: %d rows, %d requests, %d missing", r.Series, r.NewRows, r.Requests, r.Missing)
			}
			i := 0
			for _, sym := range c.symbols {
				s, err := e.lake.ReadBasis(data.BasisKey{Pair: sym, ContractType: data.Perpetual, Period: c.period})
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range s.Rows {
					want := expBasis[i]
					i++
					if want["pair"] != sym || strconv.FormatInt(row.Timestamp.UnixMilli(), 10) != want["timestamp"] ||
						!decEq(data.FormatExact(row.IndexPrice), want["indexPrice"]) || !decEq(data.FormatExact(row.FuturesPrice), want["futuresPrice"]) ||
						!decEq(data.FormatExact(row.Basis), want["basis"]) || !decEq(data.FormatExact(row.BasisRate), want["basisRate"]) ||
						row.AnnualizedBasisRate.Valid {
						t.Fatalf("basis row %d: %+v, want %v", i, row, want)
					}
				}
			}
			if i != len(expBasis) {
				t.Errorf("%d basis rows stored, want %d", i, len(expBasis))
			}
			i = 0
			for _, sym := range c.symbols {
				f, err := e.lake.ReadFunding(sym)
				if err != nil {
					t.Fatal(err)
				}
				for _, row := range f.Rows {
					want := expFunding[i]
					i++
					if want["symbol"] != sym || strconv.FormatInt(row.FundingTime.UnixMilli(), 10) != want["fundingTime"] ||
						!decEq(data.FormatExact(row.FundingRate), want["fundingRate"]) || row.MarkPrice.String() != want["markPrice"] ||
						string(row.RateType) != want["rateType"] || row.FundingIntervalHours != 8 {
						t.Fatalf("funding row %d: %+v, want %v", i, row, want)
					}
				}
			}
			if i != len(expFunding) {
				t.Errorf("%d funding rows stored, want %d", i, len(expFunding))
			}
		})
	}
}

func decEq(a, b string) bool {
	if a == "" || b == "" {
		return a == b
	}
	return decimal.RequireFromString(a).Equal(decimal.RequireFromString(b))
}
