package strategy

import (
	"testing"
)

// BenchmarkKernelVsMinimalLoopFiveYears is BenchmarkKernelVsMinimalLoop on
// five years of hourly points (43,800, 8h funding, always in): the
// kernel's time per (combination × grid step) over the minimal loop's, in
// one run. Target: the one-year ratio recorded in BENCHMARKS.md (≤ 3,
// 2.56 measured): the kernel's cost per step must not grow with the
// length of history.
func BenchmarkKernelVsMinimalLoopFiveYears(b *testing.B) { benchKernelVsMinimalLoop(b, 5*8760) }
