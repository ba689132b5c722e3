package sweep

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// TestResultsTimesAreTimestamps: in results.parquet the summary's instants
// (the drawdown's peak, trough and recovery, the worst margin's time, the
// liquidation) are TIMESTAMP(MILLIS, UTC) columns holding the instant
// results.csv writes as RFC 3339 text (parsed here independently), null
// where the CSV cell is empty; the funding statistics by interval are
// columns (8h events in the simulated BTCUSDT), not a JSON cell.
func TestResultsTimesAreTimestamps(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sweep")
	runSweep(t, simLake(t), expand(t, "symbols: [BTCUSDT]\nleverage: [1, 3, 10]\n"), dir, 0, 1, 1)
	f, err := os.Open(filepath.Join(dir, ResultsCSV))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	tb, _, _, err := lake.ReadTable(filepath.Join(dir, ResultsParquet))
	if err != nil {
		t.Fatal(err)
	}
	header := recs[0]
	if !slices.Equal(tb.Names, header) || tb.Rows != len(recs)-1 {
		t.Fatalf("results.parquet: %d rows of %v", tb.Rows, tb.Names)
	}
	times, nonNull := 0, 0
	for c, name := range header {
		isTime := slices.Contains([]string{"max_drawdown_peak", "max_drawdown_trough", "max_drawdown_recovery", "worst_margin_ratio_at", "liquidated_at"}, name)
		if isTime != (tb.Kinds[c] == data.Time) {
			t.Errorf("column %s: kind %v", name, tb.Kinds[c])
		}
		if !isTime {
			continue
		}
		times++
		for i, rec := range recs[1:] {
			want := int64(data.NullTime)
			if rec[c] != "" {
				at, err := time.Parse(time.RFC3339, rec[c])
				if err != nil {
					t.Fatalf("%s %q: %v", name, rec[c], err)
				}
				want = at.UnixMilli()
				nonNull++
			}
			if tb.Ints[c][i] != want {
				t.Errorf("%s row %d: %d ms, the CSV says %q", name, i, tb.Ints[c][i], rec[c])
			}
		}
	}
	if times != 5 || nonNull == 0 {
		t.Errorf("%d time columns, %d instants", times, nonNull)
	}
	if slices.Contains(header, "funding_stats_by_interval") {
		t.Error("the by-interval statistics are still one JSON cell")
	}
	c := slices.Index(header, "funding_stats_by_interval_8h_events")
	if c < 0 || tb.Kinds[c] != data.Int || tb.Ints[c][0] == 0 {
		t.Errorf("funding_stats_by_interval_8h_events: column %d", c)
	}
}
