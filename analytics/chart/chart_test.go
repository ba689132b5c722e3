package chart

import (
	"flag"
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"gonum.org/v1/plot/cmpimg"
)

var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

var meta = Meta{Symbol: "BTCUSDT", Contract: "PERPETUAL", Period: "1h",
	From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC), Label: "simulated market"}

// small keeps the golden files small; the layout is the same at 1600×900.
var small = Options{Width: 800, Height: 450}

// series is deterministic test data: 240 hourly points.
func series() ([]time.Time, []float64, []float64) {
	var ts []time.Time
	var eq, dd []float64
	peak := 0.0
	for i := range 241 {
		ts = append(ts, meta.From.Add(time.Duration(i)*time.Hour))
		e := 10000 + 40*math.Sin(float64(i)/20) + float64(i)*0.3
		eq = append(eq, e)
		peak = max(peak, e)
		dd = append(dd, e/peak-1)
	}
	return ts, eq, dd
}

func golden(t *testing.T, name string, got []byte, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden.png")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./analytics/chart -update to create it)", err)
	}
	ok, err := cmpimg.EqualApprox("png", got, want, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	if !ok {
		os.WriteFile(filepath.Join(t.TempDir(), name+".png"), got, 0o644)
		t.Errorf("%s differs from %s; look at it and run with -update if the change is intended", name, path)
	}
}

func TestGoldenCharts(t *testing.T) {
	ts, eq, dd := series()
	b, err := Equity(meta, EquityData{Times: ts, Equity: eq, Drawdown: dd, Capital: 10000}, small)
	golden(t, "equity", b, err)

	var fd FundingData
	for i := 0; i < 30; i++ {
		at := meta.From.Add(time.Duration(8*i) * time.Hour)
		r := 0.0001 * math.Sin(float64(i)/3)
		fd.Times, fd.Rates, fd.Annualized = append(fd.Times, at), append(fd.Rates, r), append(fd.Annualized, r*3*365)
	}
	fd.Open = [][2]time.Time{{meta.From.Add(24 * time.Hour), meta.From.Add(96 * time.Hour)}, {meta.From.Add(150 * time.Hour), meta.From.Add(200 * time.Hour)}}
	b, err = Funding(meta, fd, small)
	golden(t, "funding", b, err)

	ann := make([]float64, len(ts))
	for i := range ann {
		ann[i] = 0.1 + 0.05*math.Cos(float64(i)/15)
	}
	b, err = Basis(meta, BasisData{Times: ts, Annualized: ann, Entries: []time.Time{ts[10], ts[150]}, Exits: []time.Time{ts[100]},
		Rolls: []time.Time{ts[50], ts[120]}, Liquidations: []time.Time{ts[220]}}, small)
	golden(t, "basis", b, err)

	fund, basis, costs := make([]float64, len(ts)), make([]float64, len(ts)), make([]float64, len(ts))
	for i := range ts {
		fund[i], basis[i], costs[i] = float64(i)*0.2, 10*math.Sin(float64(i)/30), 5+float64(i/100)*5
	}
	b, err = Attribution(meta, AttributionData{Times: ts, Funding: fund, BasisPnL: basis, Costs: costs}, small)
	golden(t, "attribution", b, err)

	var rets []float64
	for i := 1; i < len(eq); i++ {
		rets = append(rets, eq[i]/eq[i-1]-1)
	}
	b, err = Distributions(meta, fd.Annualized, rets, "1h", small)
	golden(t, "distributions", b, err)

	hd := HeatmapData{Title: "sharpe by leverage and funding_enter (best over the other parameters) — 20 combinations",
		XLabel: "leverage", YLabel: "funding_enter", X: []string{"1", "2", "3", "4", "5"}, Y: []string{"", "0.05", "0.1", "0.2"}, Metric: "sharpe"}
	for r := range hd.Y {
		var row []float64
		for c := range hd.X {
			row = append(row, 3-float64(c)*1.1+float64(r)*0.4)
		}
		hd.Z = append(hd.Z, row)
	}
	hd.Z[3][4] = math.NaN()
	b, err = Heatmap(hd, small)
	golden(t, "heatmap", b, err)

	b, err = Sensitivity("Sensitivity of the best combination's sharpe to costs — BTCUSDT PERPETUAL 1h (id 7)", "sharpe",
		[]float64{0, 0.5, 1, 2, 4}, map[string][]float64{"fees": {8.1, 8.0, 7.9, 7.7, 7.3}, "slippage": {8.1, 8.05, 7.9, 7.6, 7.0}}, small)
	golden(t, "sensitivity", b, err)

	b, err = Ranking("Annualized carry yield — PERPETUAL 1h, 2026-03-01 → 2026-03-11 · simulated market", []string{"BTCUSDT", "ETHUSDT", "SOLUSDT"}, []float64{0.08, 0.12, -0.03}, small)
	golden(t, "ranking", b, err)
}

func TestSVGAndBadFormat(t *testing.T) {
	ts, eq, dd := series()
	b, err := Equity(meta, EquityData{Times: ts, Equity: eq, Drawdown: dd, Capital: 10000}, Options{Format: "svg"})
	if err != nil || len(b) < 100 || string(b[:5]) != "<?xml" {
		t.Fatalf("svg: %v, %.40q", err, b)
	}
	if _, err := Equity(meta, EquityData{Times: ts, Equity: eq, Drawdown: dd, Capital: 10000}, Options{Format: "gif"}); err == nil {
		t.Error("gif accepted")
	}
	if _, err := Funding(meta, FundingData{}, small); err == nil {
		t.Error("a funding chart without events was drawn")
	}
}

func TestTitleNamesEverything(t *testing.T) {
	want := "Equity — BTCUSDT PERPETUAL 1h, 2026-03-01 00:00 → 2026-03-11 00:00 UTC · simulated market"
	if got := meta.Title("Equity"); got != want {
		t.Errorf("title %q, want %q", got, want)
	}
}
