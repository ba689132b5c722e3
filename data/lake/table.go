package lake

import (
	"fmt"
	"io"
	"math"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// WriteTableParquet writes t as a zstd Parquet file to w.
func WriteTableParquet(w io.Writer, t *data.Table, footer map[string]string) error {
	fields := make([]arrow.Field, len(t.Names))
	for i, n := range t.Names {
		var typ arrow.DataType
		switch t.Kinds[i] {
		case data.Float:
			typ = arrow.PrimitiveTypes.Float64
		case data.Int:
			typ = arrow.PrimitiveTypes.Int64
		case data.String:
			typ = arrow.BinaryTypes.String
		case data.Bool:
			typ = arrow.FixedWidthTypes.Boolean
		default:
			return fmt.Errorf("column %s: unknown kind", n)
		}
		fields[i] = arrow.Field{Name: n, Type: typ, Nullable: t.Kinds[i] == data.Float}
	}
	mem := newAllocator()
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fields, nil))
	defer b.Release()
	for i := range t.Names {
		switch t.Kinds[i] {
		case data.Float:
			fb := b.Field(i).(*array.Float64Builder)
			for _, v := range t.Floats[i] {
				if math.IsNaN(v) {
					fb.AppendNull()
				} else {
					fb.Append(v)
				}
			}
		case data.Int:
			b.Field(i).(*array.Int64Builder).AppendValues(t.Ints[i], nil)
		case data.String:
			b.Field(i).(*array.StringBuilder).AppendValues(t.Strings[i], nil)
		case data.Bool:
			b.Field(i).(*array.BooleanBuilder).AppendValues(t.Bools[i], nil)
		}
	}
	rec := b.NewRecord()
	defer rec.Release()
	return writeParquet(w, rec, footer)
}

// newAllocator is the allocator for tables outside a Lake.
func newAllocator() memory.Allocator { return memory.DefaultAllocator }
