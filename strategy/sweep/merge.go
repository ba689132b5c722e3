package sweep

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/carry-research/carry/data"
)

// Merge combines the outputs of a sharded sweep into out: it checks that
// they come from the same grid and split, that every shard is there once,
// and that every combination has its row, then writes results sorted by
// index. The merged files equal a single-machine run's row for row.
func Merge(dirs []string, out string) (Manifest, error) {
	return MergeContext(context.Background(), dirs, out)
}

// MergeContext is Merge that cancelling ctx stops (out is then left as it
// was, or without its results files).
func MergeContext(ctx context.Context, dirs []string, out string) (Manifest, error) {
	var first Manifest
	shards := map[int]string{}
	var paths []string
	for i, dir := range dirs {
		b, err := os.ReadFile(filepath.Join(dir, ManifestJSON))
		if err != nil {
			return first, fmt.Errorf("%s is not a sweep output: %w", dir, err)
		}
		var m Manifest
		if err := json.Unmarshal(b, &m); err != nil {
			return first, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestJSON), err)
		}
		if i == 0 {
			first = m
		} else if m.GridSHA256 != first.GridSHA256 || m.Shards != first.Shards || m.Split != first.Split {
			return first, fmt.Errorf("%s comes from another sweep than %s (grid, shard count or split differ)", dir, dirs[0])
		}
		if other, dup := shards[m.Shard]; dup {
			return first, fmt.Errorf("shard %d/%d given twice: %s and %s", m.Shard, m.Shards, other, dir)
		}
		shards[m.Shard] = dir
		paths = append(paths, filepath.Join(dir, ResultsCSV))
	}
	// One row per index, in index order, found without holding the rows.
	header, rows, err := indexRows(ctx, paths)
	if err != nil {
		return first, err
	}
	for s := range first.Shards {
		if _, ok := shards[s]; !ok {
			return first, fmt.Errorf("shard %d/%d is missing", s, first.Shards)
		}
	}
	if len(rows) != first.Combinations {
		return first, fmt.Errorf("%d of %d combinations have results: run the unfinished shards again (they resume)", len(rows), first.Combinations)
	}
	merged := first
	merged.Shard, merged.Shards = 0, 1
	if err := os.MkdirAll(out, 0o755); err != nil {
		return first, err
	}
	if err := checkManifest(out, merged); err != nil {
		return first, err
	}
	kinds, err := kindsOf(header)
	if IsBookGrid([]byte(first.Grid)) {
		kinds, err = bookKindsOf(header)
	}
	if err != nil {
		return first, err
	}
	return merged, finalize(ctx, out, header, kinds, paths, rows, map[string]string{"carry.sweep.grid_sha256": first.GridSHA256}, runtime.GOMAXPROCS(0))
}

// kindsOf checks a results header against this carry's columns and returns
// their types.
func kindsOf(header []string) ([]data.ColumnKind, error) {
	h, kinds, err := columns()
	if err != nil {
		return nil, err
	}
	if len(h) != len(header) {
		return nil, fmt.Errorf("results have %d columns, this carry writes %d: merge with the carry version that ran the shards", len(header), len(h))
	}
	return kinds, nil
}

// bookKindsOf is kindsOf for a portfolio sweep's results.
func bookKindsOf(header []string) ([]data.ColumnKind, error) {
	h, kinds := bookColumns()
	if len(h) != len(header) {
		return nil, fmt.Errorf("results have %d columns, this carry writes %d for a portfolio sweep: merge with the carry version that ran the shards", len(header), len(h))
	}
	return kinds, nil
}
