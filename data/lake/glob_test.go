package lake

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestGlobParallelIsGlob: the same matches in the same order as
// filepath.Glob, names with pattern characters and files where
// directories are expected included.
func TestGlobParallelIsGlob(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{
		"pair=B/contract_type=P/period=1h/data.parquet",
		"pair=A/contract_type=P/period=1h/data.parquet",
		"pair=A/contract_type=Q/period=4h/data.parquet",
		"pair=A/contract_type=Q/period=5m/.lock",
		"pair=[x]/contract_type=P/period=1h/data.parquet",
		"pair=*/contract_type=P/period=1h/data.parquet",
		"pair=a?b/contract_type=P/period=1h/data.parquet",
		`pair=a\b/contract_type=P/period=1h/data.parquet`,
		"pair=file",
	} {
		p = filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	for _, tail := range [][]string{
		{"contract_type=*", "period=*", "data.parquet"},
		{"contract_type=P", "period=1h", "data.parquet"},
		{"*"},
		{},
	} {
		want, err := filepath.Glob(filepath.Join(append([]string{root, "pair=*"}, tail...)...))
		if err != nil {
			t.Fatal(err)
		}
		got, err := globParallel(filepath.Join(root, "pair=*"), tail...)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("tail %q: got %q, %v\nwant %q", tail, got, err, want)
		}
	}
}
