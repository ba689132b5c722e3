package strategy

import (
	"math/rand/v2"
	"testing"
	"time"
)

// BenchmarkKernelVsMinimalLoopFiveYears is BenchmarkKernelVsMinimalLoop on
// five years of hourly points (43,800, 8h funding, always in): the
// kernel's time per (combination × grid step) over the minimal loop's, in
// one run. Target: the one-year ratio recorded in BENCHMARKS.md (≤ 3,
// 2.56 measured): the kernel's cost per step must not grow with the
// length of history.
func BenchmarkKernelVsMinimalLoopFiveYears(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	m := randomMarket(rng, 5*8760)
	prep, err := Prepare(m)
	if err != nil {
		b.Fatal(err)
	}
	kp := KernelParamsOf(DefaultParams())
	equity := make([]float64, prep.Len())
	steps := float64(prep.Len())
	var kernel, minimal time.Duration
	var sink float64
	for b.Loop() {
		t0 := time.Now()
		sink += Kernel(prep, kp, equity, nil).FinalEquity
		t1 := time.Now()
		sink += minimalLoop(prep, 0.1, m.Spot[0], m.Futures[0], 5000, equity)
		minimal += time.Since(t1)
		kernel += t1.Sub(t0)
	}
	n := float64(b.N)
	b.ReportMetric(float64(kernel.Nanoseconds())/n/steps, "kernel-ns/step")
	b.ReportMetric(float64(minimal.Nanoseconds())/n/steps, "minimal-ns/step")
	b.ReportMetric(float64(kernel)/float64(minimal), "kernel/minimal")
	b.ReportMetric(steps, "steps")
	if sink == 0 {
		b.Log(sink)
	}
}
