package sweepcmd

import (
	"context"
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
	"github.com/carry-research/carry/strategy/sweep"
)

// bookT0 is the tiny lake's first hour, a midnight UTC.
var bookT0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// tinyBookLake is three perpetuals over five days of hourly futures and
// index candles (quote volume 1e6 an hour) and 8-hourly funding: AAA paying
// 0.01 % an event, BBB 0.03 %, CCC −0.01 % then, from day 3, 0.05 %, with
// prices drifting apart so that the legs' basis P&L is not zero.
func tinyBookLake(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "lake")
	l, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	const hours = 5 * 24
	at := func(h int) time.Time { return bookT0.Add(time.Duration(h) * time.Hour) }
	for k, sym := range []string{"AAAUSDT", "BBBUSDT", "CCCUSDT"} {
		price := func(h int) float64 { return 100 * float64(k+1) * (1 + 0.02*math.Sin(float64(h)/9+float64(k))) }
		for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineIndex} {
			var rows []data.KlineRow
			for h := range hours {
				v := price(h)
				if kind == data.KlineFutures {
					v *= 1 + 0.001*math.Cos(float64(h)/5)
				}
				r := data.KlineRow{OpenTime: at(h), CloseTime: at(h + 1).Add(-time.Millisecond), Open: v, High: v, Low: v, Close: v}
				if kind == data.KlineFutures {
					r.QuoteVolume = data.Some(1e6)
				}
				rows = append(rows, r)
			}
			if _, err := l.MergeKlines(data.KlineKey{Kind: kind, Symbol: sym, Interval: "1h"}, rows); err != nil {
				t.Fatal(err)
			}
		}
		var ev []data.FundingRow
		for h := 0; h < hours; h += 8 {
			rate := []float64{0.0001, 0.0003, -0.0001}[k]
			if sym == "CCCUSDT" && h >= 48 {
				rate = 0.0005
			}
			ev = append(ev, data.FundingRow{FundingTime: at(h), FundingRate: rate, MarkPrice: data.Some(price(h)), RateType: data.Regular})
		}
		if _, err := l.MergeFunding(sym, ev); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const tinyBookGrid = `universe: [AAAUSDT, BBBUSDT, CCCUSDT]
top: [1, 2]
lookback: [1, 3]
band: [0, 10%]
`

