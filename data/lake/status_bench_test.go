package lake

import (
	"fmt"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// BenchmarkStatusTwoThousandSeries: Status over 2,000 series (100 under
// -short) — the funding and the hourly PERPETUAL basis of 1,000 symbols,
// 1,000 to 3,000 funding events and 500 to 1,500 basis rows each, each
// with a gap. Metric s/status, target ≤ 1 s (issue 14): "footers" is
// Status (footers, in parallel), "rows" the fallback forced for every
// series (rows, in parallel), "rows-one-thread" the fallback on one thread
// as Status read the lake before (11.6 s when the issue was filed). Also
// cpu-s/status: the CPU time (user and system) a status takes, which load
// from other jobs on the machine changes less than wall time.
func BenchmarkStatusTwoThousandSeries(b *testing.B) {
	symbols := 1000
	if testing.Short() {
		symbols = 50
	}
	l := statusBenchLake(b, symbols)
	for _, c := range []struct {
		name        string
		fromFooters bool
		procs       int
	}{{"footers", true, 0}, {"rows", false, 0}, {"rows-one-thread", false, 1}} {
		b.Run(c.name, func(b *testing.B) {
			if c.procs > 0 {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			}
			cpu := cpuTime()
			for b.Loop() {
				st, err := l.status(c.fromFooters)
				if err != nil || len(st) != 2*symbols || st[0].Failed() || st[0].Missing == 0 {
					b.Fatalf("status: %d series, %v", len(st), err)
				}
			}
			b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/status")
			b.ReportMetric((cpuTime()-cpu).Seconds()/float64(b.N), "cpu-s/status")
		})
	}
}

// cpuTime is the process's CPU time so far (user and system): on a machine
// shared with other jobs, wall time says as much about them as about us.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// statusBenchLake writes the benchmark's lake, symbols in parallel.
func statusBenchLake(b *testing.B, symbols int) *Lake {
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	l, err := Open(b.TempDir(), WithClock(func() time.Time { return now }))
	if err != nil {
		b.Fatal(err)
	}
	var mu sync.Mutex
	var failed error
	inParallel(symbols, func(i int) {
		if err := writeStatusBenchSymbol(l, i, now); err != nil {
			mu.Lock()
			failed = err
			mu.Unlock()
		}
	})
	if failed != nil {
		b.Fatal(failed)
	}
	return l
}

// writeStatusBenchSymbol writes symbol i's funding (8h) and basis (1h),
// both ending at now, each missing one point near its middle.
func writeStatusBenchSymbol(l *Lake, i int, now time.Time) error {
	sym := fmt.Sprintf("S%04dUSDT", i)
	events, hours := 1000+(i*7919)%2001, 500+(i*104729)%1001
	funding := make([]data.FundingRow, 0, events)
	for e := range events {
		if e == events/2 {
			continue
		}
		at := now.Add(-time.Duration(events-e) * 8 * time.Hour)
		funding = append(funding, data.FundingRow{FundingTime: at.Add(time.Duration(e%7) * time.Millisecond), FundingRate: 0.0001 * float64(e%5), MarkPrice: data.Some(100 + float64(e%100)), RateType: data.Regular})
	}
	from := now.Add(-time.Duration(events) * 8 * time.Hour)
	if _, err := l.MergeFunding(sym, funding, WithIntervalHours(8), WithHistoryStart(from), WithCovered(data.Span{From: from, To: now})); err != nil {
		return err
	}
	basis := make([]data.BasisRow, 0, hours)
	for h := range hours {
		if h == hours/2 {
			continue
		}
		at := now.Add(-time.Duration(hours-h) * time.Hour)
		idx, fut := 100+float64(h%50), 100.5+float64(h%50)
		basis = append(basis, data.BasisRow{Timestamp: at, IndexPrice: idx, FuturesPrice: fut, Basis: fut - idx, BasisRate: (fut - idx) / idx})
	}
	key := data.BasisKey{Pair: sym, ContractType: data.Perpetual, Period: "1h"}
	_, err := l.MergeBasis(key, basis, WithCovered(data.Span{From: now.Add(-time.Duration(hours) * time.Hour), To: now}))
	return err
}
