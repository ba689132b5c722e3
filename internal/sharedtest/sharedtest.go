// Package sharedtest gives tests access to ../shared, the material beside
// the project that developers and CI have and users do not: tests that use
// it skip cleanly, saying why, when it is absent.
package sharedtest

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// Path returns the path of rel inside ../shared, or skips the test when it
// is not there.
func Path(t testing.TB, rel string) string {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	p := filepath.Join(filepath.Dir(here), "..", "..", "..", "shared", rel)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared material %s not present (only CI and developers have ../shared): %v", rel, err)
	}
	return p
}

// ReadCSV reads a CSV file with a header row into one map per row.
func ReadCSV(t testing.TB, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
	out := make([]map[string]string, 0, len(recs))
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}
