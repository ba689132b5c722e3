package lake

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strings"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
)

// TableRowGroupRows is how many rows a row group of a TableWriter's file
// holds (the last one fewer). The writer encodes and compresses each batch
// as it is given (into the row group being built, which holds its
// compressed pages until it is full), so what it holds is one batch and
// one row group's compressed columns, whatever the table's length.
const TableRowGroupRows = 8192

// tablePageBytes is a TableWriter's data page size: a column's values are
// compressed every 16 KiB (2,048 numbers) rather than once a row group, so
// that a row group being built holds its columns compressed.
const tablePageBytes = 16 << 10

// WriteTableParquet writes t as a zstd Parquet file to w, all of it in one
// row group of up to 131,072 rows (the lake's series files' layout): it
// holds an Arrow copy of the whole table. A TableWriter writes the same
// schema, values and footer a batch at a time.
func WriteTableParquet(w io.Writer, t *data.Table, footer map[string]string) error {
	schema, err := tableSchema(t.Names, t.Kinds)
	if err != nil {
		return err
	}
	b := array.NewRecordBuilder(newAllocator(), schema)
	defer b.Release()
	appendTable(b, t, 0, t.Rows)
	rec := b.NewRecord()
	defer rec.Release()
	return writeParquet(w, rec, footer)
}

// tableSchema is the Arrow schema of a data.Table's columns: Float is a
// nullable DOUBLE (NaN written as null), Int INT64, String STRING, Bool
// BOOLEAN, Time a nullable TIMESTAMP(MILLIS, UTC) (data.NullTime written as
// null).
func tableSchema(names []string, kinds []data.ColumnKind) (*arrow.Schema, error) {
	if len(names) != len(kinds) {
		return nil, fmt.Errorf("%d column names for %d kinds", len(names), len(kinds))
	}
	fields := make([]arrow.Field, len(names))
	for i, n := range names {
		var typ arrow.DataType
		switch kinds[i] {
		case data.Float:
			typ = arrow.PrimitiveTypes.Float64
		case data.Int:
			typ = arrow.PrimitiveTypes.Int64
		case data.String:
			typ = arrow.BinaryTypes.String
		case data.Bool:
			typ = arrow.FixedWidthTypes.Boolean
		case data.Time:
			typ = timestampMillisUTC
		default:
			return nil, fmt.Errorf("column %s: unknown kind", n)
		}
		fields[i] = arrow.Field{Name: n, Type: typ, Nullable: kinds[i] == data.Float || kinds[i] == data.Time}
	}
	return arrow.NewSchema(fields, nil), nil
}

// appendTable appends rows [lo, hi) of t to b, whose schema is t's.
func appendTable(b *array.RecordBuilder, t *data.Table, lo, hi int) {
	for i := range t.Names {
		switch t.Kinds[i] {
		case data.Float:
			fb := b.Field(i).(*array.Float64Builder)
			for _, v := range t.Floats[i][lo:hi] {
				if math.IsNaN(v) {
					fb.AppendNull()
				} else {
					fb.Append(v)
				}
			}
		case data.Int:
			b.Field(i).(*array.Int64Builder).AppendValues(t.Ints[i][lo:hi], nil)
		case data.String:
			b.Field(i).(*array.StringBuilder).AppendValues(t.Strings[i][lo:hi], nil)
		case data.Bool:
			b.Field(i).(*array.BooleanBuilder).AppendValues(t.Bools[i][lo:hi], nil)
		case data.Time:
			tb := b.Field(i).(*array.TimestampBuilder)
			for _, ms := range t.Ints[i][lo:hi] {
				if ms == data.NullTime {
					tb.AppendNull()
				} else {
					tb.Append(arrow.Timestamp(ms))
				}
			}
		}
	}
}

// timestampMillisUTC is a Time column's type: Parquet's TIMESTAMP(MILLIS,
// isAdjustedToUTC), which DuckDB reads as TIMESTAMP WITH TIME ZONE and
// pyarrow as timestamp[ms, tz=UTC].
var timestampMillisUTC = &arrow.TimestampType{Unit: arrow.Millisecond, TimeZone: "UTC"}

// TableWriter writes a zstd Parquet file of typed columns (the schema and
// footer WriteTableParquet writes) from tables given a batch at a time:
// each batch is encoded into the row group being built when it is given
// (a new row group every TableRowGroupRows rows), so that the work is done
// as the rows come rather than at the end. A batch's slices may be reused
// once Write returns.
type TableWriter struct {
	names  []string
	kinds  []data.ColumnKind
	fw     *pqarrow.FileWriter
	b      *array.RecordBuilder
	rows   int // rows written
	err    error
	closed bool
}

// NewTableWriter starts a file of the given columns on w, with footer as
// its key-value metadata. Close finishes it.
func NewTableWriter(w io.Writer, names []string, kinds []data.ColumnKind, footer map[string]string) (*TableWriter, error) {
	schema, err := tableSchema(names, kinds)
	if err != nil {
		return nil, err
	}
	fw, err := newParquetWriter(w, schema, parquet.WithMaxRowGroupLength(TableRowGroupRows), parquet.WithDataPageSize(tablePageBytes))
	if err != nil {
		return nil, err
	}
	if err := appendFooter(fw, footer); err != nil {
		fw.Close()
		return nil, err
	}
	b := array.NewRecordBuilder(newAllocator(), schema)
	return &TableWriter{names: slices.Clone(names), kinds: slices.Clone(kinds), fw: fw, b: b}, nil
}

