package book

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// TestWriteRun writes handBook's files and checks each one's header and
// a row against handBook's numbers (written exactly as the decimals are).
func TestWriteRun(t *testing.T) {
	out, err := Summarize(handBook(), Setting{Universe: "AAAUSDT,BBBUSDT"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteRun(dir, out); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		file   string
		header string
		row    int // data row checked (1 = the first after the header)
		want   string
		rows   int // data rows
	}{
		{HoldingsCSV, "time,AAAUSDT,BBBUSDT", 2, "2026-01-01T01:00:00Z,0.5,0.49", 5},
		{TradesCSV, "time,symbol,position_id,leg,side,quantity,price,fee,reason", 2, "2026-01-01T03:00:00Z,BBBUSDT,1,perp,buy,24.5,10.001,0.1225,delist", 2},
		{LedgerCSV, "time,symbol,position_id,funding_time,rate,mark_price,mark_price_missing,quantity,position_size,payment", 2,
			"2026-01-01T02:00:00Z,BBBUSDT,1,2026-01-01T02:00:00Z,-0.0002,10,false,49,500,-0.1", 3},
		// Drawdown at 03:00: 1002/1003 − 1 = −0.000997008973080757… (float64 as Go prints it).
		{EquityCSV, "time,equity,cash,cum_funding,cum_fees,basis_pnl,forfeit,traded,holdings,drawdown", 4,
			"2026-01-01T03:00:00Z,1002,500,0.7,4.5,5.8,0,500,1,-0.0009970089730807485", 5},
	}
	for _, c := range cases {
		rows := readCSV(t, filepath.Join(dir, c.file))
		if got := strings.Join(rows[0], ","); got != c.header {
			t.Errorf("%s header %q, want %q", c.file, got, c.header)
		}
		if len(rows)-1 != c.rows {
			t.Errorf("%s has %d rows, want %d", c.file, len(rows)-1, c.rows)
			continue
		}
		if got := strings.Join(rows[c.row], ","); got != c.want {
			t.Errorf("%s row %d %q, want %q", c.file, c.row, got, c.want)
		}
	}

	// summary.csv: one row, as many cells as columns, and the JSON's keys.
	sum := readCSV(t, filepath.Join(dir, SummaryCSV))
	if len(sum) != 2 || len(sum[0]) != len(sum[1]) {
		t.Fatalf("summary.csv %d rows", len(sum))
	}
	for _, col := range []string{"turnover", "average_holdings", "concentration_hhi", "max_weight", "btc_carry_available", "btc_spot_total_return", "universe_median_funding_apr"} {
		if !slices.Contains(sum[0], col) {
			t.Errorf("summary.csv lacks %s", col)
		}
	}
	contrib := readCSV(t, filepath.Join(dir, ContributionsCSV))
	if len(contrib) != 3 || contrib[0][0] != "symbol" || contrib[2][0] != "BBBUSDT" || contrib[2][slices.Index(contrib[0], "net")] != "-2.1" {
		t.Errorf("contributions.csv %v", contrib)
	}
	b, err := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if err != nil {
		t.Fatal(err)
	}
	var js map[string]any
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	if js["final_equity"] != 1004.0 || len(js["contributions"].([]any)) != 2 || js["universe"] != "AAAUSDT,BBBUSDT" {
		t.Errorf("summary.json final %v contributions %v universe %v", js["final_equity"], js["contributions"], js["universe"])
	}
}
