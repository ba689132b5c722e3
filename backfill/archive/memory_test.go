package archive_test

import (
	"context"
	"runtime"
	"testing"
	"time"
	"unsafe"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// TestMemoryIsFlatInTheLengthOfHistory imports a year of 15m mark candles
// (35,000 rows, about 5 MB as rows; 1h under the race detector) month by
// month and measures the live heap after each month: it must not grow with
// the months read. Keeping the history would grow it by ~5/6 of the rows'
// size between the first months and the last; the test allows a third, and
// compares means of three months so that one month's stray buffer (an HTTP
// read, the prefetched next file) is not mistaken for a trend.
func TestMemoryIsFlatInTheLengthOfHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of candles")
	}
	const months = 12
	iv, step := "15m", 15*time.Minute
	if raceEnabled {
		iv, step = "1h", time.Hour
	}
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	s := binancesim.ArchiveSeries{Market: "futures/um", Dataset: "markPriceKlines", Symbol: "BTCUSDT", Interval: iv}
	for m := range months {
		start := day("2023-01-01").AddDate(0, m, 0)
		a.AddKlines(s, false, start, monthCandles(start, step))
	}
	d := serve(t, a)
	plan, err := archive.PlanSpan(archive.Series{Dataset: archive.MarkPriceKlines, Symbol: "BTCUSDT", Interval: iv},
		data.Span{From: day("2023-01-01"), To: day("2024-01-01").Add(-time.Millisecond)}, day("2024-03-01"))
	if err != nil || len(plan.Files) != months {
		t.Fatalf("plan %v %v", plan, err)
	}
	var heap []uint64
	total := 0
	store := func(f archive.File, _ string, rows []data.KlineRow) error {
		total += len(rows)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		heap = append(heap, ms.HeapAlloc)
		return nil
	}
	res, err := archive.NewImporter(d, nil, nil, nil).ImportKlines(context.Background(), plan, store)
	if err != nil || len(res.Imported) != months {
		t.Fatalf("%v: %d imported, failed %v", err, len(res.Imported), res.Failed)
	}
	history := uint64(total) * uint64(unsafe.Sizeof(data.KlineRow{}))
	// After the first month (buffers grown to a month's rows), the live
	// heap stays within a fraction of what keeping the history would take.
	mean := func(h []uint64) int64 {
		var s uint64
		for _, v := range h {
			s += v
		}
		return int64(s / uint64(len(h)))
	}
	early, late := mean(heap[1:4]), mean(heap[months-3:])
	grow := late - early
	t.Logf("%d rows (%d KB as rows); live heap %d KB over months 2-4, %d KB over the last three (grew %d KB)", total, history/1024, early/1024, late/1024, grow/1024)
	if grow > int64(history/3) {
		t.Errorf("the live heap grew by %d KB over %d months: reading keeps history (%d KB)", grow/1024, months, history/1024)
	}
}