// Write appends t's rows; t has the writer's columns.
func (tw *TableWriter) Write(t *data.Table) error {
	if tw.closed {
		return errors.New("table writer: write after close")
	}
	if tw.err != nil {
		return tw.err
	}
	if !slices.Equal(t.Names, tw.names) || !slices.Equal(t.Kinds, tw.kinds) {
		return errors.New("table writer: the table's columns are not the file's")
	}
	for c, k := range t.Kinds {
		var n int
		switch k {
		case data.Float:
			n = len(t.Floats[c])
		case data.Int, data.Time:
			n = len(t.Ints[c])
		case data.String:
			n = len(t.Strings[c])
		case data.Bool:
			n = len(t.Bools[c])
		}
		if n != t.Rows {
			return fmt.Errorf("table writer: column %s has %d rows, the table %d", t.Names[c], n, t.Rows)
		}
	}
	if t.Rows == 0 {
		return nil
	}
	return tw.write(t)
}

// write encodes t's rows into the row groups (pqarrow starts a new one
// every TableRowGroupRows rows).
func (tw *TableWriter) write(t *data.Table) error {
	tw.b.Reserve(t.Rows)
	appendTable(tw.b, t, 0, t.Rows)
	rec := tw.b.NewRecord()
	defer rec.Release()
	if err := tw.fw.WriteBuffered(rec); err != nil {
		tw.err = fmt.Errorf("writing rows: %w", err)
		return tw.err
	}
	tw.rows += t.Rows
	return nil
}

// Close finishes the row group being built (a file of no rows gets one
// empty row group, as WriteTableParquet's) and writes the footer. It does
// not close the underlying writer.
func (tw *TableWriter) Close() error {
	if tw.closed {
		return nil
	}
	tw.closed = true
	defer tw.b.Release()
	if tw.err == nil && tw.rows == 0 {
		tw.write(data.NewTable(tw.names, tw.kinds))
	}
	if tw.err != nil {
		tw.fw.Close()
		return tw.err
	}
	return tw.fw.Close()
}

// newAllocator is the allocator for tables outside a Lake.
func newAllocator() memory.Allocator { return memory.DefaultAllocator }

// ReadTable reads a file written by WriteTableParquet or a TableWriter
// (whole, into memory: for tests and small files) and returns its table,
// its footer's key-value metadata (the stored Arrow schema included) and
// its row groups' lengths.
func ReadTable(path string) (*data.Table, map[string]string, []int, error) {
	pf, err := readParquet(newAllocator(), path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer pf.Release()
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, nil, err
	}
	defer f.Close()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return nil, nil, nil, err
	}
	groups := make([]int, rdr.NumRowGroups())
	for i := range groups {
		groups[i] = int(rdr.MetaData().RowGroup(i).NumRows())
	}
	rdr.Close()
	schema := pf.table.Schema()
	names := make([]string, schema.NumFields())
	kinds := make([]data.ColumnKind, len(names))
	for i, fd := range schema.Fields() {
		names[i] = fd.Name
		switch fd.Type.ID() {
		case arrow.FLOAT64:
			kinds[i] = data.Float
		case arrow.INT64:
			kinds[i] = data.Int
		case arrow.STRING:
			kinds[i] = data.String
		case arrow.BOOL:
			kinds[i] = data.Bool
		case arrow.TIMESTAMP:
			kinds[i] = data.Time
		default:
			return nil, nil, nil, fmt.Errorf("%s: column %s has type %s", path, fd.Name, fd.Type)
		}
	}
	t := data.NewTable(names, kinds)
	t.Rows = int(pf.table.NumRows())
	for i, k := range kinds {
		for _, chunk := range pf.table.Column(i).Data().Chunks() {
			for j := range chunk.Len() {
				switch k {
				case data.Float:
					a := chunk.(*array.Float64)
					v := math.NaN()
					if a.IsValid(j) {
						v = a.Value(j)
					}
					t.Floats[i] = append(t.Floats[i], v)
				case data.Int:
					t.Ints[i] = append(t.Ints[i], chunk.(*array.Int64).Value(j))
				case data.String:
					t.Strings[i] = append(t.Strings[i], strings.Clone(chunk.(*array.String).Value(j)))
				case data.Bool:
					t.Bools[i] = append(t.Bools[i], chunk.(*array.Boolean).Value(j))
				case data.Time:
					a := chunk.(*array.Timestamp)
					ms := int64(data.NullTime)
					if a.IsValid(j) {
						ms = a.Value(j).ToTime(a.DataType().(*arrow.TimestampType).Unit).UnixMilli()
					}
					t.Ints[i] = append(t.Ints[i], ms)
				}
			}
		}
	}
	return t, pf.footer, groups, nil
}
