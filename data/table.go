package data

import (
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
)

// ColumnKind is a Table column's type.
type ColumnKind int

// Column kinds: DOUBLE (NaN stored as null), INT64, STRING, BOOLEAN.
const (
	Float ColumnKind = iota
	Int
	String
	Bool
)

// Table is a plain table for Parquet files outside the lake (a sweep's
// results): named, typed columns of equal length.
type Table struct {
	Names   []string
	Kinds   []ColumnKind
	Floats  map[int][]float64
	Ints    map[int][]int64
	Strings map[int][]string
	Bools   map[int][]bool
	Rows    int
}

// NewTable returns an empty table with the given columns.
func NewTable(names []string, kinds []ColumnKind) *Table {
	return &Table{Names: names, Kinds: kinds, Floats: map[int][]float64{}, Ints: map[int][]int64{}, Strings: map[int][]string{}, Bools: map[int][]bool{}}
}

// WriteTableParquet writes t as a zstd Parquet file to w.
func WriteTableParquet(w io.Writer, t *Table, footer map[string]string) error {
	fields := make([]arrow.Field, len(t.Names))
	for i, n := range t.Names {
		var typ arrow.DataType
		switch t.Kinds[i] {
		case Float:
			typ = arrow.PrimitiveTypes.Float64
		case Int:
			typ = arrow.PrimitiveTypes.Int64
		case String:
			typ = arrow.BinaryTypes.String
		case Bool:
			typ = arrow.FixedWidthTypes.Boolean
		default:
			return fmt.Errorf("column %s: unknown kind", n)
		}
		fields[i] = arrow.Field{Name: n, Type: typ, Nullable: t.Kinds[i] == Float}
	}
	mem := newAllocator()
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for i := range t.Names {
		switch t.Kinds[i] {
		case Float:
			fb := b.Field(i).(*array.Float64Builder)
			for _, v := range t.Floats[i] {
				if math.IsNaN(v) {
					fb.AppendNull()
				} else {
					fb.Append(v)
				}
			}
		case Int:
			b.Field(i).(*array.Int64Builder).AppendValues(t.Ints[i], nil)
		case String:
			b.Field(i).(*array.StringBuilder).AppendValues(t.Strings[i], nil)
		case Bool:
			b.Field(i).(*array.BooleanBuilder).AppendValues(t.Bools[i], nil)
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	return writeParquet(w, rec, footer)
}

// newAllocator is the allocator for tables outside a Lake.
func newAllocator() memory.Allocator { return memory.DefaultAllocator }
