package backfillcmd

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// TestComparisonAfterARunStoringBoth: a run storing PERPETUAL basis and
// the futures and index klines at its period prints the comparison (and
// --json holds it); a run of basis alone, or of klines alone, does not.
func TestComparisonAfterARunStoringBoth(t *testing.T) {
	since := now.Add(-3 * 24 * time.Hour)
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, since, now, 60000, 1, time.Time{})
	for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineIndex} {
		if err := m.DeriveKlines(data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}); err != nil {
			t.Fatal(err)
		}
	}
	srv := binancesim.NewServer(m, binancesim.Options{Now: func() time.Time { return now }})
	t.Cleanup(srv.Close)
	run := func(t *testing.T, datasets string, more ...string) string {
		t.Helper()
		args := append([]string{"--symbols", "BTCUSDT", "--datasets", datasets, "--contract-types", "PERPETUAL", "--kinds", "futures,index",
			"--since", "3d", "--source", "rest", "--base-url", srv.URL, "--archive-url", "http://127.0.0.1:1", "--data", t.TempDir()}, more...)
		out, err := runBackfill(t, args...)
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return out
	}
	t.Run("both", func(t *testing.T) {
		out := run(t, "basis,klines")
		for _, want := range []string{"Basis vs klines", "MEDIAN |Δ|", "BTCUSDT PERPETUAL 1h"} {
			if !strings.Contains(out, want) {
				t.Errorf("no %q after the summary:\n%s", want, out)
			}
		}
		var js struct {
			Cmp *struct {
				Series []struct {
					Series   string
					Compared int
				}
			} `json:"basis_comparison"`
		}
		out = run(t, "basis,klines", "--json")
		if err := json.Unmarshal([]byte(out), &js); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		if js.Cmp == nil || len(js.Cmp.Series) != 1 || js.Cmp.Series[0].Series != "BTCUSDT PERPETUAL 1h" || js.Cmp.Series[0].Compared < 70 {
			t.Errorf("basis_comparison %+v:\n%s", js.Cmp, out)
		}
	})
	for _, ds := range []string{"basis", "klines", "basis,funding"} {
		t.Run(ds, func(t *testing.T) {
			if out := run(t, ds); strings.Contains(out, "Basis vs klines") {
				t.Errorf("a run of %s prints a comparison:\n%s", ds, out)
			}
			if out := run(t, ds, "--json"); strings.Contains(out, "basis_comparison") {
				t.Errorf("a run of %s has a comparison in --json:\n%s", ds, out)
			}
		})
	}
}
