package lake

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

func TestBasisRoundTripKeepsNullAnnualized(t *testing.T) {
	l := newTestLake(t)
	perp := []data.BasisRow{basisRow(0, 68878.27, 68849.9), basisRow(1, 68618.12, 68582.7)}
	q := data.BasisKey{Pair: "BTCUSDT", ContractType: data.CurrentQuarter, Period: "1h"}
	quarterly := []data.BasisRow{basisRow(0, 68878.27, 69800.1)}
	quarterly[0].AnnualizedBasisRate = data.Some(0.0789)
	// A quarterly annualized rate of exactly zero must stay zero, not null.
	zero := basisRow(1, 100, 100)
	zero.AnnualizedBasisRate = data.Some(0)
	quarterly = append(quarterly, zero)

	for key, rows := range map[data.BasisKey][]data.BasisRow{perpKey(): perp, q: quarterly} {
		if _, err := l.MergeBasis(key, rows); err != nil {
			t.Fatal(err)
		}
		got, err := l.ReadBasis(key)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got.Rows, rows) {
			t.Errorf("%s: read %+v, want %+v", key, got.Rows, rows)
		}
	}
	got, _ := l.ReadBasis(perpKey())
	if got.Rows[0].AnnualizedBasisRate.Valid {
		t.Error("PERPETUAL annualized_basis_rate came back non-null")
	}
}

func TestFundingRoundTripKeepsMissingMarkPrice(t *testing.T) {
	l := newTestLake(t)
	rows := []data.FundingRow{
		{FundingTime: ms(1638316800000), FundingRate: 0.00012689, RateType: data.Regular},
		{FundingTime: ms(1638345600000), FundingRate: 0.00029146, RateType: data.Regular},
		{FundingTime: ms(1638374400001), FundingRate: -0.00000007, MarkPrice: data.Some(101.86), RateType: data.Regular},
		{FundingTime: ms(1638376200123), FundingRate: -0.02, MarkPrice: data.Some(102.15954192), RateType: data.Special},
	}
	if _, err := l.MergeFunding("BTCUSDT", rows); err != nil {
		t.Fatal(err)
	}
	got, err := l.ReadFunding("BTCUSDT")
	if err != nil {
		t.Fatal(err)
	}
	data.InferFundingSchedule(rows, 0)
	if !reflect.DeepEqual(got.Rows, rows) {
		t.Fatalf("read\n%+v\nwant\n%+v", got.Rows, rows)
	}
	if got.Rows[0].MarkPrice.Valid || !got.Rows[2].MarkPrice.Valid {
		t.Error("mark price nullness not preserved")
	}
	if got.Rows[2].FundingTime.UnixMilli() != 1638374400001 {
		t.Error("funding_time lost its milliseconds")
	}
}

func TestMergeIsIdempotent(t *testing.T) {
	l := newTestLake(t)
	rows := []data.BasisRow{basisRow(0, 100, 101), basisRow(1, 100, 102)}
	first, err := l.MergeBasis(perpKey(), rows)
	if err != nil || first.Added != 2 || !first.Written {
		t.Fatalf("first merge = %+v, %v", first, err)
	}
	before, _ := os.ReadFile(l.BasisPath(perpKey()))
	second, err := l.MergeBasis(perpKey(), rows)
	if err != nil {
		t.Fatal(err)
	}
	if second.Added != 0 || second.Updated != 0 || second.Unchanged != 2 || second.Written {
		t.Errorf("second merge = %+v, want 2 unchanged and no write", second)
	}
	after, _ := os.ReadFile(l.BasisPath(perpKey()))
	if string(before) != string(after) {
		t.Error("an idempotent merge rewrote the file")
	}
}

