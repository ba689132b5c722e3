package lake

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

const crashWriterEnv = "CARRY_TEST_CRASH_WRITER_LAKE"

// TestCrashWriterHelper is not a test on its own: TestKilledWriter runs the
// test binary again with crashWriterEnv set, and this function then merges
// batches of 200 rows into one partition forever, until it is killed.
func TestCrashWriterHelper(t *testing.T) {
	dir := os.Getenv(crashWriterEnv)
	if dir == "" {
		t.Skip("helper process for TestKilledWriter")
	}
	l, err := Open(dir)
	if err != nil {
		os.Exit(3)
	}
	fmt.Println("ready") // the parent times its kill from here, not from exec
	for batch := 0; ; batch++ {
		s, _ := l.ReadBasis(perpKey())
		start := len(s.Rows)
		rows := make([]data.BasisRow, 200)
		for i := range rows {
			rows[i] = basisRow(start+i, 100, 101)
		}
		if _, err := l.MergeBasis(perpKey(), rows); err != nil {
			os.Exit(4)
		}
	}
}

// TestKilledWriter kills a writer process with SIGKILL at many different
// instants and checks that the partition is always readable and holds a
// whole number of batches: the old version or the new, never a mix.
func TestKilledWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	l := newTestLake(t)
	l.root = dir
	for i := range 12 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriterHelper$")
		cmd.Env = append(os.Environ(), crashWriterEnv+"="+dir)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Wait for the writer to be writing (a race-enabled binary on a busy
		// machine takes long to start), then kill it at a different instant
		// each time; the first kill waits for a commit, so that every run
		// tests a partition that exists.
		if line, err := bufio.NewReader(out).ReadString('\n'); err != nil || line != "ready\n" {
			t.Fatalf("writer did not start: %q %v", line, err)
		}
		if i == 0 {
			waitForRows(t, l)
		}
		time.Sleep(time.Duration(3+11*i) * time.Millisecond)
		cmd.Process.Kill()
		cmd.Wait()

		s, err := l.ReadBasis(perpKey())
		if err != nil && !isNoSeries(err) {
			t.Fatalf("kill %d: partition unreadable: %v", i, err)
		}
		if len(s.Rows)%200 != 0 {
			t.Fatalf("kill %d: %d rows, not a whole number of 200-row batches", i, len(s.Rows))
		}
		for j, r := range s.Rows {
			if !r.Timestamp.Equal(hour(j)) {
				t.Fatalf("kill %d: row %d at %s, want %s", i, j, r.Timestamp, hour(j))
			}
		}
	}
	// The next writer clears whatever the killed ones left.
	if _, err := l.MergeBasis(perpKey(), nil, WithHistoryStart(hour(0))); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir + "/basis/pair=BTCUSDT/contract_type=PERPETUAL/period=1h")
	for _, e := range entries {
		if e.Name() != seriesFileName && e.Name() != ".lock" {
			t.Errorf("leftover %s after a clean write", e.Name())
		}
	}
	s, _ := l.ReadBasis(perpKey())
	t.Logf("%d rows committed across 12 kills", len(s.Rows))
	if len(s.Rows) == 0 {
		t.Error("the writer never committed a batch: the kills came too early to test anything")
	}
}

// waitForRows waits until the partition holds a committed batch.
func waitForRows(t *testing.T, l *Lake) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if s, err := l.ReadBasis(perpKey()); err == nil && len(s.Rows) > 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("the writer committed nothing within a minute")
}
