package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSlipsAndWindows runs the real binary on the valid lake (BTCUSDT's 1h
// basis and 8h funding from 2026-01-01 to 2026-01-30 23:00): rates in bp
// and % read as their fractions; a funding threshold beyond ±100 %/yr, and
// a window starting before the lake's first row, run and are warned of on
// stderr and in the report — by carry backtest and carry sweep alike, in
// the same words.
func TestSlipsAndWindows(t *testing.T) {
	bin := carryBinary(t)
	valid := t.TempDir()
	if err := buildValidLake(valid); err != nil {
		t.Fatal(err)
	}
	// The clamp warning both commands give (first row 2026-01-01T00:00Z,
	// 31 days after 2025-12-01).
	const clamped = "BTCUSDT PERPETUAL 1h: the window asked starts 2025-12-01T00:00:00Z, but the lake's data start 2026-01-01T00:00:00Z (31.0 days later): the run starts there, clamped to the data"
	const slip = "is 1000 %/yr, beyond ±100 %/yr: likely a slip of units"
	rows := []struct {
		name   string
		args   []string
		grid   string
		stderr []string // on stderr and in o/report.html
		check  func(t *testing.T, dir string)
	}{
		{name: "backtest fees in bp and %", args: []string{"backtest", "--symbol", "BTCUSDT", "--out", "o", "--spot-fee", "10bp", "--perp-fee", "0.05%", "--slippage", "1 bp"},
			check: func(t *testing.T, dir string) {
				var s map[string]json.Number
				dec := json.NewDecoder(strings.NewReader(string(readFile(t, filepath.Join(dir, "o", "summary.json")))))
				dec.UseNumber()
				var all map[string]any
				if err := dec.Decode(&all); err != nil {
					t.Fatal(err)
				}
				s = map[string]json.Number{}
				for _, k := range []string{"spot_fee", "perp_fee", "slippage"} {
					s[k], _ = all[k].(json.Number)
				}
				// 10bp = 0.001, 0.05% = 0.0005, 1bp = 0.0001, exactly (summary.json writes the decimals).
				if s["spot_fee"] != "0.001" || s["perp_fee"] != "0.0005" || s["slippage"] != "0.0001" {
					t.Errorf("spot_fee %v, perp_fee %v, slippage %v", s["spot_fee"], s["perp_fee"], s["slippage"])
				}
			}},
		{name: "backtest --funding-enter 10", args: []string{"backtest", "--symbol", "BTCUSDT", "--out", "o", "--funding-enter", "10", "--funding-exit", "0"},
			stderr: []string{"--funding-enter 10 " + slip}},
		{name: "backtest --from before the lake", args: []string{"backtest", "--symbol", "BTCUSDT", "--out", "o", "--from", "2025-12-01"},
			stderr: []string{clamped}},
		{name: "sweep from before the lake", args: []string{"sweep", "--grid", "g.yaml", "--out", "o"}, grid: "symbols: [BTCUSDT]\nfrom: 2025-12-01\n",
			stderr: []string{clamped}},
		{name: "sweep funding_enter 10", args: []string{"sweep", "--grid", "g.yaml", "--out", "o"}, grid: "symbols: [BTCUSDT]\nfunding_enter: [0.1, 10]\nfunding_exit: 0\nspot_fee: [10bp, 0.1%]\n",
			stderr: []string{"funding_enter 10 " + slip}},
	}
	for _, row := range rows {
		t.Run(row.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			lake := makeLake(t, valid, dir, validLake)
			if row.grid != "" {
				writeFile(t, filepath.Join(dir, "g.yaml"), []byte(row.grid))
			}
			env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Join(dir, "home"), "TZ=UTC", "CARRY_DATA=" + lake}
			code, stdout, stderr := run(t, bin, dir, env, row.args)
			if code != 0 {
				t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			report := string(readFile(t, filepath.Join(dir, "o", "report.html")))
			for _, want := range row.stderr {
				if !strings.Contains(stderr, "warning: "+want) {
					t.Errorf("stderr lacks %q:\n%s", want, stderr)
				}
				if !strings.Contains(report, strings.ReplaceAll(want, "'", "&#39;")) {
					t.Errorf("the report lacks %q", want)
				}
			}
			if len(row.stderr) == 0 && strings.Contains(stderr, "warning") {
				t.Errorf("warned:\n%s", stderr)
			}
			if row.check != nil {
				row.check(t, dir)
			}
		})
	}
}
