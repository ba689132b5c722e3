package lake

import (
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// fundingFields are the columns of a funding file; symbol is the partition
// column and lives in the path.
var fundingFields = []arrow.Field{
	{Name: "funding_time", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "funding_rate", Type: arrow.PrimitiveTypes.Float64},
	{Name: "mark_price", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "rate_type", Type: arrow.BinaryTypes.String},
	{Name: "funding_interval_hours", Type: arrow.PrimitiveTypes.Int32},
}

func encodeFunding(mem memory.Allocator, rows []data.FundingRow) arrow.Record {
	b := array.NewRecordBuilder(mem, arrow.NewSchema(fundingFields, nil))
	defer b.Release()
	ts := b.Field(0).(*array.TimestampBuilder)
	rate := b.Field(1).(*array.Float64Builder)
	mark := b.Field(2).(*array.Float64Builder)
	typ := b.Field(3).(*array.StringBuilder)
	hours := b.Field(4).(*array.Int32Builder)
	for _, r := range rows {
		ts.Append(arrow.Timestamp(r.FundingTime.UnixMilli()))
		rate.Append(r.FundingRate)
		appendNullable(mark, r.MarkPrice)
		typ.Append(string(r.RateType))
		hours.Append(int32(r.FundingIntervalHours))
	}
	return b.NewRecord()
}

func decodeFunding(tbl arrow.Table) ([]data.FundingRow, error) {
	cs, err := newColumnSet(tbl, fundingFields)
	if err != nil {
		return nil, err
	}
	rows := make([]data.FundingRow, 0, tbl.NumRows())
	err = cs.each(func(n int, col func(string) arrow.Array) error {
		ts := col("funding_time").(*array.Timestamp)
		rate := col("funding_rate").(*array.Float64)
		mark := col("mark_price").(*array.Float64)
		typ := col("rate_type").(*array.String)
		hours := col("funding_interval_hours").(*array.Int32)
		for i := 0; i < n; i++ {
			rows = append(rows, data.FundingRow{
				FundingTime:          time.UnixMilli(int64(ts.Value(i))).UTC(),
				FundingRate:          rate.Value(i),
				MarkPrice:            nullableFloat(mark, i),
				RateType:             data.RateType(typ.Value(i)),
				FundingIntervalHours: int(hours.Value(i)),
			})
		}
		return nil
	})
	return rows, err
}
