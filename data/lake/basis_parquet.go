package lake

import (
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// basisFields are the columns of a basis file. pair, contract_type and period
// are partition columns: they live in the path.
var basisFields = []arrow.Field{
	{Name: "timestamp", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "index_price", Type: arrow.PrimitiveTypes.Float64},
	{Name: "futures_price", Type: arrow.PrimitiveTypes.Float64},
	{Name: "basis", Type: arrow.PrimitiveTypes.Float64},
	{Name: "basis_rate", Type: arrow.PrimitiveTypes.Float64},
	{Name: "annualized_basis_rate", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
}

func encodeBasis(mem memory.Allocator, rows []data.BasisRow) arrow.Record {
	b := array.NewRecordBuilder(mem, arrow.NewSchema(basisFields, nil))
	defer b.Release()
	ts := b.Field(0).(*array.TimestampBuilder)
	idx := b.Field(1).(*array.Float64Builder)
	fut := b.Field(2).(*array.Float64Builder)
	bas := b.Field(3).(*array.Float64Builder)
	rate := b.Field(4).(*array.Float64Builder)
	ann := b.Field(5).(*array.Float64Builder)
	for _, r := range rows {
		ts.Append(arrow.Timestamp(r.Timestamp.UnixMilli()))
		idx.Append(r.IndexPrice)
		fut.Append(r.FuturesPrice)
		bas.Append(r.Basis)
		rate.Append(r.BasisRate)
		appendNullable(ann, r.AnnualizedBasisRate)
	}
	return b.NewRecord()
}

func decodeBasis(tbl arrow.Table) ([]data.BasisRow, error) {
	cs, err := newColumnSet(tbl, basisFields)
	if err != nil {
		return nil, err
	}
	rows := make([]data.BasisRow, 0, tbl.NumRows())
	err = cs.each(func(n int, col func(string) arrow.Array) error {
		ts := col("timestamp").(*array.Timestamp)
		idx := col("index_price").(*array.Float64)
		fut := col("futures_price").(*array.Float64)
		bas := col("basis").(*array.Float64)
		rate := col("basis_rate").(*array.Float64)
		ann := col("annualized_basis_rate").(*array.Float64)
		for i := 0; i < n; i++ {
			rows = append(rows, data.BasisRow{
				Timestamp:           time.UnixMilli(int64(ts.Value(i))).UTC(),
				IndexPrice:          idx.Value(i),
				FuturesPrice:        fut.Value(i),
				Basis:               bas.Value(i),
				BasisRate:           rate.Value(i),
				AnnualizedBasisRate: nullableFloat(ann, i),
			})
		}
		return nil
	})
	return rows, err
}
