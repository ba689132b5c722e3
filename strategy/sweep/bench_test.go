package sweep

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sim"
)

// benchLake is a simulated year of hourly data: a grid of 8,761 points per
// series.
func benchLake(b *testing.B) *lake.Lake {
	dir := filepath.Join(b.TempDir(), "lake")
	lake, err := lake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	c := sim.DefaultConfig(end, 365, 11)
	c.Pairs = c.Pairs[:1]
	if _, err := sim.Backfill(context.Background(), c, lake, "http://sim.invalid", simServer(c)); err != nil {
		b.Fatal(err)
	}
	return lake
}

func benchGrid(combinations int) string {
	// funding_enter × funding_exit × slippage: 3 × 3 × k combinations.
	var slips []string
	for i := 0; i < (combinations+8)/9; i++ {
		slips = append(slips, fmt.Sprintf("0.%04d", i+1))
	}
	return "symbols: [BTCUSDT]\nfunding_enter: [0.02, 0.05, 0.10]\nfunding_exit: [-0.02, 0, 0.01]\nslippage: [" + strings.Join(slips, ", ") + "]\n"
}

func timeSweep(b *testing.B, lake *lake.Lake, grid string, workers int) time.Duration {
	path := filepath.Join(b.TempDir(), "grid.yaml")
	os.WriteFile(path, []byte(grid), 0o644)
	g, raw, err := LoadGrid(path)
	if err != nil {
		b.Fatal(err)
	}
	ex, err := g.Expand(end)
	if err != nil {
		b.Fatal(err)
	}
	r := &Job{Lake: lake, Out: filepath.Join(b.TempDir(), "out"), Workers: workers}
	start := time.Now()
	if _, err := r.Compute(context.Background(), raw, ex); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// BenchmarkSweepWorkers: the same 1,800-combination sweep of a year of
// hourly data with 1 worker and with 2, in one run. Metric speedup = 1-worker
// time / 2-worker time; the target is at least 1.8 on 2 cores.
func BenchmarkSweepWorkers(b *testing.B) {
	lake := benchLake(b)
	grid := benchGrid(1800)
	var one, two time.Duration
	for b.Loop() {
		one += timeSweep(b, lake, grid, 1)
		two += timeSweep(b, lake, grid, 2)
	}
	b.ReportMetric(float64(one)/float64(two), "speedup")
	b.ReportMetric(float64(one.Microseconds())/float64(b.N)/1800, "µs/comb-1worker")
}

// BenchmarkSweepMemory: peak live heap (after a collection, sampled every
// 30 completed combinations) during the compute phase of sweeps of 90 and
// of 900 combinations on 2 workers. Metric heap-ratio = peak(900) / peak(90): about
// 1 means memory per worker does not grow with the number of combinations.
func BenchmarkSweepMemory(b *testing.B) {
	lake := benchLake(b)
	peak := func(n int) uint64 {
		runtime.GC()
		s := &heapSampler{}
		path := filepath.Join(b.TempDir(), "grid.yaml")
		os.WriteFile(path, []byte(benchGrid(n)), 0o644)
		g, raw, _ := LoadGrid(path)
		ex, _ := g.Expand(end)
		r := &Job{Lake: lake, Out: filepath.Join(b.TempDir(), "out"), Workers: 2, Progress: s}
		if _, err := r.Compute(context.Background(), raw, ex); err != nil {
			b.Fatal(err)
		}
		return s.max
	}
	var small, large uint64
	for b.Loop() {
		small, large = peak(90), peak(900)
	}
	b.ReportMetric(float64(small)/(1<<20), "MiB-peak-90")
	b.ReportMetric(float64(large)/(1<<20), "MiB-peak-900")
	b.ReportMetric(float64(large)/float64(small), "heap-ratio")
}

// heapSampler records the peak live heap while combinations complete.
type heapSampler struct{ max, n uint64 }

func (h *heapSampler) Start(int, int) {}
func (h *heapSampler) Done() {
	if h.n++; h.n%30 != 0 {
		return
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	h.max = max(h.max, ms.HeapAlloc)
}
func (h *heapSampler) Finish() {}
