package sweep

import (
	"math"
	"testing"
	"time"
)

// A walk-forward cuts the span into K+1 equal segments; fold k's
// in-sample window is [b_0, b_k] (expanding) or [b_{k−1}, b_k] (rolling),
// its out-of-sample one (b_k, b_{k+1}]; the stitched equity starts at C
// and ends at C·Π(final_k/C) (each fold's final equity, computed on its
// own from C, chained by hand below).
func TestWalkForwardFolds(t *testing.T) {
	lk := simLake(t)
	ex := expand(t, streamGrid)
	for _, rolling := range []bool{false, true} {
		dir := t.TempDir()
		if _, err := (&Job{Lake: lk, Out: dir, Workers: 2, Shards: 1}).Compute(t.Context(), []byte(streamGrid), ex); err != nil {
			t.Fatal(err)
		}
		a, err := Analyze(dir, lk, ex, nil, AnalysisOptions{WalkForward: &WalkForwardOptions{Folds: 3, Rolling: rolling}})
		if err != nil {
			t.Fatal(err)
		}
		wf := a.WalkForward
		if wf == nil || len(wf.Folds) != 3 {
			t.Fatalf("rolling %v: %+v", rolling, wf)
		}
		start, end := wf.Folds[0].InFrom, wf.Folds[2].OutTo
		seg := end.Sub(start) / 4
		growth := 1.0
		for k, f := range wf.Folds {
			wantIn := start
			if rolling {
				wantIn = start.Add(time.Duration(k) * seg)
			}
			bk := start.Add(time.Duration(k+1) * seg)
			if d := f.InTo.Sub(bk); d > time.Millisecond || d < -time.Millisecond || f.OutFrom != f.InTo || !f.InFrom.Equal(wantIn.Truncate(time.Millisecond)) {
				t.Errorf("rolling %v, fold %d: in %s → %s, out %s → %s (segment %s)", rolling, k+1, f.InFrom, f.InTo, f.OutFrom, f.OutTo, seg)
			}
			if f.OutOfSample.FinalEquity == nil || f.Combinations != ex.Len() {
				t.Fatalf("fold %d: %+v", k+1, f)
			}
			growth *= *f.OutOfSample.FinalEquity / wf.Capital
		}
		// The first point is the first fold's equity after its first grid
		// point: the capital less its entry's costs (fees of 0.1 % and
		// 0.05 % a fill, and slippage: under 1 %).
		if !(wf.Equity[0] < wf.Capital && wf.Equity[0] > 0.99*wf.Capital) || math.Abs(*wf.FinalEquity-wf.Capital*growth) > 1e-9*wf.Capital || math.Abs(*wf.TotalReturn-(growth-1)) > 1e-12 {
			t.Errorf("rolling %v: stitched from %v to %v, want %v·%v", rolling, wf.Equity[0], *wf.FinalEquity, wf.Capital, growth)
		}
		for i := 1; i < len(wf.Times); i++ {
			if !wf.Times[i].After(wf.Times[i-1]) {
				t.Fatalf("stitched times not increasing at %d", i)
			}
		}
	}
}

// The pick's deflated Sharpe (against the luck figure, > 0) is at most
// its probabilistic Sharpe (against 0): Φ is increasing.
func TestPickProbabilisticSharpe(t *testing.T) {
	lk := simLake(t)
	ex := expand(t, streamGrid)
	dir := t.TempDir()
	if _, err := (&Job{Lake: lk, Out: dir, Workers: 2, Shards: 1}).Compute(t.Context(), []byte(streamGrid), ex); err != nil {
		t.Fatal(err)
	}
	a, err := Analyze(dir, lk, ex, nil, AnalysisOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if a.PickPSR == nil || a.PickDSR == nil || a.LuckSharpe == nil || a.PickDailySharpe == nil {
		t.Fatalf("psr %v dsr %v luck %v", a.PickPSR, a.PickDSR, a.LuckSharpe)
	}
	if !(*a.LuckSharpe > 0 && *a.PickDSR <= *a.PickPSR && *a.PickPSR <= 1 && *a.PickDSR >= 0) {
		t.Errorf("psr %v, dsr %v (luck %v)", *a.PickPSR, *a.PickDSR, *a.LuckSharpe)
	}
}

// TestStitchedFigures: the stitched curve's figures are a run's, from the
// capital. Expected values by python3: daily returns 100→101→99→102,
// statistics.mean/stdev·√365 = 5.180409534539323; drawdown 99/101 − 1;
// APR 0.02·365/3.
func TestStitchedFigures(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	wf := &WalkForward{Capital: 100, Equity: []float64{100, 101, 99, 102},
		Times: []time.Time{t0, t0.AddDate(0, 0, 1), t0.AddDate(0, 0, 2), t0.AddDate(0, 0, 3)}}
	wf.stitchedFigures()
	for _, c := range []struct {
		name      string
		got       *float64
		want, tol float64
	}{
		{"final equity", wf.FinalEquity, 102, 0},
		{"total return", wf.TotalReturn, 0.02, 1e-15},
		{"apr", wf.APR, 2.433333333333333, 1e-12},
		{"daily sharpe", wf.Sharpe, 5.180409534539323, 1e-12},
		{"max drawdown", wf.MaxDrawdown, -0.01980198019801982, 1e-15},
	} {
		if c.got == nil || math.Abs(*c.got-c.want) > c.tol {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	flat := &WalkForward{Capital: 100, Equity: []float64{100, 100}, Times: []time.Time{t0, t0.AddDate(0, 0, 1)}}
	flat.stitchedFigures()
	if flat.Sharpe != nil || flat.MaxDrawdown == nil || *flat.MaxDrawdown != 0 {
		t.Errorf("flat curve: sharpe %v (want undefined), drawdown %v (want 0)", flat.Sharpe, flat.MaxDrawdown)
	}
}
