package data

import (
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/sharedtest"
)

func fundingAt(hours ...int) []FundingRow {
	rows := make([]FundingRow, len(hours))
	for i, h := range hours {
		// A few ms late, as Binance stamps them.
		rows[i] = FundingRow{FundingTime: hour(h).Add(time.Duration(i%7) * time.Millisecond), FundingRate: 0.0001, RateType: Regular}
	}
	return rows
}

func intervals(rows []FundingRow) []int {
	out := make([]int, len(rows))
	for i, r := range rows {
		out[i] = r.FundingIntervalHours
	}
	return out
}

func TestInferFundingSchedule(t *testing.T) {
	cases := []struct {
		name        string
		hours       []int
		fallback    int
		want        []int
		wantMissing int
	}{
		{"steady 8h", []int{0, 8, 16, 24}, 0, []int{8, 8, 8, 8}, 0},
		{"8h to 4h", []int{0, 8, 16, 20, 24}, 0, []int{8, 8, 8, 4, 4}, 0},
		{"4h to 8h", []int{0, 4, 8, 16, 24}, 0, []int{4, 4, 4, 8, 8}, 0},
		{"missing one event of a 4h schedule", []int{0, 4, 8, 16, 20}, 0, []int{4, 4, 4, 4, 4}, 1},
		{"missing two days of 8h", []int{0, 8, 16, 40, 48}, 0, []int{8, 8, 8, 8, 8}, 2},
		// ANIMEUSDT, March 2026: hourly, then a 3h period, then 4h.
		{"1h to 4h through a 3h period", []int{0, 1, 2, 5, 9, 13}, 0, []int{1, 1, 1, 3, 4, 4}, 0},
		{"lone event takes fallback", []int{0}, 4, []int{4}, 0},
		{"no events", nil, 0, []int{}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows := fundingAt(c.hours...)
			gaps := InferFundingSchedule(rows, c.fallback)
			if got := intervals(rows); !equalInts(got, c.want) {
				t.Errorf("intervals = %v, want %v", got, c.want)
			}
			missing := 0
			for _, g := range gaps {
				missing += g.Missing
			}
			if missing != c.wantMissing {
				t.Errorf("missing = %d (gaps %v), want %d", missing, gaps, c.wantMissing)
			}
		})
	}
}

func TestInferFundingScheduleSpecialEvent(t *testing.T) {
	rows := fundingAt(0, 8, 16, 24)
	special := FundingRow{FundingTime: hour(19), FundingRate: -0.001, RateType: Special}
	rows = append(rows[:3], append([]FundingRow{special}, rows[3:]...)...)
	gaps := InferFundingSchedule(rows, 0)
	if got := intervals(rows); !equalInts(got, []int{8, 8, 8, 8, 8}) {
		t.Errorf("intervals = %v, want all 8 (the special event takes the interval in force)", got)
	}
	if len(gaps) != 0 {
		t.Errorf("gaps = %v, want none", gaps)
	}
}

func TestInferFundingScheduleGapBounds(t *testing.T) {
	rows := fundingAt(0, 8, 16, 40, 48)
	gaps := InferFundingSchedule(rows, 0)
	want := Gap{From: hour(24), To: hour(32), Missing: 2}
	if len(gaps) != 1 || gaps[0] != want {
		t.Fatalf("gaps = %v, want [%v]", gaps, want)
	}
}

// TestInferFundingScheduleRealIntervalChanges runs the inference over real
// Binance histories whose interval changed in 2026 Q1 (shared/ material).
func TestInferFundingScheduleRealIntervalChanges(t *testing.T) {
	dir := sharedtest.Path(t, "realdata/raw")
	cases := []struct {
		file     string
		cadences []int // interval runs in order
	}{
		{"gravestone-funding-ALICEUSDT-2026Q1.csv", []int{8, 1, 4}},
		{"gravestone-funding-ANKRUSDT-2026Q1.csv", []int{8, 1}},
		{"gravestone-funding-ANIMEUSDT-2026Q1.csv", []int{4, 1, 3, 4}},
		{"gravestone-funding-BTCUSDT-2026Q1.csv", []int{8}},
		{"gravestone-funding-1000BONKUSDT-2026Q1.csv", []int{4}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			rows := readCollectorCSV(t, filepath.Join(dir, c.file))
			gaps := InferFundingSchedule(rows, 0)
			if len(gaps) != 0 {
				t.Errorf("gaps = %v; the recording is complete", gaps)
			}
			var runs []int
			for _, r := range rows {
				if len(runs) == 0 || runs[len(runs)-1] != r.FundingIntervalHours {
					runs = append(runs, r.FundingIntervalHours)
				}
			}
			if !equalInts(runs, c.cadences) {
				t.Errorf("interval runs = %v, want %v", runs, c.cadences)
			}
		})
	}
}

func readCollectorCSV(t *testing.T, path string) []FundingRow {
	t.Helper()
	var rows []FundingRow
	for _, r := range sharedtest.ReadCSV(t, path) {
		ts, err := strconv.ParseInt(r["timestamp"], 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		rate, err := ParseExact(r["funding_rate"])
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, FundingRow{FundingTime: ms(ts), FundingRate: rate, RateType: Regular})
	}
	return rows
}

func TestBasisGaps(t *testing.T) {
	times := []time.Time{hour(0), hour(1), hour(4), hour(5), hour(7)}
	got := BasisGaps(times, "1h")
	want := []Gap{{From: hour(2), To: hour(3), Missing: 2}, {From: hour(6), To: hour(6), Missing: 1}}
	if len(got) != len(want) {
		t.Fatalf("gaps = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("gap %d = %v, want %v", i, got[i], want[i])
		}
	}
	if g := BasisGaps(times[:2], "1h"); len(g) != 0 {
		t.Errorf("contiguous series has gaps %v", g)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
