package sweep

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestFreshSweepWritesWhatTheOldPathWrote: the rows a fresh sweep writes
// in order, formatted by the column plan and converted without a rewrite,
// are byte for byte results.csv and results.parquet as the old path made
// them: each row formatted by backtest.Columns and encoding/csv, streamed
// in any order, then sorted, rewritten and converted.
func TestFreshSweepWritesWhatTheOldPathWrote(t *testing.T) {
	lake := simLake(t)
	grids := []struct {
		name, grid    string
		shard, shards int
		split         *Split
		workers       int
	}{
		{"rules", testGrid, 0, 1, nil, 2},
		{"one worker", testGrid, 0, 1, nil, 1},
		{"shard", testGrid, 1, 3, nil, 2},
		{"split", testGrid, 0, 1, &Split{Fraction: 0.6}, 2},
		{"dated and basis rules", `
symbols: [BTCUSDT, ETHUSDT]
periods: [1h]
contracts: [PERPETUAL, CURRENT_QUARTER]
leverage: [1, 3]
rebalance_below: [0, 0.2]
basis_enter: [null, 0.05]
basis_exit: [0.01]
max_hold: [null, 72h]
risk_free: [0, 0.04]
`, 0, 1, nil, 2},
	}
	for _, g := range grids {
		t.Run(g.name, func(t *testing.T) {
			ex := expand(t, g.grid)
			got := filepath.Join(t.TempDir(), "new")
			job := &Job{Lake: lake, Out: got, Workers: g.workers, Shard: g.shard, Shards: g.shards, Split: g.split}
			if _, err := job.Compute(context.Background(), []byte(g.grid), ex); err != nil {
				t.Fatal(err)
			}
			want := oldPath(t, job, ex, []byte(g.grid))
			for _, f := range []string{ResultsCSV, ResultsParquet} {
				a, _ := os.ReadFile(filepath.Join(want, f))
				b, _ := os.ReadFile(filepath.Join(got, f))
				if len(a) == 0 || string(a) != string(b) {
					t.Errorf("%s differs from the old path's (%d vs %d bytes)", f, len(b), len(a))
				}
			}
		})
	}
}

// oldPath writes the job's results as the sweep did before the column
// plan and the reorder buffer, into a new directory it returns.
func oldPath(t *testing.T, job *Job, ex Expansion, grid []byte) string {
	t.Helper()
	dir := t.TempDir()
	header, kinds, err := columns()
	if err != nil {
		t.Fatal(err)
	}
	loaded := map[backtest.Spec]*series{}
	var lines []string
	err = ex.Each(context.Background(), job.Shard, job.Shards, func(c Combination) error {
		sr := loaded[c.Spec]
		if sr == nil {
			var err error
			if sr, err = job.loadSeries(c.Spec); err != nil {
				return err
			}
			loaded[c.Spec] = sr
		}
		// The old path: Kernel without signals, the statistics in
		// analytics' separate walks (SummaryOfKernel).
		eq := make([]float64, sr.prepared.Len())
		kt := strategy.Kernel(sr.prepared, strategy.KernelParamsOf(c.Params), eq, nil)
		sum, err := backtest.SummaryOfKernel(sr.market, c.Params, c.RiskFree, kt, eq, sr.stats)
		if err != nil {
			return err
		}
		rec, err := record(Row{Index: c.Index, ID: c.ID, Summary: sum})
		if err != nil {
			return err
		}
		line, err := csvLine(rec)
		lines = append(lines, string(line))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	rand.New(rand.NewPCG(5, 6)).Shuffle(len(lines), func(i, j int) { lines[i], lines[j] = lines[j], lines[i] })
	h, _ := csvLine(header)
	path := filepath.Join(dir, ResultsCSV)
	os.WriteFile(path, []byte(string(h)+strings.Join(lines, "")), 0o644)
	hdr, refs, err := indexRows(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if err := finalize(context.Background(), dir, hdr, kinds, []string{path}, refs, map[string]string{"carry.sweep.grid_sha256": sha(grid)}, 2); err != nil {
		t.Fatal(err)
	}
	return dir
}
