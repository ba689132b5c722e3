package sweep

import (
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sim"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

var end = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)

// simLake is a 40-day simulated market in a lake, built once per test
// binary (TestMain removes it).
func simLake(t *testing.T) *lake.Lake {
	t.Helper()
	lakeOnce.Do(func() {
		lake, err := lake.Open(lakeDir)
		if err == nil {
			c := sim.DefaultConfig(end, 40, 7)
			_, err = sim.Backfill(context.Background(), c, lake, "http://sim.invalid", simServer(c))
		}
		lakeErr = err
	})
	if lakeErr != nil {
		t.Fatal(lakeErr)
	}
	lake, err := lake.Open(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	return lake
}

var (
	lakeDir  string
	lakeOnce sync.Once
	lakeErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "carry-sweep-test-")
	if err != nil {
		panic(err)
	}
	lakeDir = filepath.Join(dir, "lake")
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const testGrid = `
symbols: [BTCUSDT, SOLUSDT]
periods: [1h]
contracts: [PERPETUAL]
leverage: [1, 2]
slippage: [0.0001, 0.0005]
funding_enter: [null, 0.05, 0.15]
funding_exit: [0, 0.02]
max_hold: [null, 7d]
`

func expand(t *testing.T, text string) Expansion {
	t.Helper()
	path := filepath.Join(t.TempDir(), "grid.yaml")
	os.WriteFile(path, []byte(text), 0o644)
	g, _, err := LoadGrid(path)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Expand(end)
	if err != nil {
		t.Fatal(err)
	}
	return ex
}

func TestExpansionIsDeterministicWithStableIDs(t *testing.T) {
	a, b := expand(t, testGrid), expand(t, testGrid)
	// 2 symbols × 2 leverages × 2 slippages × (1 rule off + 2 enters × 2
	// exits) × 2 holds = 80; the rule-off rows with exit 0.02 are duplicates.
	if len(a.Combinations) != 80 || a.Duplicates != 16 || a.Invalid != 0 {
		t.Fatalf("%d combinations, %d duplicates, %d invalid", len(a.Combinations), a.Duplicates, a.Invalid)
	}
	for i := range a.Combinations {
		if a.Combinations[i].ID != b.Combinations[i].ID || a.Combinations[i].Index != i {
			t.Fatal("the order or the ids changed between expansions")
		}
	}
	// The same parameters written differently hash alike.
	c := expand(t, strings.ReplaceAll(strings.ReplaceAll(testGrid, "7d", "168h"), "0.0001", "0.00010"))
	if c.Combinations[5].ID != a.Combinations[5].ID {
		t.Error("equivalent values gave different ids")
	}
	inv := expand(t, "symbols: [BTCUSDT]\nleverage: [1, 300]\nfunding_enter: 0.01\nfunding_exit: [0, 0.05]\n")
	if len(inv.Combinations) != 1 || inv.Invalid != 3 {
		t.Errorf("%d combinations, %d invalid (want 1 and 3: 1/L ≤ m, exit above entry)", len(inv.Combinations), inv.Invalid)
	}
}

func runSweep(t *testing.T, lake *lake.Lake, ex Expansion, out string, shard, shards, workers int) {
	t.Helper()
	r := &Job{Lake: lake, Out: out, Workers: workers, Shard: shard, Shards: shards}
	if _, err := r.Compute(context.Background(), []byte(testGrid), ex); err != nil {
		t.Fatal(err)
	}
}

func TestShardsMergeToTheSingleRun(t *testing.T) {
	lake := simLake(t)
	ex := expand(t, testGrid)
	single := filepath.Join(t.TempDir(), "single")
	runSweep(t, lake, ex, single, 0, 1, 2)
	var dirs []string
	for s := range 3 {
		d := filepath.Join(t.TempDir(), "shard"+strconv.Itoa(s))
		runSweep(t, lake, ex, d, s, 3, 1)
		dirs = append(dirs, d)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	if _, err := Merge(dirs, merged); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{ResultsCSV, ResultsParquet} {
		a, _ := os.ReadFile(filepath.Join(single, f))
		b, _ := os.ReadFile(filepath.Join(merged, f))
		if len(a) == 0 || string(a) != string(b) {
			t.Errorf("%s: merged shards differ from the single run (%d vs %d bytes)", f, len(a), len(b))
		}
	}
	if _, err := Merge(dirs[:2], filepath.Join(t.TempDir(), "m2")); err == nil || !strings.Contains(err.Error(), "shard 2/3 is missing") {
		t.Errorf("merging two of three shards: %v", err)
	}
}

func TestInterruptedSweepResumes(t *testing.T) {
	lake := simLake(t)
	ex := expand(t, testGrid)
	want := filepath.Join(t.TempDir(), "want")
	runSweep(t, lake, ex, want, 0, 1, 2)

	out := filepath.Join(t.TempDir(), "out")
	ctx, cancel := context.WithCancel(context.Background())
	p := &cancelAfter{n: 25, cancel: cancel}
	r := &Job{Lake: lake, Out: out, Workers: 2, Progress: p}
	_, err := r.Compute(ctx, []byte(testGrid), ex)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want cancelled", err)
	}
	_, recs, _ := readResults(filepath.Join(out, ResultsCSV))
	if len(recs) < 25 || len(recs) >= 80 {
		t.Fatalf("%d rows kept after the interrupt", len(recs))
	}
	// A kill mid-line leaves a torn row: it is dropped and run again.
	f, _ := os.OpenFile(filepath.Join(out, ResultsCSV), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("79,deadbeef,BTCUS")
	f.Close()
	r = &Job{Lake: lake, Out: out, Workers: 2}
	res, err := r.Compute(context.Background(), []byte(testGrid), ex)
	if err != nil {
		t.Fatal(err)
	}
	if res.Skipped != len(recs) || res.Computed != 80-len(recs) {
		t.Errorf("resume ran %d and skipped %d; %d were done", res.Computed, res.Skipped, len(recs))
	}
	a, _ := os.ReadFile(filepath.Join(want, ResultsCSV))
	b, _ := os.ReadFile(filepath.Join(out, ResultsCSV))
	if string(a) != string(b) {
		t.Error("the resumed sweep's results differ from an uninterrupted one")
	}
	// Another grid in the same directory is refused.
	r = &Job{Lake: lake, Out: out, Workers: 1}
	if _, err := r.Compute(context.Background(), []byte(testGrid+"\n# changed\n"), ex); err == nil || !strings.Contains(err.Error(), "another sweep") {
		t.Errorf("a different grid in the same --out: %v", err)
	}
}

type cancelAfter struct {
	n, done int
	cancel  func()
}

func (c *cancelAfter) Start(int, int) {}
func (c *cancelAfter) Done() {
	if c.done++; c.done == c.n {
		c.cancel()
	}
}
func (c *cancelAfter) Finish() {}

// TestRowsEqualSingleBacktests re-runs sampled combinations with the exact
// engine, as carry backtest does, and compares every number.
func TestRowsEqualSingleBacktests(t *testing.T) {
	lake := simLake(t)
	ex := expand(t, testGrid)
	out := filepath.Join(t.TempDir(), "out")
	runSweep(t, lake, ex, out, 0, 1, 2)
	header, recs, _ := readResults(filepath.Join(out, ResultsCSV))
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	for _, k := range []int{0, 7, 23, 42, 61, 79} {
		c := ex.Combinations[k]
		ld, err := backtest.Load(lake, c.Spec)
		if err != nil {
			t.Fatal(err)
		}
		res, err := strategy.Run(ld.Market, c.Params)
		if err != nil {
			t.Fatal(err)
		}
		want, err := backtest.SummaryOf(res, c.RiskFree)
		if err != nil {
			t.Fatal(err)
		}
		names, _, vals, _ := backtest.Columns(want)
		rec := recs[k]
		if rec[1] != c.ID {
			t.Fatalf("row %d has id %s, want %s", k, rec[1], c.ID)
		}
		for i, n := range names {
			got := rec[col[n]]
			if !sameCell(got, vals[i]) {
				t.Errorf("combination %d, %s: sweep %q, backtest %q", k, n, got, vals[i])
			}
		}
	}
}

// sameCell compares cells: numbers to 1e-9 relative, the rest exactly.
func sameCell(a, b string) bool {
	x, err1 := strconv.ParseFloat(a, 64)
	y, err2 := strconv.ParseFloat(b, 64)
	if err1 != nil || err2 != nil {
		return a == b
	}
	return math.Abs(x-y) <= 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y)))
}

