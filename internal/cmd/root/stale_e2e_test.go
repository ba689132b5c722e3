package root

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
)

// staleTemp leaves a crashed writer's temporary file in a partition no run
// below writes, modified two hours ago.
func staleTemp(t *testing.T, lake string) string {
	t.Helper()
	path := filepath.Join(lake, "funding", "symbol=DOGEUSDT", ".data.parquet.tmp-123")
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("PAR1"), 0o666); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * time.Hour)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestWriteCommandsRemoveStaleTemps(t *testing.T) {
	srv := fakeExchange(t, binancesim.Options{})
	for _, args := range [][]string{
		{"backfill", "--symbols", "BTCUSDT", "--contract-types", "PERPETUAL", "--since", "2d"},
		{"simulate-market", "--days", "2", "--years", "0"}, // the stale file is the point, not years of klines
	} {
		lake := t.TempDir()
		stale := staleTemp(t, lake)
		env := map[string]string{"CARRY_BINANCE_URL": srv.URL, "CARRY_DATA": lake}
		code, _, errOut := run(t, env, args...)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", args[0], code, errOut)
		}
		if _, err := os.Stat(stale); !os.IsNotExist(err) {
			t.Errorf("%s: stale temporary file of an unwritten partition kept: %v", args[0], err)
		}
		if !strings.Contains(errOut, "removed stale temporary files") || !strings.Contains(errOut, "removed=1") {
			t.Errorf("%s: no log line counting the removed files:\n%s", args[0], errOut)
		}
	}
}