func TestMergeOutOfOrderAndDuplicates(t *testing.T) {
	l := newTestLake(t)
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(5, 100, 101), basisRow(2, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	res, err := l.MergeBasis(perpKey(), []data.BasisRow{
		basisRow(4, 100, 101), basisRow(1, 100, 101), basisRow(4, 100, 101), // duplicate in the batch
		basisRow(2, 100, 109), // revises a stored row
		basisRow(3, 100, 101),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 || res.Updated != 1 || res.Rows != 5 {
		t.Errorf("merge = %+v, want 3 added, 1 updated, 5 rows", res)
	}
	got, _ := l.ReadBasis(perpKey())
	for i, r := range got.Rows {
		if want := hour(i + 1); !r.Timestamp.Equal(want) {
			t.Errorf("row %d at %s, want %s (sorted, unique)", i, r.Timestamp, want)
		}
	}
	if got.Rows[1].FuturesPrice != 109 {
		t.Errorf("revised row holds %v, want the newer 109", got.Rows[1].FuturesPrice)
	}
}

func TestMergeFundingKeysByMinute(t *testing.T) {
	l := newTestLake(t)
	a := data.FundingRow{FundingTime: hour(0).Add(3 * time.Millisecond), FundingRate: 0.0001, RateType: data.Regular}
	b := a
	b.FundingTime = hour(0).Add(7 * time.Millisecond) // the same event, stamped differently
	if _, err := l.MergeFunding("ETHUSDT", []data.FundingRow{a}); err != nil {
		t.Fatal(err)
	}
	res, err := l.MergeFunding("ETHUSDT", []data.FundingRow{b})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 1 {
		t.Errorf("rows = %d, want 1: one event per funding minute", res.Rows)
	}
}

func TestInvalidRowsLoseNothing(t *testing.T) {
	l := newTestLake(t)
	good := []data.BasisRow{basisRow(0, 100, 101)}
	if _, err := l.MergeBasis(perpKey(), good); err != nil {
		t.Fatal(err)
	}
	offGrid := basisRow(1, 100, 101)
	offGrid.Timestamp = offGrid.Timestamp.Add(time.Minute)
	zeroPrice := basisRow(2, 0, 101)
	for _, bad := range []data.BasisRow{offGrid, zeroPrice} {
		_, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(3, 100, 101), bad})
		if err == nil || !strings.Contains(err.Error(), "BTCUSDT") {
			t.Errorf("bad row %+v: err = %v, want an error naming the series", bad, err)
		}
	}
	got, _ := l.ReadBasis(perpKey())
	if !reflect.DeepEqual(got.Rows, good) {
		t.Errorf("after rejected merges the series is %+v, want %+v", got.Rows, good)
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "../x", ContractType: data.Perpetual, Period: "1h"}, good); err == nil {
		t.Error("a pair that is a path was accepted")
	}
	if _, err := l.MergeFunding("btc/usdt", nil); err == nil {
		t.Error("a lower-case symbol with a slash was accepted")
	}
}

func TestStateIsStoredInFooter(t *testing.T) {
	l := newTestLake(t)
	start := hour(-24 * 30)
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 1, 1)}, WithHistoryStart(start)); err != nil {
		t.Fatal(err)
	}
	got, _ := l.ReadBasis(perpKey())
	if !got.State.HistoryStart.Equal(start) {
		t.Errorf("history start = %s, want %s", got.State.HistoryStart, start)
	}
	// A state change alone rewrites the file; the rows stay.
	res, err := l.MergeBasis(perpKey(), nil, WithHistoryStart(start.Add(time.Hour)))
	if err != nil || !res.Written {
		t.Fatalf("state-only merge = %+v, %v", res, err)
	}
	got, _ = l.ReadBasis(perpKey())
	if len(got.Rows) != 1 || !got.State.HistoryStart.Equal(start.Add(time.Hour)) {
		t.Errorf("after a state-only merge: %+v", got)
	}
}

func TestReadMissingSeries(t *testing.T) {
	l := newTestLake(t)
	_, err := l.ReadBasis(perpKey())
	if !errors.Is(err, ErrNoSeries) || !strings.Contains(err.Error(), "BTCUSDT PERPETUAL 1h") {
		t.Errorf("err = %v, want ErrNoSeries naming the series", err)
	}
	_, err = l.ReadFunding("SOLUSDT")
	if !errors.Is(err, ErrNoSeries) {
		t.Errorf("err = %v, want ErrNoSeries", err)
	}
}

