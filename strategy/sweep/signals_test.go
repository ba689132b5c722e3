package sweep

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// TestSharedSignalsWriteTheSameResults: a sweep whose series carry the
// rules' shared signals (built before the workers start) writes the
// results.csv and results.parquet of the same sweep without them, byte for
// byte, on grids of funding rules (several lookbacks), basis rules, both,
// dated contracts (where signals hold nothing) and a split; and the
// signals are really built.
func TestSharedSignalsWriteTheSameResults(t *testing.T) {
	lake := simLake(t)
	grids := []struct {
		name, grid string
		split      *Split
		conditions int // the signals' conditions on a perpetual series
	}{
		{"funding", testGrid, nil, 4},
		{"funding lookbacks", `
symbols: [BTCUSDT, SOLUSDT]
periods: [1h]
contracts: [PERPETUAL]
funding_lookback: [1, 3, 9]
funding_enter: [null, -0.05, 0, 0.05, 0.1, 0.2, 1]
funding_exit: [-0.1, 0, 0.02, 0.05]
max_hold: [null, 2d]
`, nil, 3 * (6 + 4)},
		{"basis and funding", `
symbols: [BTCUSDT, ETHUSDT]
periods: [1h]
contracts: [PERPETUAL, CURRENT_QUARTER]
leverage: [1, 3]
funding_lookback: [1, 3]
funding_enter: [null, 0.05]
funding_exit: [0]
basis_enter: [null, 0, 0.03, 0.05, 0.08, 0.2]
basis_exit: [-0.02, 0, 0.01, 0.03]
risk_free: [0, 0.04]
`, nil, 2*(1+1) + 5 + 4},
		{"split", testGrid, &Split{Fraction: 0.6}, 4},
	}
	for _, g := range grids {
		t.Run(g.name, func(t *testing.T) {
			ex := expand(t, g.grid)
			var files [2][2][]byte
			for k, noSignals := range []bool{false, true} {
				out := filepath.Join(t.TempDir(), "out")
				job := &Job{Lake: lake, Out: out, Workers: 2, Shards: 1, Split: g.split, noSignals: noSignals}
				if _, err := job.Compute(context.Background(), []byte(g.grid), ex); err != nil {
					t.Fatal(err)
				}
				for i, f := range []string{ResultsCSV, ResultsParquet} {
					files[k][i], _ = os.ReadFile(filepath.Join(out, f))
				}
			}
			for i, f := range []string{ResultsCSV, ResultsParquet} {
				if len(files[1][i]) == 0 || string(files[0][i]) != string(files[1][i]) {
					t.Errorf("%s with shared signals differs from without (%d vs %d bytes)", f, len(files[0][i]), len(files[1][i]))
				}
			}
			// The signals are built: a condition per rule value (entry or
			// exit, with each lookback for funding) the grid lists.
			s, err := ex.planned()
			if err != nil {
				t.Fatal(err)
			}
			job := &Job{Lake: lake}
			sr, err := job.loadSeries(s.marketSpec(0))
			if err != nil {
				t.Fatal(err)
			}
			s.addSignals([]*series{sr})
			if sr.signals == nil || sr.signals.Len() != g.conditions {
				t.Fatalf("%v: signals hold %d conditions, want %d", g.name, sr.signals.Len(), g.conditions)
			}
		})
	}
}
