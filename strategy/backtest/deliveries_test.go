package backtest

import (
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestPerpetualRowIsNoDelivery: the backfill stores the perpetual's own
// contract row (its status; a delisted perpetual's delisting date as its
// delivery): deliveries must read only the quarters' rows, or a delisted
// perpetual's date would be taken for a quarter's delivery.
func TestPerpetualRowIsNoDelivery(t *testing.T) {
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	q := time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)
	delisted := time.Date(2026, 2, 10, 9, 0, 0, 0, time.UTC) // not a quarter's rule date
	if _, err := l.MergeContracts("XYZUSDT", []data.ContractRow{
		{Symbol: "XYZUSDT_260327", ContractType: data.CurrentQuarter, DeliveryDate: q, Status: "TRADING"},
		{Symbol: "XYZUSDT", ContractType: data.Perpetual, DeliveryDate: delisted, Status: "SETTLING"},
	}); err != nil {
		t.Fatal(err)
	}
	ds, _, known, err := deliveries(l, "XYZUSDT", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if known != 1 {
		t.Errorf("%d contracts known, want the quarter only", known)
	}
	for _, d := range ds {
		if d.Equal(delisted) {
			t.Errorf("deliveries %v hold the perpetual's delisting date", ds)
		}
	}
}
