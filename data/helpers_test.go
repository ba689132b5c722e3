package data

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
)

// newTestLake opens a lake in a temporary directory whose allocator fails the
// test if any Arrow buffer leaks.
func newTestLake(t *testing.T) *Lake {
	t.Helper()
	l, err := Open(t.TempDir(), WithClock(func() time.Time { return time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC) }))
	if err != nil {
		t.Fatal(err)
	}
	mem := memory.NewCheckedAllocator(memory.NewGoAllocator())
	l.mem = mem
	t.Cleanup(func() { mem.AssertSize(t, 0) })
	return l
}

func ms(v int64) time.Time { return time.UnixMilli(v).UTC() }

func hour(h int) time.Time {
	return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(h) * time.Hour)
}

func perpKey() BasisKey { return BasisKey{Pair: "BTCUSDT", ContractType: Perpetual, Period: "1h"} }

func basisRow(h int, index, futures float64) BasisRow {
	return BasisRow{Timestamp: hour(h), IndexPrice: index, FuturesPrice: futures, Basis: futures - index, BasisRate: (futures - index) / index}
}
