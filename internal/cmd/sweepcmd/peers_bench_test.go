package sweepcmd

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/sweep"
)

// The peers are scripts kept under bench/peers; DuckDB's Node package is
// the one `make interop` installs into .interop.
var (
	peersDir   = filepath.Join("..", "..", "..", "bench", "peers")
	duckdbDir  = filepath.Join("..", "..", "..", ".interop")
	peerGrid   = map[string]any{"capital": 10000, "leverage": []float64{1, 1.5, 2}, "spot_fee": []float64{0.0005, 0.001}, "perp_fee": []float64{0.0002, 0.0005}}
	peerFields = []string{"final_equity", "funding_income", "fees", "max_drawdown"}
)

// peerRow is one combination's figures, from carry or a peer.
type peerRow struct {
	K                                             int
	FinalEquity, FundingIncome, Fees, MaxDrawdown float64
}

// BenchmarkSweepPeers: the whole `carry sweep` (2 workers), and its
// compute alone (timeCompute: what the peers do), on an
// always-in grid of 4,500 combinations (-short: 24; the size of the grid
// issue 14 was measured on) of a year of hourly
// BTCUSDT, against the same grid computed by vectorized numpy and by
// DuckDB SQL from the same Parquet files (bench/peers). Each peer's
// figures must agree with carry's first (money to 1e-9 relative, the
// drawdown to 1e-9); a peer whose tools are missing (python3 with numpy;
// node with .interop's @duckdb/node-api, `make interop` installs it) is
// skipped, saying so. Targets (issue 14): numpy/carry ≥ 3, duckdb/carry ≥ 20.
func BenchmarkSweepPeers(b *testing.B) {
	slippages := 375 // 3 leverages × 2 × 2 fees × 375 = 4,500 combinations
	if testing.Short() {
		slippages = 2
	}
	var slips []float64
	for k := range slippages {
		slips = append(slips, float64(k+1)/1e5)
	}
	peerGrid["slippage"] = slips
	lakeDir := benchLake(b)
	dir := b.TempDir()
	gridJSON := filepath.Join(dir, "grid.json")
	gb, _ := json.Marshal(peerGrid)
	os.WriteFile(gridJSON, gb, 0o644)
	yaml := "symbols: [BTCUSDT]\nperiods: [1h]\ncontracts: [PERPETUAL]\nleverage: [1, 1.5, 2]\nspot_fee: [0.0005, 0.001]\nperp_fee: [0.0002, 0.0005]\nslippage: ["
	for k, s := range slips {
		if k > 0 {
			yaml += ", "
		}
		yaml += strconv.FormatFloat(s, 'f', -1, 64)
	}
	yaml += "]\n"

	haveDuck := exec.Command("node", "-e", "1").Run() == nil && exists(filepath.Join(duckdbDir, "node_modules", "@duckdb", "node-api"))
	python := numpyPython()
	haveNumpy := python != ""
	var carry, compute, duck, numpy time.Duration
	for b.Loop() {
		d, out := runProcessOut(b, lakeDir, yaml, 2)
		carry += d
		compute += timeCompute(b, lakeDir, yaml, 2)
		want, from, to := carryRows(b, out)
		if !haveDuck {
			continue
		}
		export := filepath.Join(dir, "export")
		got, secs := runPeer(b, filepath.Join(dir, "duck.json"), "node", filepath.Join(duckdbDir, "always_in.mjs"), lakeDir, "BTCUSDT", from, to, gridJSON, filepath.Join(dir, "duck.json"), export)
		checkPeer(b, "duckdb", got, want)
		duck += secs
		if haveNumpy {
			got, secs := runPeer(b, filepath.Join(dir, "numpy.json"), python, filepath.Join(peersDir, "always_in.py"), export, gridJSON, filepath.Join(dir, "numpy.json"))
			checkPeer(b, "numpy", got, want)
			numpy += secs
		}
	}
	b.ReportMetric(carry.Seconds()/float64(b.N), "carry-s")
	b.ReportMetric(compute.Seconds()/float64(b.N), "carry-compute-s")
	if !haveDuck {
		b.Log("DuckDB peer skipped: node or .interop/node_modules/@duckdb/node-api missing (make interop installs it); the numpy peer reads its export, so it is skipped too")
		return
	}
	b.ReportMetric(duck.Seconds()/float64(b.N), "duckdb-s")
	b.ReportMetric(float64(duck)/float64(carry), "duckdb/carry")
	b.ReportMetric(float64(duck)/float64(compute), "duckdb/carry-compute")
	if !haveNumpy {
		b.Log("numpy peer skipped: python3 with numpy missing (apt-get install python3-numpy)")
		return
	}
	b.ReportMetric(numpy.Seconds()/float64(b.N), "numpy-s")
	b.ReportMetric(float64(numpy)/float64(carry), "numpy/carry")
	b.ReportMetric(float64(numpy)/float64(compute), "numpy/carry-compute")
}

