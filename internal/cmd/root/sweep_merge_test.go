package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSweepMergeWithoutTheLake: shards run on one machine's lake; the merge
// on a machine without it (or with --data elsewhere) still writes the
// results and the analyses that need only results, exits 0 and says what it
// skipped; without --data it uses the lake sweep.json records.
func TestSweepMergeWithoutTheLake(t *testing.T) {
	lake := smallLake(t)
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.yaml")
	os.WriteFile(grid, []byte("symbols: [BTCUSDT, ETHUSDT]\nleverage: [1, 2]\nperp_fee: [0.0004, 0.0005]\n"), 0o644)
	env := map[string]string{"CARRY_DATA": lake}
	var shards []string
	for _, s := range []string{"0/2", "1/2"} {
		out := filepath.Join(dir, "shard"+s[:1])
		if code, _, errOut := run(t, env, "sweep", "--grid", grid, "--out", out, "--shard", s); code != 0 {
			t.Fatalf("shard %s: exit %d %s", s, code, errOut)
		}
		shards = append(shards, out)
	}
	if b, _ := os.ReadFile(filepath.Join(shards[0], "sweep.json")); !strings.Contains(string(b), `"lake": "`+lake+`"`) {
		t.Errorf("sweep.json does not record the lake:\n%s", b)
	}
	// A lake named explicitly must be there: exit 1, nothing merged.
	args := append([]string{"sweep", "merge"}, shards...)
	code, _, errOut := run(t, map[string]string{}, append(args, "--out", filepath.Join(dir, "typo"), "--data", filepath.Join(dir, "nowhere"))...)
	if _, err := os.Stat(filepath.Join(dir, "typo")); code != 1 || err == nil {
		t.Errorf("merge with a --data that names no lake: exit %d (want 1), output written: %v; %s", code, err == nil, errOut)
	}
	// A machine without the lake the shards recorded.
	os.Rename(lake, lake+".elsewhere")
	merged := filepath.Join(dir, "merged")
	code, _, errOut = run(t, map[string]string{"HOME": dir}, append(args, "--out", merged)...)
	os.Rename(lake+".elsewhere", lake)
	if code != 0 || !strings.Contains(errOut, "skipped") {
		t.Fatalf("merge without the lake: exit %d %s", code, errOut)
	}
	for _, f := range []string{"results.csv", "results.parquet", "report.html", "top.csv"} {
		if _, err := os.Stat(filepath.Join(merged, f)); err != nil {
			t.Errorf("merge without the lake did not write %s: %v", f, err)
		}
	}
	// Without --data: the lake the shards recorded.
	merged2 := filepath.Join(dir, "merged2")
	code, _, errOut = run(t, map[string]string{"HOME": dir}, append(args, "--out", merged2)...)
	if code != 0 || strings.Contains(errOut, "skipped") {
		t.Errorf("merge with the recorded lake: exit %d %s", code, errOut)
	}
}

// TestSweepOnALakeLackingASeriesWritesNothing: a grid naming a symbol the
// lake lacks fails before sweep.json is written, so the corrected grid can
// use the same --out.
func TestSweepOnALakeLackingASeriesWritesNothing(t *testing.T) {
	env := map[string]string{"CARRY_DATA": smallLake(t)}
	dir := t.TempDir()
	out := filepath.Join(dir, "sweep")
	bad, good := filepath.Join(dir, "bad.yaml"), filepath.Join(dir, "good.yaml")
	os.WriteFile(bad, []byte("symbols: [BTCUSDT, SOLUSDT]\nleverage: [1, 2]\n"), 0o644)
	os.WriteFile(good, []byte("symbols: [BTCUSDT]\nleverage: [1, 2]\n"), 0o644)
	code, _, errOut := run(t, env, "sweep", "--grid", bad, "--out", out)
	if code != 1 || !strings.Contains(errOut, "SOLUSDT") {
		t.Fatalf("grid with a symbol the lake lacks: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(filepath.Join(out, "sweep.json")); err == nil {
		t.Error("the failed sweep left sweep.json behind")
	}
	if code, _, errOut := run(t, env, "sweep", "--grid", good, "--out", out); code != 0 {
		t.Errorf("the corrected grid into the same --out: exit %d %s", code, errOut)
	}
	// Another grid into it is refused as backtest refuses another run: exit 2.
	other := filepath.Join(dir, "other.yaml")
	os.WriteFile(other, []byte("symbols: [BTCUSDT]\nleverage: [1, 3]\n"), 0o644)
	if code, _, errOut := run(t, env, "sweep", "--grid", other, "--out", out); code != 2 || !strings.Contains(errOut, "holds another sweep") {
		t.Errorf("another grid into the same --out: exit %d %s", code, errOut)
	}
}

// TestSweepWithAnInvalidMarketRunsTheValidOnes: a grid value no combination
// can use (a symbol that does not parse) is counted invalid; the series
// check before sweep.json does not stop the valid combinations.
func TestSweepWithAnInvalidMarketRunsTheValidOnes(t *testing.T) {
	env := map[string]string{"CARRY_DATA": smallLake(t)}
	dir := t.TempDir()
	grid := filepath.Join(dir, "grid.yaml")
	os.WriteFile(grid, []byte("symbols: [BTCUSDT, \"BTC/USDT\"]\nleverage: [1, 2]\n"), 0o644)
	if code, out, errOut := run(t, env, "sweep", "--grid", grid, "--out", filepath.Join(dir, "sweep")); code != 0 {
		t.Errorf("exit %d\n%s%s", code, out, errOut)
	}
}
