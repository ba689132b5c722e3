package sweep

import (
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestLiveScanIsTheFilesScan: a fresh sweep's scan, filled as its rows are
// written (Job.Analyze), gives the analysis that reading results.csv
// afterwards gives — the same analysis.json and top.csv, top rows,
// heatmap and sensitivity — for a metric ranked higher-is-better and one
// ranked lower-is-better, and with an in/out-of-sample split, across
// several conversion batches.
func TestLiveScanIsTheFilesScan(t *testing.T) {
	lk := simLake(t)
	ex := expand(t, streamGrid)
	for _, c := range []struct {
		o     AnalysisOptions
		split *Split
	}{{}, {AnalysisOptions{Metric: "max_drawdown", Top: 7, Aggregate: "median"}, nil}, {AnalysisOptions{Metric: "apr"}, &Split{Fraction: 0.6}},
		{AnalysisOptions{Top: 5, WalkForward: &WalkForwardOptions{Folds: 2, Rolling: true}}, nil}} {
		o, split := c.o, c.split
		dir := t.TempDir()
		r := &Job{Lake: lk, Out: dir, Workers: 2, Shards: 1, Analyze: &o, Split: split}
		res, err := r.Compute(context.Background(), []byte(streamGrid), ex)
		if err != nil {
			t.Fatal(err)
		}
		if res.Scan == nil || res.Parquet != nil {
			t.Fatalf("%+v: a fresh sweep gave no scan (or left its Parquet to the caller)", o)
		}
		if _, err := os.Stat(filepath.Join(dir, ResultsParquet)); err != nil {
			t.Fatalf("results.parquet: %v", err)
		}
		live, err := AnalyzeScan(context.Background(), dir, lk, ex, split, res.Scan)
		if err != nil {
			t.Fatal(err)
		}
		liveJSON, _ := os.ReadFile(filepath.Join(dir, AnalysisJSON))
		liveTop, _ := os.ReadFile(filepath.Join(dir, TopCSV))
		file, err := AnalyzeContext(context.Background(), dir, lk, ex, split, o)
		if err != nil {
			t.Fatal(err)
		}
		fileJSON, _ := os.ReadFile(filepath.Join(dir, AnalysisJSON))
		fileTop, _ := os.ReadFile(filepath.Join(dir, TopCSV))
		if string(liveJSON) != string(fileJSON) || string(liveTop) != string(fileTop) {
			t.Errorf("%+v: analysis.json or top.csv differ", o)
		}
		top := o.Top
		if top == 0 {
			top = 20
		}
		if live.Tried != ex.Len() || !reflect.DeepEqual(live.TopRows, file.TopRows) || len(live.TopRows) != top {
			t.Errorf("%+v: %d tried, top rows %d / %d", o, live.Tried, len(live.TopRows), len(file.TopRows))
		}
		// The test lake holds 40 days: under 90, a short window.
		if !live.ShortWindow || live.Years*365 >= 90 {
			t.Errorf("%+v: a %.0f-day window not flagged short", o, live.Years*365)
		}
		if !sameHeat(live.Heatmap, file.Heatmap) || live.Heatmap == nil {
			t.Errorf("%+v: the heatmaps differ", o)
		}
		lj, _ := json.Marshal(live.Sensitivity.Lines)
		fj, _ := json.Marshal(file.Sensitivity.Lines)
		if live.Sensitivity.Best.Index != file.Sensitivity.Best.Index || string(lj) != string(fj) {
			t.Errorf("%+v: the sensitivity differs", o)
		}
		if (split != nil) != (live.OutOfSample != nil) || !reflect.DeepEqual(live.OutOfSample, file.OutOfSample) {
			t.Errorf("%+v: out of sample %+v, from the file %+v", o, live.OutOfSample, file.OutOfSample)
		}
	}
}

func sameHeat(a, b *Heatmap) bool {
	if a == nil || b == nil {
		return a == b
	}
	if !reflect.DeepEqual(a.XValues, b.XValues) || !reflect.DeepEqual(a.YValues, b.YValues) || len(a.Z) != len(b.Z) {
		return false
	}
	for i := range a.Z {
		for j := range a.Z[i] {
			x, y := a.Z[i][j], b.Z[i][j]
			if x != y && !(math.IsNaN(x) && math.IsNaN(y)) {
				return false
			}
		}
	}
	return true
}

// TestInterruptedFreshSweepLeavesNoParquet: a fresh sweep stopped part way
// leaves results.csv's rows, no results.parquet and no temporary file; the
// run that resumes it writes the file.
func TestInterruptedFreshSweepLeavesNoParquet(t *testing.T) {
	lk := simLake(t)
	ex := expand(t, streamGrid)
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	r := &Job{Lake: lk, Out: dir, Workers: 2, Shards: 1, Analyze: &AnalysisOptions{}, Progress: &cancelAfter{n: 300, cancel: cancel}}
	res, err := r.Compute(ctx, []byte(streamGrid), ex)
	if err == nil || res.Scan != nil {
		t.Fatalf("interrupted: err %v, scan %v", err, res.Scan)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if e.Name() != ResultsCSV && e.Name() != ManifestJSON {
			t.Errorf("left %s", e.Name())
		}
	}
	r = &Job{Lake: lk, Out: dir, Workers: 2, Shards: 1, Analyze: &AnalysisOptions{}}
	res, err = r.Compute(context.Background(), []byte(streamGrid), ex)
	if err != nil || res.Skipped == 0 || res.Scan != nil {
		t.Fatalf("resumed: %v, %d skipped, scan %v (a resumed sweep is analyzed from its file)", err, res.Skipped, res.Scan)
	}
	if _, err := os.Stat(filepath.Join(dir, ResultsParquet)); err != nil {
		t.Fatalf("results.parquet after resuming: %v", err)
	}
}
