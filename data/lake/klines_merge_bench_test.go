package lake

import (
	"runtime"
	"testing"
	"time"
)

// BenchmarkKlineMergeMemory: the live heap (after a collection, at every
// batch) while one KlineMerge takes one year and five years (one and two
// under -short) of hourly candles in monthly batches, as an archive import
// hands them over. Metric live-ratio, target ≤ 1.10 (issue 13: memory flat
// in the number of months): the lake holds a row group of the new file and
// one of the stored file, never the series.
func BenchmarkKlineMergeMemory(b *testing.B) {
	long := 5
	if testing.Short() {
		long = 2
	}
	mergeLiveHeap(b, 1) // pools and codecs made on first use are not the merge's
	var short, far uint64
	for b.Loop() {
		short = max(short, mergeLiveHeap(b, 1))
		far = max(far, mergeLiveHeap(b, long))
	}
	b.ReportMetric(float64(short)/(1<<20), "MiB-live-1y")
	b.ReportMetric(float64(far)/(1<<20), "MiB-live-long")
	b.ReportMetric(float64(far)/float64(short), "live-ratio")
}

// mergeLiveHeap merges years of hourly candles into a fresh lake, a month
// (744 candles) a batch, and returns the largest live heap seen after a
// batch, above the heap before the merge.
func mergeLiveHeap(b *testing.B, years int) uint64 {
	l, err := Open(b.TempDir(), WithClock(func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		b.Fatal(err)
	}
	live := func() uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	m, err := l.StartKlineMerge(perpKlinesKey())
	if err != nil {
		b.Fatal(err)
	}
	defer m.Abort()
	var peak uint64
	from, n := -20000, years*8760
	for at := from; at < from+n; at += 744 {
		if _, err := m.Add(candles(at, min(at+744, from+n), 50000)); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, live())
	}
	if res, err := m.Commit(); err != nil || res.Rows != n {
		b.Fatalf("merge: %+v, %v", res, err)
	}
	return peak - min(peak, base)
}
