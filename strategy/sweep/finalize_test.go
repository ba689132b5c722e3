package sweep

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInterruptedFinalizeKeepsResults: a final rewrite interrupted leaves
// results.csv as it was and no Parquet file; run again, it writes what an
// uninterrupted sweep writes, byte for byte, from rows in any order.
func TestInterruptedFinalizeKeepsResults(t *testing.T) {
	lake := simLake(t)
	ex := expand(t, testGrid)
	want := filepath.Join(t.TempDir(), "want")
	runSweep(t, lake, ex, want, 0, 1, 2)

	// The rows as workers might leave them: shuffled, one row twice.
	b, _ := os.ReadFile(filepath.Join(want, ResultsCSV))
	lines := strings.SplitAfter(string(b), "\n") // the last is empty
	rows := append(lines[1:len(lines)-1], lines[5])
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	unsorted := lines[0] + strings.Join(rows, "")
	out := t.TempDir()
	path := filepath.Join(out, ResultsCSV)
	os.WriteFile(path, []byte(unsorted), 0o644)

	_, kinds, _ := columns()
	header, refs, err := indexRows(context.Background(), []string{path})
	if err != nil || len(refs) != ex.Len() {
		t.Fatalf("%d rows indexed (%v), want %d", len(refs), err, ex.Len())
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	if err := finalize(cancelled, out, header, kinds, []string{path}, refs, nil, 2); err == nil || !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("finalize with a cancelled context: %v", err)
	}
	if b, _ := os.ReadFile(path); string(b) != unsorted {
		t.Error("an interrupted rewrite changed results.csv")
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("an interrupted rewrite left %d files, want results.csv alone", len(entries))
	}
	footer := map[string]string{"carry.sweep.grid_sha256": sha([]byte(testGrid))}
	if err := finalize(context.Background(), out, header, kinds, []string{path}, refs, footer, 2); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ResultsCSV, ResultsParquet} {
		a, _ := os.ReadFile(filepath.Join(want, f))
		b, _ := os.ReadFile(filepath.Join(out, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s differs from the uninterrupted sweep's (%d vs %d bytes)", f, len(b), len(a))
		}
	}
}