func TestAnalysisWithSplit(t *testing.T) {
	lake := simLake(t)
	ex := expand(t, testGrid)
	out := filepath.Join(t.TempDir(), "out")
	split := &Split{Fraction: 0.7}
	r := &Job{Lake: lake, Out: out, Workers: 2, Split: split}
	if _, err := r.Compute(context.Background(), []byte(testGrid), ex); err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(out, lake, ex, split, AnalysisOptions{Metric: "sharpe", Top: 5})
	if err != nil {
		t.Fatal(err)
	}
	if a.Tried != 80 || len(a.TopRows) != 5 || a.BestSharpe == nil || a.LuckSharpe == nil || *a.LuckSharpe <= 0 {
		t.Errorf("analysis %+v", a)
	}
	// The top rows are in order of the metric.
	header, _, _ := readResults(filepath.Join(out, TopCSV))
	var col int
	for i, h := range header {
		if h == "sharpe" {
			col = i
		}
	}
	prev := math.Inf(1)
	for _, r := range a.TopRows {
		v, _ := strconv.ParseFloat(r[col], 64)
		if v > prev {
			t.Errorf("top rows not sorted by sharpe: %v after %v", v, prev)
		}
		prev = v
	}
	if a.OutOfSample == nil || a.OutOfSample.OutOfSample["sharpe"] == "" || a.OutOfSample.InSample["sharpe"] == "" {
		t.Fatalf("out-of-sample %+v", a.OutOfSample)
	}
	// In-sample rows end at the split: 70% of the 40-day window.
	_, recs, _ := readResults(filepath.Join(out, ResultsCSV))
	if days, _ := strconv.ParseFloat(recs[0][colOf(t, out, "days")], 64); math.Abs(days-28) > 0.1 {
		t.Errorf("in-sample rows span %v days, want 28", days)
	}
	for _, f := range []string{TopCSV, AnalysisJSON} { // the charts: internal/report TestSweepReportFiles
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
	if a.Heatmap == nil || a.Sensitivity == nil {
		t.Errorf("heatmap %v, sensitivity %v: want both", a.Heatmap, a.Sensitivity)
	}
	if a.HeatX != "symbol" || a.HeatY != "leverage" {
		t.Errorf("heatmap axes %s × %s, want the first two varying parameters", a.HeatX, a.HeatY)
	}
}

func colOf(t *testing.T, dir, name string) int {
	header, _, _ := readResults(filepath.Join(dir, ResultsCSV))
	for i, h := range header {
		if h == name {
			return i
		}
	}
	t.Fatalf("no column %s", name)
	return -1
}

func TestExpectedMaxSharpe(t *testing.T) {
	// One year, 100 strategies: (1−γ)Φ⁻¹(0.99) + γΦ⁻¹(1 − 1/(100e))
	// = 0.4228 × 2.3263 + 0.5772 × 2.6801 = 2.530602893 (Python:
	// statistics.NormalDist().inv_cdf).
	if v := expectedMaxSharpe(100, 1); math.Abs(v-2.530602893) > 1e-6 {
		t.Errorf("expected max Sharpe of 100 over a year = %v, want 2.530602893", v)
	}
	if v := expectedMaxSharpe(100, 0.25); math.Abs(v-2*2.530602893) > 1e-6 {
		t.Errorf("over a quarter = %v, want twice the yearly figure", v)
	}
	if !math.IsNaN(expectedMaxSharpe(1, 1)) {
		t.Error("one combination has no selection bias to measure")
	}
}
