package lake

import (
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
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

func perpKey() data.BasisKey {
	return data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
}

func basisRow(h int, index, futures float64) data.BasisRow {
	return data.BasisRow{Timestamp: hour(h), IndexPrice: index, FuturesPrice: futures, Basis: futures - index, BasisRate: (futures - index) / index}
}

// fundingAt is one 0.01% regular event at each hour, a few ms late as Binance
// stamps them.
func fundingAt(hours ...int) []data.FundingRow {
	rows := make([]data.FundingRow, len(hours))
	for i, h := range hours {
		rows[i] = data.FundingRow{FundingTime: hour(h).Add(time.Duration(i%7) * time.Millisecond), FundingRate: 0.0001, RateType: data.Regular}
	}
	return rows
}
