package sweep

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
)

const (
	killLakeEnv = "CARRY_TEST_SWEEP_LAKE"
	killOutEnv  = "CARRY_TEST_SWEEP_OUT"
)

// killGrid is large enough that a sweep runs for a few seconds.
var killGrid = testGrid + "spot_fee: {from: 0.0005, to: 0.0015, step: 0.0001}\nperp_fee: [0.0002, 0.0005]\n"

// TestSweepProcessHelper is not a test on its own: TestKilledSweepResumes
// runs the test binary again with the env set, and this function then runs
// the sweep until it is killed.
func TestSweepProcessHelper(t *testing.T) {
	lakeDir, out := os.Getenv(killLakeEnv), os.Getenv(killOutEnv)
	if lakeDir == "" {
		t.Skip("helper process for TestKilledSweepResumes")
	}
	lake, err := lake.Open(lakeDir)
	if err != nil {
		os.Exit(3)
	}
	g, err := ParseGrid([]byte(killGrid))
	if err != nil {
		os.Exit(3)
	}
	ex, _ := g.Expand(end)
	r := &Job{Lake: lake, Out: out, Workers: 1}
	if _, err := r.Compute(context.Background(), []byte(killGrid), ex); err != nil {
		os.Exit(4)
	}
	os.Exit(0)
}

// TestKilledSweepResumes kills a sweep process with SIGKILL once rows are on
// disk, resumes it, and checks the result equals an uninterrupted sweep.
func TestKilledSweepResumes(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns a process")
	}
	lake := simLake(t)
	g, _ := ParseGrid([]byte(killGrid))
	ex, _ := g.Expand(end)
	want := filepath.Join(t.TempDir(), "want")
	if _, err := (&Job{Lake: lake, Out: want, Workers: 2}).Compute(context.Background(), []byte(killGrid), ex); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSweepProcessHelper$")
	cmd.Env = append(os.Environ(), killLakeEnv+"="+lake.Root(), killOutEnv+"="+out)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		b, _ := os.ReadFile(filepath.Join(out, ResultsCSV))
		if strings.Count(string(b), "\n") > 50 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	cmd.Process.Kill()
	if err := cmd.Wait(); err == nil {
		t.Log("the sweep had finished before the kill")
	}
	_, kept, _ := readResults(filepath.Join(out, ResultsCSV))
	res, err := (&Job{Lake: lake, Out: out, Workers: 2}).Compute(context.Background(), []byte(killGrid), ex)
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != len(kept) || res.Skipped+res.Computed != len(ex.Combinations) {
		t.Errorf("resume: %d skipped, %d ran; %d rows survived the kill of %d", res.Skipped, res.Computed, len(kept), len(ex.Combinations))
	}
	a, _ := os.ReadFile(filepath.Join(want, ResultsCSV))
	b, _ := os.ReadFile(filepath.Join(out, ResultsCSV))
	if string(a) != string(b) {
		t.Error("the resumed sweep differs from an uninterrupted one")
	}
	t.Logf("%d of %d combinations survived the kill", len(kept), len(ex.Combinations))
}
