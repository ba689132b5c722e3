package views

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestAccuracyWithoutEventsIsUndefined: a symbol with funding but no
// perpetual basis to estimate from has no event replayed; its means are
// undefined — null in JSON, "—" in text — not 0.0000 %.
func TestAccuracyWithoutEventsIsUndefined(t *testing.T) {
	l, err := lake.Open(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var rows []data.FundingRow
	for k := range 6 {
		rows = append(rows, data.FundingRow{FundingTime: t0.Add(time.Duration(8*k) * time.Hour), FundingRate: 0.0001, MarkPrice: data.Some(100), RateType: data.Regular})
	}
	if _, err := l.MergeFunding("BTCUSDT", rows, lake.WithIntervalHours(8)); err != nil {
		t.Fatal(err)
	}
	a, err := AccuracyOf(l, "BTCUSDT")
	if err != nil {
		t.Fatal(err)
	}
	if a.Events != 0 {
		t.Fatalf("%d events replayed without a basis", a.Events)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"mean_absolute_error", "bias", "mean_absolute_rate"} {
		if !strings.Contains(string(b), `"`+key+`":null`) {
			t.Errorf("JSON %s: want %s null", b, key)
		}
	}
	if got, want := strings.Join(a.Row(), " "), "BTCUSDT 0 — — —"; got != want {
		t.Errorf("text row %q, want %q", got, want)
	}
}

// TestAccuracyOfAnUnreadableBasisIsAnError: a perpetual basis file that
// cannot be read makes the view fail naming the symbol, instead of
// reporting "0 events" as if the lake had no basis.
func TestAccuracyOfAnUnreadableBasisIsAnError(t *testing.T) {
	l := comparisonLake(t)
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := l.MergeFunding("BTCUSDT", []data.FundingRow{{FundingTime: t0, FundingRate: 0.0001, MarkPrice: data.Some(100), RateType: data.Regular}}, lake.WithIntervalHours(8)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(l.Root(), "basis", "pair=BTCUSDT", "contract_type=PERPETUAL", "period=1h", "data.parquet")
	if err := os.WriteFile(path, []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := AccuracyOf(l, "BTCUSDT"); err == nil || !strings.Contains(err.Error(), "BTCUSDT") {
		t.Errorf("unreadable basis: %v, want an error naming BTCUSDT", err)
	}
}
