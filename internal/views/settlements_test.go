package views

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestSettlementsNewestFirst: the newest limit rows, newest first, whatever
// limit is against the ledger's length.
func TestSettlementsNewestFirst(t *testing.T) {
	dir := t.TempDir()
	ledger := "id,symbol,position_id,funding_rate,position_size,payment,settled_at\n"
	for i := 1; i <= 5; i++ {
		ledger += fmt.Sprintf("%d,BTCUSDT,1,0.0001,100,0.01,2026-03-0%dT08:00:00Z\n", i, i)
	}
	if err := os.WriteFile(filepath.Join(dir, "ledger.csv"), []byte(ledger), 0o644); err != nil {
		t.Fatal(err)
	}
	for limit, want := range map[int][]int{1: {5}, 2: {5, 4}, 4: {5, 4, 3, 2}, 5: {5, 4, 3, 2, 1}, 9: {5, 4, 3, 2, 1}} {
		got, err := Settlements(dir, limit)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("limit %d: %v, want %v", limit, ids, want)
		}
	}
}