// TestCrashBeforeRename simulates a writer dying after its temporary file is
// complete but before the rename: the partition still holds the old version,
// no reader's glob sees the leftover, and the next writer removes it.
func TestCrashBeforeRename(t *testing.T) {
	l := newTestLake(t)
	old := []data.BasisRow{basisRow(0, 100, 101)}
	if _, err := l.MergeBasis(perpKey(), old); err != nil {
		t.Fatal(err)
	}
	crash := errors.New("simulated crash")
	l.beforeRename = func(tmp string) error {
		// Leave the file behind as a killed process would.
		data, _ := os.ReadFile(tmp)
		os.WriteFile(tmp+"-leftover", data, 0o644)
		return crash
	}
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(1, 100, 101)}); !errors.Is(err, crash) {
		t.Fatalf("err = %v, want the simulated crash", err)
	}
	l.beforeRename = nil
	got, err := l.ReadBasis(perpKey())
	if err != nil || !reflect.DeepEqual(got.Rows, old) {
		t.Fatalf("after the crash: %+v, %v; want the old version", got.Rows, err)
	}
	dir := filepath.Dir(l.BasisPath(perpKey()))
	if m, _ := filepath.Glob(filepath.Join(l.Root(), "basis", "*", "*", "*", "*.parquet")); len(m) != 1 {
		t.Errorf("a *.parquet glob sees %v, want only data.parquet", m)
	}
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(1, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), atomicfile.TempMarker) {
			t.Errorf("leftover %s not cleaned by the next writer", e.Name())
		}
	}
	got, _ = l.ReadBasis(perpKey())
	if len(got.Rows) != 2 {
		t.Errorf("rows = %d after the retry, want 2", len(got.Rows))
	}
}

func TestListingAndStatus(t *testing.T) {
	l := newTestLake(t)
	bm, _ := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 1, 1), basisRow(1, 1, 1), basisRow(4, 1, 1)})
	funding := fundingAt(0, 8, 16, 40, 48)
	funding[0].MarkPrice = data.Some(100)
	fm, _ := l.MergeFunding("BTCUSDT", funding, WithIntervalHours(8))
	// The merge reports the gaps it leaves, as status later finds them;
	// a merge that changes nothing reports them too.
	again, _ := l.MergeFunding("BTCUSDT", funding[:1], WithIntervalHours(8))
	if bm.Missing != 2 || fm.Missing != 2 || again.Missing != 2 || again.Written {
		t.Errorf("merge results report missing %d (basis), %d and %d (funding, written again %v); want 2, 2, 2, false", bm.Missing, fm.Missing, again.Missing, again.Written)
	}
	st, err := l.Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 2 {
		t.Fatalf("status has %d series, want 2", len(st))
	}
	b, f := st[0], st[1]
	if b.Dataset != "basis" || b.Rows != 3 || b.Missing != 2 || len(b.Gaps) != 1 || !b.First.Equal(hour(0)) || !b.Last.Equal(hour(4)) {
		t.Errorf("basis status = %+v", b)
	}
	if f.Dataset != "funding" || f.Rows != 5 || f.Missing != 2 || f.Cadence != "8h" || f.MissingMarkPrice != 4 {
		t.Errorf("funding status = %+v", f)
	}
	// A corrupt file is reported, not fatal.
	os.WriteFile(l.FundingPath("BTCUSDT"), []byte("not parquet"), 0o644)
	st, err = l.Status()
	if err != nil || st[1].Error == "" {
		t.Errorf("corrupt series: status %+v, err %v", st[1], err)
	}
}

func TestOpenCreatesNothingUntilAWrite(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo", "lake")
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st, err := l.Status(); err != nil || len(st) != 0 {
		t.Fatalf("status of a missing lake: %v, %v", st, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) || l.Exists() {
		t.Fatalf("reading created %s", dir)
	}
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 1, 1)}); err != nil {
		t.Fatal(err)
	}
	if !l.Exists() {
		t.Error("the first write did not create the lake")
	}
	file := filepath.Join(t.TempDir(), "f")
	os.WriteFile(file, nil, 0o644)
	if _, err := Open(file); err == nil || !strings.Contains(err.Error(), "is a file") {
		t.Errorf("a file as the lake: %v", err)
	}
}
