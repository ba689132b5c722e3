package lake

import (
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// klineFields are the columns of a klines file, the same for every kind so
// that one read_parquet over klines/**/*.parquet reads all kinds without
// union_by_name. Volumes and trades are null for kinds without them
// (KlineKind.HasVolume). kind, symbol, contract_type and interval are
// partition columns: they live in the path.
var klineFields = []arrow.Field{
	{Name: "open_time", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "close_time", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "open", Type: arrow.PrimitiveTypes.Float64},
	{Name: "high", Type: arrow.PrimitiveTypes.Float64},
	{Name: "low", Type: arrow.PrimitiveTypes.Float64},
	{Name: "close", Type: arrow.PrimitiveTypes.Float64},
	{Name: "volume", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "quote_volume", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "trades", Type: arrow.PrimitiveTypes.Int64, Nullable: true},
	{Name: "taker_buy_volume", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
	{Name: "taker_buy_quote_volume", Type: arrow.PrimitiveTypes.Float64, Nullable: true},
}

func encodeKlines(mem memory.Allocator, kind data.KlineKind, rows []data.KlineRow) arrow.Record {
	b := array.NewRecordBuilder(mem, arrow.NewSchema(klineFields, nil))
	defer b.Release()
	openT := b.Field(0).(*array.TimestampBuilder)
	closeT := b.Field(1).(*array.TimestampBuilder)
	o := b.Field(2).(*array.Float64Builder)
	h := b.Field(3).(*array.Float64Builder)
	lo := b.Field(4).(*array.Float64Builder)
	c := b.Field(5).(*array.Float64Builder)
	vol := b.Field(6).(*array.Float64Builder)
	qvol := b.Field(7).(*array.Float64Builder)
	trades := b.Field(8).(*array.Int64Builder)
	tbVol := b.Field(9).(*array.Float64Builder)
	tbQVol := b.Field(10).(*array.Float64Builder)
	for _, r := range rows {
		openT.Append(arrow.Timestamp(r.OpenTime.UnixMilli()))
		closeT.Append(arrow.Timestamp(r.CloseTime.UnixMilli()))
		o.Append(r.Open)
		h.Append(r.High)
		lo.Append(r.Low)
		c.Append(r.Close)
		appendNullable(vol, r.Volume)
		appendNullable(qvol, r.QuoteVolume)
		if kind.HasVolume() {
			trades.Append(r.Trades)
		} else {
			trades.AppendNull()
		}
		appendNullable(tbVol, r.TakerBuyVolume)
		appendNullable(tbQVol, r.TakerBuyQuoteVolume)
	}
	return b.NewRecord()
}

func decodeKlines(tbl arrow.Table) ([]data.KlineRow, error) {
	return decodeKlinesInto(make([]data.KlineRow, 0, tbl.NumRows()), tbl)
}

// decodeKlinesInto appends tbl's candles to rows.
func decodeKlinesInto(rows []data.KlineRow, tbl arrow.Table) ([]data.KlineRow, error) {
	cs, err := newColumnSet(tbl, klineFields)
	if err != nil {
		return rows, err
	}
	err = cs.each(func(n int, col func(string) arrow.Array) error {
		openT := col("open_time").(*array.Timestamp)
		closeT := col("close_time").(*array.Timestamp)
		o := col("open").(*array.Float64)
		h := col("high").(*array.Float64)
		lo := col("low").(*array.Float64)
		c := col("close").(*array.Float64)
		vol := col("volume").(*array.Float64)
		qvol := col("quote_volume").(*array.Float64)
		trades := col("trades").(*array.Int64)
		tbVol := col("taker_buy_volume").(*array.Float64)
		tbQVol := col("taker_buy_quote_volume").(*array.Float64)
		for i := 0; i < n; i++ {
			r := data.KlineRow{
				OpenTime:            time.UnixMilli(int64(openT.Value(i))).UTC(),
				CloseTime:           time.UnixMilli(int64(closeT.Value(i))).UTC(),
				Open:                o.Value(i),
				High:                h.Value(i),
				Low:                 lo.Value(i),
				Close:               c.Value(i),
				Volume:              nullableFloat(vol, i),
				QuoteVolume:         nullableFloat(qvol, i),
				TakerBuyVolume:      nullableFloat(tbVol, i),
				TakerBuyQuoteVolume: nullableFloat(tbQVol, i),
			}
			if trades.IsValid(i) {
				r.Trades = trades.Value(i)
			}
			rows = append(rows, r)
		}
		return nil
	})
	return rows, err
}
