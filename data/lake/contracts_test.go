package lake

import (
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

func TestContractsRoundTripAndAccumulate(t *testing.T) {
	l := newTestLake(t)
	mar := data.ContractRow{Symbol: "BTCUSDT_260327", ContractType: data.CurrentQuarter, DeliveryDate: time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC), OnboardDate: hour(0), Status: "TRADING"}
	jun := data.ContractRow{Symbol: "BTCUSDT_260626", ContractType: data.NextQuarter, DeliveryDate: time.Date(2026, 6, 26, 8, 0, 0, 0, time.UTC), OnboardDate: hour(0), Status: "TRADING"}
	if _, err := l.MergeContracts("BTCUSDT", []data.ContractRow{jun, mar}); err != nil {
		t.Fatal(err)
	}
	// Later exchangeInfo lists June as current and a new September; March
	// is delivered and no longer listed, but stays known.
	jun.ContractType = data.CurrentQuarter
	sep := data.ContractRow{Symbol: "BTCUSDT_260925", ContractType: data.NextQuarter, DeliveryDate: time.Date(2026, 9, 25, 8, 0, 0, 0, time.UTC), OnboardDate: hour(0), Status: "TRADING"}
	res, err := l.MergeContracts("BTCUSDT", []data.ContractRow{jun, sep})
	if err != nil || res.Added != 1 || res.Updated != 1 {
		t.Fatalf("merge %+v, %v", res, err)
	}
	got, err := l.ReadContracts("BTCUSDT")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0] != mar || got[1] != jun || got[2] != sep {
		t.Errorf("contracts %+v", got)
	}
}
