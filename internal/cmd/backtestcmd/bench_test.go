package backtestcmd

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/internal/sim"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// simulatedLake backfills years of BTCUSDT's simulated hourly klines and
// funding (the market of carry simulate-market, one pair) into a fresh lake
// through the simulated exchange, in memory.
func simulatedLake(b *testing.B, years int) string {
	b.Helper()
	cfg := sim.DefaultConfig(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 30, 7)
	cfg.Years = years
	cfg.Pairs = cfg.Pairs[:1]
	cfg.KlinePairs, cfg.QuarterlyPairs = []string{"BTCUSDT"}, nil
	ex, err := sim.NewExchange(cfg)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(b.TempDir(), "lake")
	l, err := lake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := sim.Backfill(context.Background(), cfg, l, "http://simulated.invalid", ex.Transport()); err != nil {
		b.Fatal(err)
	}
	return dir
}

// BenchmarkBacktestFiveYears is `carry backtest --prices klines --spot spot`
// over five years of hourly candles (43,800 grid points), in process:
// load, run, summarize, the run's files, every chart and report.html
// (issue 14: ≤ 3 s). s/backtest is wall time; cpu-s/backtest the
// process's CPU time (GC included), which other jobs on the machine do not
// inflate. -short: one year.
func BenchmarkBacktestFiveYears(b *testing.B) {
	years := 5
	if testing.Short() {
		years = 1
	}
	dir := simulatedLake(b, years)
	io, _, _, _ := iostreams.Test()
	out := b.TempDir()
	i := 0
	start := time.Now()
	cpu0, cpuOK := processCPU()
	for b.Loop() {
		i++
		o := &Options{IO: io, Now: time.Now, DataDir: dir, Out: filepath.Join(out, fmt.Sprint(i)),
			Settings: strategy.DefaultSettings(), Chart: report.ChartOptions{Format: "png"},
			Specs: []backtest.Spec{{Symbol: "BTCUSDT", Period: data.Period("1h"), Contract: data.Perpetual,
				Prices: backtest.PricesKlines, Spot: backtest.SpotMarket}}}
		if err := backtestRun(context.Background(), o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(time.Since(start).Seconds()/float64(b.N), "s/backtest")
	if cpu1, ok := processCPU(); ok && cpuOK {
		b.ReportMetric((cpu1-cpu0).Seconds()/float64(b.N), "cpu-s/backtest")
	}
}
