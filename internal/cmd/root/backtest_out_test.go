package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// smallLake holds 10 days of hourly basis and 8h funding for two pairs.
func smallLake(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	l, err := data.Open(dir)
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

// TestBacktestRefusesAnotherRunsOut: a later, different run into an --out
// holding an earlier one is refused (it would leave the earlier run's files
// beside its own) unless --force, which removes exactly the earlier run's
// files; the same run again is fine; a directory carry did not write is
// never touched.
func TestBacktestRefusesAnotherRunsOut(t *testing.T) {
	env := map[string]string{"CARRY_DATA": smallLake(t)}
	out := filepath.Join(t.TempDir(), "run")
	two := []string{"backtest", "--symbol", "BTCUSDT", "--symbol", "ETHUSDT", "--out", out}
	if code, _, errOut := run(t, env, two...); code != 0 {
		t.Fatalf("first run: exit %d %s", code, errOut)
	}
	for _, f := range []string{"ETHUSDT", "comparison.csv", ".carry-backtest.json"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Fatalf("the first run did not write %s: %v", f, err)
		}
	}
	if code, _, errOut := run(t, env, two...); code != 0 {
		t.Fatalf("the same run again: exit %d %s", code, errOut)
	}
	one := []string{"backtest", "--symbol", "BTCUSDT", "--out", out}
	code, _, errOut := run(t, env, one...)
	if code != 2 || !strings.Contains(errOut, "--force") {
		t.Fatalf("a different run into the same --out: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "ETHUSDT")); err != nil {
		t.Fatalf("the refused run changed the earlier one: %v", err)
	}
	if code, _, errOut := run(t, env, append(one, "--force")...); code != 0 {
		t.Fatalf("--force: exit %d %s", code, errOut)
	}
	for _, stale := range []string{"ETHUSDT", "comparison.csv"} {
		if _, err := os.Stat(filepath.Join(out, stale)); err == nil {
			t.Errorf("%s of the earlier run is still there after --force", stale)
		}
	}
	foreign := t.TempDir()
	os.WriteFile(filepath.Join(foreign, "notes.txt"), []byte("mine"), 0o644)
	code, _, errOut = run(t, env, "backtest", "--symbol", "BTCUSDT", "--out", foreign, "--force")
	if b, _ := os.ReadFile(filepath.Join(foreign, "notes.txt")); code != 2 || string(b) != "mine" || !strings.Contains(errOut, "holds no carry backtest") {
		t.Errorf("a directory carry did not write: exit %d %s", code, errOut)
	}
}
