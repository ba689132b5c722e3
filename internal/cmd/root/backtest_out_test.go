//go:build !race

// Four whole backtests with charts take half a minute under the race
// detector: make test-pipeline runs this without it.

package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
	notes := filepath.Join(out, "notes.txt") // the user's, beside the run
	os.WriteFile(notes, []byte("mine"), 0o644)
	if code, _, errOut := run(t, env, append(one, "--force")...); code != 0 {
		t.Fatalf("--force: exit %d %s", code, errOut)
	}
	// Never the run's: a second --force (back to two symbols) keeps it too.
	if code, _, errOut := run(t, env, append(two, "--force")...); code != 0 {
		t.Fatalf("--force again: exit %d %s", code, errOut)
	}
	if b, err := os.ReadFile(notes); err != nil || string(b) != "mine" {
		t.Errorf("--force removed a file the runs did not write: %v", err)
	}
	if code, _, errOut := run(t, env, append(one, "--force")...); code != 0 {
		t.Fatalf("--force back to one symbol: exit %d %s", code, errOut)
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
