package data

import (
	"testing"
	"time"
)

// calendarT0 is strategy/backtest's test start, where this test was first written.
var calendarT0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

func TestDeliveriesUseTheLakeThenTheRule(t *testing.T) {
	if got := QuarterlyDelivery(2026, time.March); !got.Equal(time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("March 2026 delivery %s", got)
	}
	// The lake knows an unusual June delivery (a Thursday); the rule fills
	// the other quarters.
	june := time.Date(2026, 6, 25, 8, 0, 0, 0, time.UTC)
	ds, ruled := Deliveries([]ContractRow{{DeliveryDate: june}}, calendarT0, calendarT0.AddDate(0, 4, 0))
	if !ContractDelivery(ds, calendarT0, CurrentQuarter).Equal(time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)) ||
		!ContractDelivery(ds, calendarT0, NextQuarter).Equal(june) ||
		!ContractDelivery(ds, time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC), CurrentQuarter).Equal(june) || ruled == 0 {
		t.Errorf("deliveries %v", ds)
	}
}
