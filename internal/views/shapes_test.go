package views

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

func TestEstimateIsADecimalStringOf8Places(t *testing.T) {
	for f, want := range map[float64]string{
		0.00009999999999999999: "0.0001", // float noise of the formula
		0.000123456789:         "0.00012346",
		-0.0015:                "-0.0015",
		0.00005:                "0.00005",
	} {
		if got := estimateString(f); got == nil || *got != want {
			t.Errorf("estimateString(%v) = %v, want %s", f, got, want)
		}
	}
	// End to end: the small lake's premiums vary by the hour.
	r, err := RateOf(smallLake(t), "BTCUSDT", t0.Add(24*time.Hour))
	if err != nil || r.NextFundingRate == nil || !regexp.MustCompile(`^-?[0-9]+(\.[0-9]{1,8})?$`).MatchString(*r.NextFundingRate) {
		t.Errorf("next rate %v: %v", r.NextFundingRate, err)
	}
}

func TestRateShowsItsDataTimes(t *testing.T) {
	l := smallLake(t)
	r, err := RateOf(l, "BTCUSDT", t0.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	// The 16:00 settlement's mark price, the 23:00 basis row's index price.
	if r.MarkPriceTime == nil || !r.MarkPriceTime.Equal(r.FundingTime) || r.IndexPriceTime == nil || !r.IndexPriceTime.Equal(t0.Add(23*time.Hour)) {
		t.Errorf("mark at %v, index at %v", r.MarkPriceTime, r.IndexPriceTime)
	}
	if !r.UpdatedAt.Equal(t0.Add(23 * time.Hour)) {
		t.Errorf("updated_at %v: want the newest data shown", r.UpdatedAt)
	}
	if *r.MarkPrice != "60003.5" || *r.IndexPrice != "60230" || r.FundingRate != "0.0004" || r.AnnualizedRate != "0.438" {
		t.Errorf("decimal strings: %s %s %s %s", *r.MarkPrice, *r.IndexPrice, r.FundingRate, r.AnnualizedRate)
	}
	if !r.NextFundingTime.Equal(t0.Add(24 * time.Hour)) {
		t.Errorf("next funding time %v", r.NextFundingTime)
	}
}

func TestStale(t *testing.T) {
	l := smallLake(t)
	// The newest funding row is at 16:00 with 8 h intervals: stale after
	// 08:00 the next day.
	for now, want := range map[time.Time]bool{t0.Add(32 * time.Hour): false, t0.Add(32*time.Hour + time.Millisecond): true} {
		if r, err := RateOf(l, "BTCUSDT", now); err != nil || r.Stale != want {
			t.Errorf("funding at %v: stale %v, want %v (%v)", now, r.Stale, want, err)
		}
	}
	// The newest basis rows are at 23:00, 1h series: stale after 01:00.
	for now, want := range map[time.Time]bool{t0.Add(25 * time.Hour): false, t0.Add(25*time.Hour + time.Second): true} {
		tbl, err := Basis(l, now)
		if err != nil || tbl.Stale != want || tbl.Rows[0].Stale != want || tbl.Rows[1].Stale != want {
			t.Errorf("basis at %v: %+v, want stale %v (%v)", now, tbl, want, err)
		}
	}
}

func TestHistoryNextSettlements(t *testing.T) {
	at := func(h int) time.Time { return t0.Add(time.Duration(h)*time.Hour + 5*time.Millisecond) }
	rows := []data.FundingRow{
		{FundingTime: at(0), FundingRate: 0.0001, RateType: data.Regular, FundingIntervalHours: 8},
		{FundingTime: at(8), FundingRate: 0.0002, RateType: data.Regular, FundingIntervalHours: 8},
		// 16:00 is missing from the lake.
		{FundingTime: at(24), FundingRate: 0.0004, RateType: data.Regular, FundingIntervalHours: 8},
		{FundingTime: at(27), FundingRate: 0.003, RateType: data.Special, FundingIntervalHours: 8},
		// The interval changes to 4 h.
		{FundingTime: at(28), FundingRate: 0.0005, RateType: data.Regular, FundingIntervalHours: 4},
	}
	got := nextSettlements(rows, 4)
	want := []nextSettlement{
		{at: t0.Add(8 * time.Hour), rate: 0.0002, known: true},
		{at: t0.Add(16 * time.Hour)}, // the next is missing: the schedule's, unknown
		{at: t0.Add(28 * time.Hour), rate: 0.0005, known: true},
		{at: t0.Add(28 * time.Hour), rate: 0.0005, known: true}, // a special event does not move the schedule
		{at: t0.Add(32 * time.Hour)},                            // the newest: fundingInfo's interval
	}
	for i := range want {
		if !got[i].at.Equal(want[i].at) || got[i].rate != want[i].rate || got[i].known != want[i].known {
			t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	ev := historyEvents("BTCUSDT", rows, 4, 2)
	if len(ev) != 2 || ev[0].NextFundingRate != nil || *ev[1].NextFundingRate != "0.0005" || ev[1].RateType != "Special" || ev[0].IndexPrice != nil {
		t.Errorf("events %+v", ev)
	}
}

func TestSettlementsAreStrings(t *testing.T) {
	dir := t.TempDir()
	ledger := "id,symbol,position_id,funding_rate,position_size,payment,settled_at\n" +
		"7,BTCUSDT,3,-0.00000007,3000.0250000001,0.123456789123,2026-03-01T08:00:00Z\n"
	if err := os.WriteFile(filepath.Join(dir, "ledger.csv"), []byte(ledger), 0o644); err != nil {
		t.Fatal(err)
	}
	rows, err := Settlements(dir, 10)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(rows[0])
	want := `{"id":"7","symbol":"BTCUSDT","position_id":"3","funding_rate":"-0.00000007","position_size":"3000.025","payment":"0.12345679","settled_at":"2026-03-01T08:00:00Z"}`
	if string(b) != want {
		t.Errorf("%s\nwant\n%s", b, want)
	}
}

func TestEpochMs(t *testing.T) {
	var v struct {
		At   EpochMs  `json:"at"`
		Last *EpochMs `json:"last"`
	}
	v.At = Millis(time.Date(2026, 3, 2, 0, 0, 0, 3e6, time.UTC))
	b, _ := json.Marshal(v)
	if string(b) != `{"at":1772409600003,"last":null}` {
		t.Fatalf("%s", b)
	}
	v.At = EpochMs{}
	if err := json.Unmarshal(b, &v); err != nil || v.At.UnixMilli() != 1772409600003 || v.Last != nil {
		t.Errorf("%+v %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"at":"2026-03-02T00:00:00Z"}`), &v); err == nil {
		t.Error("an RFC 3339 string read as epoch ms")
	}
}
