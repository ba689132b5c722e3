package lake

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// candles are hourly candles at hours from..to-1, priced p+h.
func candles(from, to int, p float64) []data.KlineRow {
	rows := make([]data.KlineRow, 0, to-from)
	for h := from; h < to; h++ {
		rows = append(rows, candle(h, p+float64(h)))
	}
	return rows
}

// countWrites counts the files the lake puts in place.
func countWrites(l *Lake) *int {
	n := 0
	l.beforeRename = func(string) error { n++; return nil }
	return &n
}

// mergeAll merges batches in one session and commits.
func mergeAll(t *testing.T, l *Lake, key data.KlineKey, batches ...[]data.KlineRow) MergeResult {
	t.Helper()
	m, err := l.StartKlineMerge(key)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Abort()
	for _, b := range batches {
		if _, err := m.Add(b); err != nil {
			t.Fatal(err)
		}
	}
	res, err := m.Commit()
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// wantSeries reads the series and compares it with want, candle by candle.
func wantSeries(t *testing.T, l *Lake, key data.KlineKey, want []data.KlineRow) {
	t.Helper()
	got, err := l.ReadKlines(key)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(want) {
		t.Fatalf("stored %d candles, want %d", len(got.Rows), len(want))
	}
	for i := range want {
		if got.Rows[i] != want[i] {
			t.Fatalf("candle %d stored as %+v, want %+v", i, got.Rows[i], want[i])
		}
	}
}

// rowGroups returns the row counts of the file's row groups.
func rowGroups(t *testing.T, path string) []int64 {
	t.Helper()
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var n []int64
	for i := range r.NumRowGroups() {
		n = append(n, r.MetaData().RowGroup(i).NumRows())
	}
	return n
}

// TestKlineMergeWritesOnce: batches in time order, as an import hands them
// over (a month each), cost one write of the series, stream it in row
// groups of at most streamGroupRows, and store what one merge of all the
// rows stores.
func TestKlineMergeWritesOnce(t *testing.T) {
	l := newTestLake(t)
	writes := countWrites(l)
	key := perpKlinesKey()
	var batches [][]data.KlineRow
	const from = -3000  // before the lake's clock, all closed
	for m := range 14 { // 14 "months" of 720 hours: 10,080 candles, 3 row groups
		batches = append(batches, candles(from+m*720, from+(m+1)*720, 5000))
	}
	res := mergeAll(t, l, key, batches...)
	if *writes != 1 {
		t.Errorf("%d writes, want 1", *writes)
	}
	if res.Added != 14*720 || res.Rows != 14*720 || res.Missing != 0 || !res.Written {
		t.Errorf("merge = %+v, want %d added and stored, none missing", res, 14*720)
	}
	wantSeries(t, l, key, candles(from, from+14*720, 5000))
	groups := rowGroups(t, l.KlinesPath(key))
	for _, n := range groups {
		if n > streamGroupRows {
			t.Errorf("row groups %v: one above %d rows", groups, streamGroupRows)
		}
	}
	if len(groups) != 3 {
		t.Errorf("row groups %v, want 3 (4096, 4096, 1888)", groups)
	}
}

// TestKlineMergeUpsertsIntoStored: batches inside and around a stored
// series replace, add and leave candles as one MergeKlines of the same
// rows would; gaps are counted over the result.
func TestKlineMergeUpsertsIntoStored(t *testing.T) {
	l := newTestLake(t)
	key := perpKlinesKey()
	stored := append(candles(0, 10, 100), candles(20, 30, 100)...) // hours 10-19 missing
	if _, err := l.MergeKlines(key, stored); err != nil {
		t.Fatal(err)
	}
	writes := countWrites(l)
	revised := candles(5, 8, 200) // hours 5-7 revised
	filled := candles(12, 15, 100)
	appended := candles(28, 33, 100) // 28, 29 unchanged, 30-32 new
	res := mergeAll(t, l, key, revised, filled, appended)
	if res.Added != 6 || res.Updated != 3 || res.Unchanged != 2 || res.Rows != 26 || res.Missing != 7 {
		t.Errorf("merge = %+v, want 6 added (12-14, 30-32), 3 updated, 2 unchanged, 26 rows, 7 missing (10, 11, 15-19)", res)
	}
	if *writes != 1 {
		t.Errorf("%d writes, want 1", *writes)
	}
	want := append(append(append(append(candles(0, 5, 100), revised...), candles(8, 10, 100)...), filled...), candles(20, 33, 100)...)
	wantSeries(t, l, key, want)
}

// TestKlineMergeOutOfOrder: a batch before candles already merged (a
// missing month's days fetched from REST after the archive's months) is
// merged correctly by starting over on what was written.
func TestKlineMergeOutOfOrder(t *testing.T) {
	l := newTestLake(t)
	writes := countWrites(l)
	key := perpKlinesKey()
	res := mergeAll(t, l, key, candles(100, 200, 100), candles(0, 50, 100), candles(40, 120, 300), candles(300, 310, 100))
	wantSeries(t, l, key, append(append(append(candles(0, 40, 100), candles(40, 120, 300)...), candles(120, 200, 100)...), candles(300, 310, 100)...))
	if res.Rows != 210 || res.Missing != 100 || res.Added != 210 || res.Updated != 30 {
		t.Errorf("merge = %+v, want 210 rows (0-199, 300-309), 100 missing, 210 added, 30 updated (40-49, 100-119 revised)", res)
	}
	if *writes != 3 {
		t.Errorf("%d writes, want 3 (a checkpoint before each of the two earlier batches, and the commit)", *writes)
	}
}

// TestKlineMergeNothingChanged: a session that adds only stored candles,
// or nothing, leaves the file as it was and writes nothing; a state change
// alone is written.
func TestKlineMergeNothingChanged(t *testing.T) {
	l := newTestLake(t)
	key := perpKlinesKey()
	if _, err := l.MergeKlines(key, candles(0, 50, 100)); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(l.KlinesPath(key))
	writes := countWrites(l)
	res := mergeAll(t, l, key, candles(10, 20, 100), nil, candles(45, 50, 100))
	if res.Written || res.Unchanged != 15 || res.Rows != 50 || *writes != 0 {
		t.Errorf("merge = %+v, %d writes; want 15 unchanged, 50 rows, no write", res, *writes)
	}
	if after, _ := os.ReadFile(l.KlinesPath(key)); !bytes.Equal(before, after) {
		t.Error("a merge without changes rewrote the file")
	}
	span := data.Span{From: hour(0), To: hour(50).Add(-time.Millisecond)}
	m, err := l.StartKlineMerge(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Add(nil, WithCovered(span)); err != nil {
		t.Fatal(err)
	}
	if res, err := m.Commit(); err != nil || !res.Written || *writes != 1 {
		t.Fatalf("covering merge = %+v, %v, %d writes; want one write", res, err, *writes)
	}
	got, _ := l.ReadKlines(key)
	if !reflect.DeepEqual(got.State.Covered, data.Spans{span}) {
		t.Errorf("covered = %v, want %v", got.State.Covered, span)
	}
	wantSeries(t, l, key, candles(0, 50, 100))
}

// TestKlineMergeAbortKeepsStored: an aborted session (the process told to
// stop before its commit) leaves the stored file and no temporary file.
func TestKlineMergeAbortKeepsStored(t *testing.T) {
	l := newTestLake(t)
	key := perpKlinesKey()
	if _, err := l.MergeKlines(key, candles(0, 10, 100)); err != nil {
		t.Fatal(err)
	}
	m, err := l.StartKlineMerge(key)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Add(candles(5, 5000, 300)); err != nil {
		t.Fatal(err)
	}
	m.Abort()
	m.Abort() // idempotent
	if _, err := m.Add(candles(6000, 6001, 1)); err == nil {
		t.Error("Add after Abort succeeded")
	}
	wantSeries(t, l, key, candles(0, 10, 100))
	entries, _ := os.ReadDir(filepath.Dir(l.KlinesPath(key)))
	for _, e := range entries {
		if atomicfile.IsTemp(e.Name()) {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
	// The partition is unlocked again.
	if _, err := l.MergeKlines(key, candles(10, 11, 100)); err != nil {
		t.Fatal(err)
	}
}

// TestKlineMergeBadBatchAlone: an invalid batch fails alone, naming the
// candle; the session's other batches are stored.
func TestKlineMergeBadBatchAlone(t *testing.T) {
	l := newTestLake(t)
	key := perpKlinesKey()
	m, err := l.StartKlineMerge(key)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Abort()
	if _, err := m.Add(candles(0, 10, 100)); err != nil {
		t.Fatal(err)
	}
	bad := candles(10, 12, 100)
	bad[1].OpenTime = bad[1].OpenTime.Add(time.Minute)
	if _, err := m.Add(bad); err == nil {
		t.Fatal("a candle off the grid was taken")
	}
	if _, err := m.Add(candles(10, 20, 100)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Commit(); err != nil {
		t.Fatal(err)
	}
	wantSeries(t, l, key, candles(0, 20, 100))
}

// TestKlineMergeCheckpoints: a long session writes what it has once it has
// changed as many rows as the series held at its last write (and at least
// checkpointRows), so that a killed import keeps most of its work while
// the rows written stay within about twice the series.
func TestKlineMergeCheckpoints(t *testing.T) {
	l := newTestLake(t)
	old := checkpointRows
	checkpointRows = 100
	t.Cleanup(func() { checkpointRows = old })
	writes := countWrites(l)
	key := perpKlinesKey()
	var batches [][]data.KlineRow
	for i := range 20 { // 2,000 candles in batches of 100
		batches = append(batches, candles(i*100, (i+1)*100, 100))
	}
	mergeAll(t, l, key, batches...)
	wantSeries(t, l, key, candles(0, 2000, 100))
	// Writes when the series held 100, 200, 400, 800 and 1,600 rows, and
	// the commit: 5,100 rows written for 2,000.
	if *writes != 6 {
		t.Errorf("%d writes, want 6 (at 100, 200, 400, 800, 1,600 rows and the commit)", *writes)
	}
}

// TestKlineMergeDamagedStored: a damaged stored file fails the session
// before any work, or is set aside on a lake that rebuilds.
func TestKlineMergeDamagedStored(t *testing.T) {
	l := newTestLake(t)
	key := perpKlinesKey()
	path := l.KlinesPath(key)
	os.MkdirAll(filepath.Dir(path), 0o777)
	if err := os.WriteFile(path, []byte("not parquet"), 0o644); err != nil {
		t.Fatal(err)
	}
	var damaged *DamagedError
	if _, err := l.StartKlineMerge(key); !errors.As(err, &damaged) {
		t.Fatalf("err = %v, want a *DamagedError", err)
	}
	l.rebuildDamaged = true
	res := mergeAll(t, l, key, candles(0, 3, 100))
	if res.Rows != 3 {
		t.Errorf("merge = %+v, want the series rebuilt with 3 rows", res)
	}
	aside, _ := l.SetAsideFiles()
	if len(aside) != 1 {
		t.Errorf("set aside %v, want the damaged file", aside)
	}
}

// TestKlineMergeMatchesModel: random batches, in random order, store what
// a map from open time to the last candle given holds.
func TestKlineMergeMatchesModel(t *testing.T) {
	for seed := range 30 {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			l := newTestLake(t)
			key := perpKlinesKey()
			x := uint64(seed*7919 + 1)
			next := func(n int) int { x = x*6364136223846793005 + 1442695040888963407; return int(x>>33) % n }
			model := map[int64]data.KlineRow{}
			var batches [][]data.KlineRow
			for range 8 {
				from := next(300)
				bt := candles(from, from+1+next(60), float64(100+next(3)))
				for _, r := range bt {
					model[r.OpenTime.UnixMilli()] = r
				}
				batches = append(batches, bt)
			}
			if next(2) == 0 { // half the cases start from a stored series
				stored := candles(next(100), 150+next(100), 50)
				if _, err := l.MergeKlines(key, stored); err != nil {
					t.Fatal(err)
				}
				for _, r := range stored {
					if _, ok := model[r.OpenTime.UnixMilli()]; !ok {
						model[r.OpenTime.UnixMilli()] = r
					}
				}
			}
			res := mergeAll(t, l, key, batches...)
			want := slices.SortedFunc(maps.Values(model), func(a, b data.KlineRow) int { return a.OpenTime.Compare(b.OpenTime) })
			wantSeries(t, l, key, want)
			missing := 0
			for i := 1; i < len(want); i++ {
				missing += int(want[i].OpenTime.Sub(want[i-1].OpenTime)/time.Hour) - 1
			}
			if res.Rows != len(want) || res.Missing != missing {
				t.Errorf("merge = %+v, want %d rows, %d missing", res, len(want), missing)
			}
		})
	}
}

// TestKlineMergeCheckpointsByTime: a session that has written one file for
// checkpointAfter puts it in place, so a slow REST import keeps its work.
func TestKlineMergeCheckpointsByTime(t *testing.T) {
	l := newTestLake(t)
	now := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	l.now = func() time.Time { return now }
	writes := countWrites(l)
	m, err := l.StartKlineMerge(perpKlinesKey())
	if err != nil {
		t.Fatal(err)
	}
	defer m.Abort()
	for i := range 8 {
		if _, err := m.Add(candles(i*10-100, i*10-90, 1000)); err != nil {
			t.Fatal(err)
		}
		now = now.Add(4 * time.Minute)
	}
	// Batches every 4 minutes: the file started at minute 0 is put in
	// place at minute 12, the next one (started at 16) at minute 28.
	if *writes != 2 {
		t.Errorf("%d writes before the commit, want 2", *writes)
	}
	if _, err := m.Commit(); err != nil {
		t.Fatal(err)
	}
	wantSeries(t, l, perpKlinesKey(), candles(-100, -20, 1000))
}