// timeCompute times what the peers do, in carry: the grid read and
// counted, the series loaded, every combination run and summarized into
// results.csv and results.parquet (sweep.Job.Compute), without the
// analyses, charts and report of the whole command.
func timeCompute(b *testing.B, lakeDir, grid string, workers int) time.Duration {
	dir := b.TempDir()
	path := filepath.Join(dir, "grid.yaml")
	os.WriteFile(path, []byte(grid), 0o644)
	start := time.Now()
	g, raw, err := sweep.LoadGrid(path)
	if err != nil {
		b.Fatal(err)
	}
	ex, err := g.Plan(context.Background(), benchEnd)
	if err != nil {
		b.Fatal(err)
	}
	lk, err := lake.Open(lakeDir)
	if err != nil {
		b.Fatal(err)
	}
	job := &sweep.Job{Lake: lk, Out: filepath.Join(dir, "out"), Workers: workers}
	if _, err := job.Compute(context.Background(), raw, ex); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// numpyPython is the first of $PYTHON, python3 on the PATH and Debian's
// /usr/bin/python3 that imports numpy (a pyenv python3 first on the PATH
// may not have it), or "".
func numpyPython() string {
	for _, p := range []string{os.Getenv("PYTHON"), "python3", "/usr/bin/python3"} {
		if p != "" && exec.Command(p, "-c", "import numpy").Run() == nil {
			return p
		}
	}
	return ""
}

// runPeer runs a peer script and returns its rows and the time it
// measured itself (its interpreter's start-up left out).
func runPeer(b *testing.B, out, name string, args ...string) ([]peerRow, time.Duration) {
	if name == "node" {
		// The script must sit beside node_modules to import the package.
		src, err := os.ReadFile(filepath.Join(peersDir, "always_in.mjs"))
		if err != nil {
			b.Fatal(err)
		}
		os.WriteFile(args[0], src, 0o644)
	}
	cmd := exec.Command(name, args...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("%s %s: %v\n%s", name, args[0], err, msg)
	}
	var res struct {
		Seconds float64
		Rows    []struct {
			K             int
			FinalEquity   float64 `json:"final_equity"`
			FundingIncome float64 `json:"funding_income"`
			Fees          float64 `json:"fees"`
			MaxDrawdown   float64 `json:"max_drawdown"`
		}
	}
	raw, err := os.ReadFile(out)
	if err == nil {
		err = json.Unmarshal(raw, &res)
	}
	if err != nil {
		b.Fatalf("%s: %v", out, err)
	}
	rows := make([]peerRow, len(res.Rows))
	for i, r := range res.Rows {
		rows[i] = peerRow{r.K, r.FinalEquity, r.FundingIncome, r.Fees, r.MaxDrawdown}
	}
	return rows, time.Duration(res.Seconds * float64(time.Second))
}

// carryRows reads the figures of carry's results.csv, and its window.
func carryRows(b *testing.B, out string) ([]peerRow, string, string) {
	f, err := os.Open(filepath.Join(out, "results.csv"))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	num := func(s string) float64 {
		if s == "" {
			return 0 // no drawdown: null in carry, 0 for the peers
		}
		x, err := strconv.ParseFloat(s, 64)
		if err != nil {
			b.Fatal(err)
		}
		return x
	}
	var rows []peerRow
	for _, r := range recs[1:] {
		if r[col["liquidated"]] != "false" || r[col["trades"]] != "1" {
			b.Fatalf("combination %s: liquidated %s, %s trades: the peers model one position held throughout", r[0], r[col["liquidated"]], r[col["trades"]])
		}
		k, _ := strconv.Atoi(r[0])
		rows = append(rows, peerRow{k, num(r[col["final_equity"]]), num(r[col["funding_income"]]), num(r[col["fees"]]), num(r[col["max_drawdown"]])})
	}
	return rows, recs[1][col["from"]], recs[1][col["to"]]
}

// checkPeer fails the benchmark unless the peer's figures agree with carry's.
func checkPeer(b *testing.B, peer string, got, want []peerRow) {
	if len(got) != len(want) {
		b.Fatalf("%s: %d rows, carry %d", peer, len(got), len(want))
	}
	var msgs []string
	for i := range want {
		g, w := got[i], want[i]
		for j, pair := range [][2]float64{{g.FinalEquity, w.FinalEquity}, {g.FundingIncome, w.FundingIncome}, {g.Fees, w.Fees}, {g.MaxDrawdown, w.MaxDrawdown}} {
			tol := 1e-9 * math.Max(1, math.Abs(pair[1]))
			if g.K != w.K || math.Abs(pair[0]-pair[1]) > tol {
				msgs = append(msgs, fmt.Sprintf("combination %d %s: %s %v, carry %v", w.K, peerFields[j], peer, pair[0], pair[1]))
			}
		}
	}
	if len(msgs) > 0 {
		b.Fatalf("%s disagrees with carry in %d figures, e.g.\n%s", peer, len(msgs), strings.Join(msgs[:min(5, len(msgs))], "\n"))
	}
}
