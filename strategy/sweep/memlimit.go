package sweep

import (
	"math"
	"runtime"
	"runtime/debug"
)

// DefaultMemoryHeadroom is how far above the memory the Go runtime holds
// when a sweep's compute phase starts the phase lets it grow before a
// collection, when neither Job.MemoryLimit nor GOMEMLIMIT says otherwise:
// small, so that a sweep of 100,000 combinations peaks where one of 1,000
// does (BENCHMARKS.md, about one collection a second on two workers).
const DefaultMemoryHeadroom = 8 << 20

// limitMemory turns the collector from GOGC's proportion to a soft memory
// limit for the compute phase and returns what restores both. The phase's
// live heap is small and flat (a buffer and a formatter per worker, rows
// streamed out, a few chunks held for order): collecting only when the
// heap reaches the limit leaves the cores to the kernels and keeps the
// process's memory the same whatever the grid's size, where GOGC=400
// grew it with the live heap.
func (r *Job) limitMemory() func() {
	limit := r.MemoryLimit
	prev := debug.SetMemoryLimit(-1)
	if limit <= 0 && prev != math.MaxInt64 {
		limit = prev // GOMEMLIMIT (or the embedding program) set one
	}
	if limit <= 0 {
		// What the limit counts is all the memory the runtime holds (heap,
		// stacks, its own metadata), not only the heap's objects: measured
		// from the heap alone, the headroom went to the runtime's overhead
		// and the collector ran every megabyte.
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		limit = int64(ms.Sys-ms.HeapReleased) + DefaultMemoryHeadroom
	}
	debug.SetMemoryLimit(limit)
	gc := debug.SetGCPercent(-1)
	return func() {
		debug.SetGCPercent(gc)
		debug.SetMemoryLimit(prev)
	}
}
