package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

func TestViewsEndToEnd(t *testing.T) {
	dir := t.TempDir()
	l, _ := lake.Open(dir)
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var perp, eth []data.BasisRow
	for i := range 10 {
		ts := t0.Add(time.Duration(i) * time.Hour)
		perp = append(perp, data.BasisRow{Timestamp: ts, IndexPrice: 60000, FuturesPrice: 60030, Basis: 30, BasisRate: 0.0005})
		eth = append(eth, data.BasisRow{Timestamp: ts, IndexPrice: 3000, FuturesPrice: 3030, Basis: 30, BasisRate: 0.01, AnnualizedBasisRate: data.Some(0.15)})
	}
	l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, perp)
	l.MergeBasis(data.BasisKey{Pair: "ETHUSDT", ContractType: data.NextQuarter, Period: "1h"}, eth)
	l.MergeFunding("BTCUSDT", []data.FundingRow{{FundingTime: t0, FundingRate: 0.0001, RateType: data.Regular}, {FundingTime: t0.Add(8 * time.Hour), FundingRate: 0.0002, RateType: data.Regular}})
	env := map[string]string{"CARRY_DATA": dir}

	code, out, errOut := run(t, env, "basis")
	if code != 0 || !strings.Contains(out, "missing: perp (data-source gap)") || !strings.Contains(out, "NEXT 15.00%") {
		t.Errorf("basis: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = run(t, env, "funding")
	if code != 0 || !strings.Contains(out, "BTCUSDT  0.0200%") || !strings.Contains(out, "estimate") {
		t.Errorf("funding:\n%s", out)
	}
	code, _, errOut = run(t, env, "funding", "DOGEUSDT")
	if code != 1 || !strings.Contains(errOut, "unknown symbol DOGEUSDT") || !strings.Contains(errOut, "carry backfill --symbols DOGEUSDT") {
		t.Errorf("unknown symbol: exit %d %s", code, errOut)
	}
	runDir := filepath.Join(t.TempDir(), "run")
	os.MkdirAll(runDir, 0o755)
	os.WriteFile(filepath.Join(runDir, "ledger.csv"), []byte("id,symbol,position_id,funding_rate,position_size,payment,settled_at\n1,BTCUSDT,1,0.0001,5000,0.5,2026-03-01T08:00:00Z\n"), 0o644)
	code, out, _ = run(t, env, "funding", "settlements", runDir, "--json")
	if code != 0 || !strings.Contains(out, `"payment": "0.5"`) {
		t.Errorf("settlements: %s", out)
	}
	code, _, errOut = run(t, env, "funding", "settlements", t.TempDir())
	if code != 1 || !strings.Contains(errOut, "no ledger.csv") {
		t.Errorf("settlements of a non-run: exit %d %s", code, errOut)
	}
}
