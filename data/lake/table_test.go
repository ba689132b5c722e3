package lake

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
)

func TestTableRoundTrip(t *testing.T) {
	tb := data.NewTable([]string{"id", "sharpe", "trades", "liquidated"}, []data.ColumnKind{data.String, data.Float, data.Int, data.Bool})
	tb.Strings[0] = []string{"a", "b"}
	tb.Floats[1] = []float64{1.5, math.NaN()}
	tb.Ints[2] = []int64{3, 0}
	tb.Bools[3] = []bool{false, true}
	tb.Rows = 2
	var buf bytes.Buffer
	if err := WriteTableParquet(&buf, tb, map[string]string{"carry.sweep": "x"}); err != nil {
		t.Fatal(err)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	sharpe := tbl.Column(1).Data().Chunk(0).(*array.Float64)
	if tbl.NumRows() != 2 || sharpe.Value(0) != 1.5 || !sharpe.IsNull(1) {
		t.Errorf("read back %v rows, sharpe %v", tbl.NumRows(), sharpe)
	}
	if v := rdr.MetaData().KeyValueMetadata().FindValue("carry.sweep"); v == nil || *v != "x" {
		t.Error("footer lost")
	}
}

// randomTable is a table of every kind of column, n rows of awkward values
// (nulls, NaN-free infinities, empty and repeated text, extremes).
func randomTable(n int) *data.Table {
	tb := data.NewTable([]string{"combination_index", "id", "sharpe", "apr", "trades", "liquidated", "funding_stats_by_interval", "liquidated_at"},
		[]data.ColumnKind{data.Int, data.String, data.Float, data.Float, data.Int, data.Bool, data.String, data.Time})
	r := rand.New(rand.NewPCG(7, 8))
	for i := range n {
		tb.Ints[0] = append(tb.Ints[0], int64(i))
		tb.Strings[1] = append(tb.Strings[1], fmt.Sprintf("c%06x", r.Uint32()))
		s := r.NormFloat64()
		switch i % 97 {
		case 3:
			s = math.NaN()
		case 5:
			s = math.Inf(-1)
		case 7:
			s = math.MaxFloat64
		}
		tb.Floats[2] = append(tb.Floats[2], s)
		a := math.NaN()
		if i%3 != 0 {
			a = r.Float64()
		}
		tb.Floats[3] = append(tb.Floats[3], a)
		tb.Ints[4] = append(tb.Ints[4], r.Int64()-math.MaxInt64/2)
		tb.Bools[5] = append(tb.Bools[5], r.IntN(5) == 0)
		text := ""
		if i%11 != 0 {
			text = fmt.Sprintf(`{"1h":{"mean":%g,"n":%d}}`, r.Float64(), i/1000)
		}
		tb.Strings[6] = append(tb.Strings[6], text)
		at := int64(data.NullTime)
		if i%4 != 0 {
			at = 1_767_225_600_000 + r.Int64N(1e11) // from 2026-01-01, some three years of milliseconds
		}
		tb.Ints[7] = append(tb.Ints[7], at)
	}
	tb.Rows = n
	return tb
}

// slice is rows [lo, hi) of t.
func slice(t *data.Table, lo, hi int) *data.Table {
	s := data.NewTable(t.Names, t.Kinds)
	for c, k := range t.Kinds {
		switch k {
		case data.Float:
			s.Floats[c] = t.Floats[c][lo:hi]
		case data.Int, data.Time:
			s.Ints[c] = t.Ints[c][lo:hi]
		case data.String:
			s.Strings[c] = t.Strings[c][lo:hi]
		case data.Bool:
			s.Bools[c] = t.Bools[c][lo:hi]
		}
	}
	s.Rows = hi - lo
	return s
}

// TestTableWriterWritesWhatWriteTableParquetWrote: a table written a
// batch at a time (batches of every size, across row groups) reads back
// with the schema, footer and values, in order, of the same table written
// whole: only the row groups differ.
func TestTableWriterWritesWhatWriteTableParquetWrote(t *testing.T) {
	footer := map[string]string{"carry.sweep.grid_sha256": "abc", "other": "x"}
	for _, n := range []int{0, 1, TableRowGroupRows, 3*TableRowGroupRows + 1234} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			tb := randomTable(n)
			dir := t.TempDir()
			old, streamed := filepath.Join(dir, "old.parquet"), filepath.Join(dir, "new.parquet")
			var buf bytes.Buffer
			if err := WriteTableParquet(&buf, tb, footer); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(old, buf.Bytes(), 0o644)
			buf.Reset()
			tw, err := NewTableWriter(&buf, tb.Names, tb.Kinds, footer)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(uint64(n), 1))
			for lo := 0; lo < n; {
				hi := min(n, lo+[]int{1, 7, 1000, 2048, 5000, TableRowGroupRows + 3}[r.IntN(6)])
				if err := tw.Write(slice(tb, lo, hi)); err != nil {
					t.Fatal(err)
				}
				lo = hi
			}
			if err := tw.Write(slice(tb, n, n)); err != nil { // an empty batch
				t.Fatal(err)
			}
			if err := tw.Close(); err != nil {
				t.Fatal(err)
			}
			os.WriteFile(streamed, buf.Bytes(), 0o644)

			want, wantFooter, wantGroups, err := ReadTable(old)
			if err != nil {
				t.Fatal(err)
			}
			got, gotFooter, gotGroups, err := ReadTable(streamed)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(gotFooter, wantFooter) || gotFooter["ARROW:schema"] == "" || gotFooter["other"] != "x" {
				t.Errorf("footer %v, want %v", gotFooter, wantFooter)
			}
			if err := equalTables(got, want); err != nil {
				t.Error(err)
			}
			if err := equalTables(got, tb); err != nil {
				t.Errorf("against the table written: %v", err)
			}
			groups := []int{}
			for left := n; left > 0; left -= TableRowGroupRows {
				groups = append(groups, min(left, TableRowGroupRows))
			}
			if n == 0 {
				groups = []int{0} // as WriteTable's: one empty row group
			}
			if !slices.Equal(gotGroups, groups) || (n > 0 && len(wantGroups) != 1) {
				t.Errorf("row groups %v (whole: %v), want %v", gotGroups, wantGroups, groups)
			}
		})
	}
}