// runSweep runs `carry sweep args…` (or `carry sweep merge …`) and returns
// its console.
func runSweep(t *testing.T, args ...string) string {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	f := &cmdutil.Factory{IO: io, Now: func() time.Time { return bookT0.AddDate(0, 1, 0) }, Getenv: func(string) string { return "" }}
	cmd := NewCmdSweep(f, nil)
	cmd.SetArgs(args)
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	if err := cmd.Execute(); err != nil {
		t.Fatalf("carry sweep %s: %v\n%s%s", strings.Join(args, " "), err, out, errOut)
	}
	return out.String() + errOut.String()
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestBookSweepCommand runs `carry sweep` on a portfolio grid of 2 × 2 × 2
// = 8 combinations over a tiny lake, through the command: results.csv has
// a column for every book parameter (portfolio.BookParamTable) and every
// pair parameter a book uses, then the statistics; a row per combination,
// each row's final equity that of `carry portfolio`'s run of the same
// parameters (book.Run, to 1e-9 of the capital: the kernel's agreement
// with the exact ledger). The same grid run as two shards and merged by
// `carry sweep merge` (which must see a portfolio manifest) gives the
// whole run's results.csv byte for byte, and the analyses.
func TestBookSweepCommand(t *testing.T) {
	lakeDir := tinyBookLake(t)
	grid := filepath.Join(t.TempDir(), "grid.yaml")
	if err := os.WriteFile(grid, []byte(tinyBookGrid), 0o644); err != nil {
		t.Fatal(err)
	}
	whole := filepath.Join(t.TempDir(), "whole")
	console := runSweep(t, "--grid", grid, "--out", whole, "--data", lakeDir, "--workers", "1", "--no-progress")
	if !strings.Contains(console, "Portfolio sweep") || !strings.Contains(console, "8 combinations") {
		t.Errorf("console:\n%s", console)
	}
	rows := readCSV(t, filepath.Join(whole, sweep.ResultsCSV))
	header, body := rows[0], rows[1:]
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var want []string
	for _, b := range portfolio.BookParamTable() {
		want = append(want, b.Column)
	}
	for _, p := range strategy.ParamTable() {
		if slices.Contains(portfolio.BookPairParams(), p.Name) {
			want = append(want, p.Column)
		}
	}
	stats := []string{"final_equity", "total_return", "apr", "sharpe_daily", "max_drawdown", "funding_income", "basis_pnl", "fees",
		"turnover", "turnover_annualized", "average_holdings", "concentration_hhi", "rebalances", "liquidations", "delistings"}
	for _, name := range append(want, stats...) {
		if _, ok := col[name]; !ok {
			t.Errorf("results.csv lacks column %s: %v", name, header)
		}
	}
	// The parameters come before the statistics, in the table's order.
	for i := 1; i < len(want); i++ {
		if col[want[i-1]] > col[want[i]] {
			t.Errorf("column %s after %s", want[i-1], want[i])
		}
	}
	if col[want[len(want)-1]] > col["final_equity"] {
		t.Errorf("parameters after the statistics: %v", header)
	}
	if len(body) != 8 {
		t.Fatalf("%d result rows, want 8", len(body))
	}

	raw, _ := os.ReadFile(grid)
	g, err := sweep.ParseBookGrid(raw)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.PlanBook()
	if err != nil {
		t.Fatal(err)
	}
	store, err := lake.Open(lakeDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 7} {
		c, err := ex.At(i)
		if err != nil {
			t.Fatal(err)
		}
		row := body[i]
		if row[col["id"]] != c.ID || row[col["top"]] != c.Values["top"] || row[col["lookback"]] != c.Values["lookback"] || row[col["band"]] != c.Values["band"] {
			t.Errorf("row %d: id %s top %s lookback %s band %s; combination %s %v", i, row[col["id"]], row[col["top"]], row[col["lookback"]], row[col["band"]], c.ID, c.Values)
		}
		out, err := book.Run(context.Background(), store, book.Spec{Universe: book.UniverseSpec{Symbols: []string{"AAAUSDT", "BBBUSDT", "CCCUSDT"},
			Period: "1h", Prices: backtest.PricesAuto, Spot: backtest.SpotIndex}, Params: c.Params, RiskFree: c.RiskFree})
		if err != nil {
			t.Fatal(err)
		}
		got, err := strconv.ParseFloat(row[col["final_equity"]], 64)
		exact := out.Result.FinalEquity.InexactFloat64()
		if err != nil || math.Abs(got-exact) > 1e-9*c.Params.Pair.Capital.InexactFloat64() {
			t.Errorf("row %d (%v): final_equity %s, carry portfolio's %v", i, c.Values, row[col["final_equity"]], exact)
		}
		if exact == c.Params.Pair.Capital.InexactFloat64() {
			t.Errorf("row %d: the book never traded (final equity = capital): the test proves nothing", i)
		}
	}

	var shards []string
	for k := range 2 {
		dir := filepath.Join(t.TempDir(), "shard"+strconv.Itoa(k))
		runSweep(t, "--grid", grid, "--out", dir, "--data", lakeDir, "--workers", "1", "--no-progress", "--shard", strconv.Itoa(k)+"/2")
		shards = append(shards, dir)
	}
	merged := filepath.Join(t.TempDir(), "merged")
	console = runSweep(t, append(append([]string{"merge"}, shards...), "--out", merged, "--data", lakeDir)...)
	if !strings.Contains(console, "8 combinations") || !strings.Contains(console, "portfolios tried") {
		t.Errorf("merge console (a portfolio merge reports portfolios):\n%s", console)
	}
	wantCSV, _ := os.ReadFile(filepath.Join(whole, sweep.ResultsCSV))
	gotCSV, _ := os.ReadFile(filepath.Join(merged, sweep.ResultsCSV))
	if string(gotCSV) != string(wantCSV) {
		t.Errorf("merged results.csv differs from the whole run's:\n%s\nwant\n%s", gotCSV, wantCSV)
	}
	for _, name := range []string{sweep.TopCSV, sweep.AnalysisJSON, "report.html"} {
		if _, err := os.Stat(filepath.Join(merged, name)); err != nil {
			t.Errorf("merge wrote no %s: %v", name, err)
		}
	}
}

// TestBookSweepSplitConsole: a portfolio sweep with --split prints its
// figures rounded as the single-pair sweep does (two decimals: it printed
// "daily Sharpe 20.880043706767612"), and its report's pick line lists
// the book's parameters that vary (lookback, top, band), not only the
// single-pair ones.
func TestBookSweepSplitConsole(t *testing.T) {
	lakeDir := tinyBookLake(t)
	grid := filepath.Join(t.TempDir(), "grid.yaml")
	if err := os.WriteFile(grid, []byte(tinyBookGrid), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	console := runSweep(t, "--grid", grid, "--out", out, "--data", lakeDir, "--workers", "1", "--no-progress", "--split", "0.6")
	figure := `(-?\d+\.\d{2}|—)`
	if !regexp.MustCompile(`daily Sharpe ` + figure + ` in-sample, ` + figure + ` out-of-sample\.`).MatchString(console) {
		t.Errorf("console lacks the pick's rounded daily Sharpe ratios:\n%s", console)
	}
	if raw := regexp.MustCompile(`\d\.\d{5,}`).FindAllString(console, 3); len(raw) > 0 {
		t.Errorf("console shows raw floats %v:\n%s", raw, console)
	}
	html, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	line := regexp.MustCompile(`(?s)<p id="pick-line">.*?</p>`).FindString(string(html))
	if !regexp.MustCompile(`: lookback \d+, top \d+, band [0-9.]+\.`).MatchString(line) {
		t.Errorf("the pick line lacks the book's parameters: %s", line)
	}
}