// equalTables compares names, kinds and every value (NaN equal to NaN).
func equalTables(a, b *data.Table) error {
	if !slices.Equal(a.Names, b.Names) || !slices.Equal(a.Kinds, b.Kinds) || a.Rows != b.Rows {
		return fmt.Errorf("columns %v %v, %d rows; want %v %v, %d rows", a.Names, a.Kinds, a.Rows, b.Names, b.Kinds, b.Rows)
	}
	for c, k := range a.Kinds {
		for i := range a.Rows {
			var same bool
			switch k {
			case data.Float:
				x, y := a.Floats[c][i], b.Floats[c][i]
				same = x == y || (math.IsNaN(x) && math.IsNaN(y))
			case data.Int, data.Time:
				same = a.Ints[c][i] == b.Ints[c][i]
			case data.String:
				same = a.Strings[c][i] == b.Strings[c][i]
			case data.Bool:
				same = a.Bools[c][i] == b.Bools[c][i]
			}
			if !same {
				return fmt.Errorf("column %s row %d differs", a.Names[c], i)
			}
		}
	}
	return nil
}

func TestTableWriterRefusesOtherColumns(t *testing.T) {
	tb := randomTable(3)
	tw, err := NewTableWriter(io.Discard, tb.Names, tb.Kinds, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tw.Close()
	other := slice(tb, 0, 3)
	other.Names = slices.Clone(other.Names)
	other.Names[0] = "x"
	if err := tw.Write(other); err == nil {
		t.Error("a table of other columns was written")
	}
	short := slice(tb, 0, 3)
	short.Rows = 4
	if err := tw.Write(short); err == nil {
		t.Error("a table with a short column was written")
	}
}

// TestTimeColumnIsTimestampMillisUTC: a Time column is stored as Parquet's
// TIMESTAMP(MILLIS, isAdjustedToUTC=true), nullable, and reads back to the
// same milliseconds (2026-01-01T00:00:00.123Z is 1767225600123 ms, by
// hand: 20454 days × 86400000 + 123) and nulls.
func TestTimeColumnIsTimestampMillisUTC(t *testing.T) {
	tb := data.NewTable([]string{"liquidated_at"}, []data.ColumnKind{data.Time})
	tb.Ints[0] = []int64{1767225600123, data.NullTime}
	tb.Rows = 2
	var buf bytes.Buffer
	if err := WriteTableParquet(&buf, tb, nil); err != nil {
		t.Fatal(err)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	col := rdr.MetaData().Schema.Column(0)
	if got := col.LogicalType().String(); got != "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)" {
		t.Errorf("logical type %s", got)
	}
	rdr.Close()
	path := filepath.Join(t.TempDir(), "t.parquet")
	os.WriteFile(path, buf.Bytes(), 0o644)
	got, _, _, err := ReadTable(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Kinds[0] != data.Time || !slices.Equal(got.Ints[0], []int64{1767225600123, data.NullTime}) {
		t.Errorf("read back %v %v", got.Kinds, got.Ints[0])
	}
}
