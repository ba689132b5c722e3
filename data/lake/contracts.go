package lake

import (
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// DatasetContracts holds each pair's futures contracts as exchangeInfo
// lists them, accumulated over time: delivered quarterlies stay known after
// the exchange stops listing them.
const DatasetContracts = "contracts"

var contractFields = []arrow.Field{
	{Name: "symbol", Type: arrow.BinaryTypes.String},
	{Name: "contract_type", Type: arrow.BinaryTypes.String},
	{Name: "delivery_date", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "onboard_date", Type: arrow.FixedWidthTypes.Timestamp_ms},
	{Name: "status", Type: arrow.BinaryTypes.String},
}

// ContractsPath is the partition file of a pair's contracts.
func (l *Lake) ContractsPath(pair string) string {
	return filepath.Join(l.root, DatasetContracts, "pair="+pair, seriesFileName)
}

// ReadContracts reads a pair's contracts, sorted by delivery; a pair not in
// the lake wraps ErrNoSeries; a damaged file fails with a *DamagedError.
func (l *Lake) ReadContracts(pair string) ([]data.ContractRow, error) {
	return l.readContracts(pair, false)
}

// readContracts is ReadContracts; locked says the caller holds the
// partition's lock.
func (l *Lake) readContracts(pair string, locked bool) ([]data.ContractRow, error) {
	if err := data.ValidateSymbol(pair); err != nil {
		return nil, err
	}
	var rows []data.ContractRow
	_, err := l.readSeries(l.ContractsPath(pair), "contracts "+pair, DatasetContracts, map[string]string{"pair": pair}, locked,
		func(tbl arrow.Table) (err error) {
			rows, err = decodeContracts(tbl)
			return err
		})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

func decodeContracts(tbl arrow.Table) ([]data.ContractRow, error) {
	cs, err := newColumnSet(tbl, contractFields)
	if err != nil {
		return nil, err
	}
	var rows []data.ContractRow
	err = cs.each(func(n int, col func(string) arrow.Array) error {
		sym, ct, st := col("symbol").(*array.String), col("contract_type").(*array.String), col("status").(*array.String)
		del, onb := col("delivery_date").(*array.Timestamp), col("onboard_date").(*array.Timestamp)
		for i := range n {
			rows = append(rows, data.ContractRow{Symbol: sym.Value(i), ContractType: data.ContractType(ct.Value(i)), Status: st.Value(i),
				DeliveryDate: time.UnixMilli(int64(del.Value(i))).UTC(), OnboardDate: time.UnixMilli(int64(onb.Value(i))).UTC()})
		}
		return nil
	})
	return rows, err
}

// MergeContracts upserts a pair's contracts by symbol, kept sorted by
// delivery date.
func (l *Lake) MergeContracts(pair string, rows []data.ContractRow) (MergeResult, error) {
	var res MergeResult
	if err := data.ValidateSymbol(pair); err != nil {
		return res, err
	}
	path := l.ContractsPath(pair)
	err := l.withPartitionLock(path, func() error {
		old, err := l.readContracts(pair, true)
		if err != nil && !isNoSeries(err) {
			return err
		}
		ids := map[string]int64{}
		key := func(r data.ContractRow) int64 {
			if _, ok := ids[r.Symbol]; !ok {
				ids[r.Symbol] = int64(len(ids))
			}
			return ids[r.Symbol]
		}
		for i := range rows {
			rows[i].DeliveryDate, rows[i].OnboardDate = data.UTCMilli(rows[i].DeliveryDate), data.UTCMilli(rows[i].OnboardDate)
		}
		merged, r := upsert(old, rows, key, func(a, b data.ContractRow) bool { return a == b })
		res = r
		if r.Added == 0 && r.Updated == 0 {
			return nil
		}
		sortContracts(merged)
		rec := encodeContracts(l.mem, merged)
		defer rec.Release()
		if err := l.writeSeries(path, DatasetContracts, map[string]string{"pair": pair}, data.SeriesState{UpdatedAt: l.now().UTC()}, contractsSummary(merged), rec); err != nil {
			return fmt.Errorf("contracts %s: %w", pair, err)
		}
		res.Written = true
		return nil
	})
	return res, err
}

func sortContracts(rows []data.ContractRow) {
	slices.SortStableFunc(rows, func(a, b data.ContractRow) int { return a.DeliveryDate.Compare(b.DeliveryDate) })
}

func encodeContracts(mem memory.Allocator, rows []data.ContractRow) arrow.Record {
	b := array.NewRecordBuilder(mem, arrow.NewSchema(contractFields, nil))
	defer b.Release()
	for _, r := range rows {
		b.Field(0).(*array.StringBuilder).Append(r.Symbol)
		b.Field(1).(*array.StringBuilder).Append(string(r.ContractType))
		b.Field(2).(*array.TimestampBuilder).Append(arrow.Timestamp(r.DeliveryDate.UnixMilli()))
		b.Field(3).(*array.TimestampBuilder).Append(arrow.Timestamp(r.OnboardDate.UnixMilli()))
		b.Field(4).(*array.StringBuilder).Append(r.Status)
	}
	return b.NewRecord()
}

// contractsSummary sums up a pair's contracts, sorted by delivery: first
// and last are delivery dates; contracts have no grid, hence no gaps.
func contractsSummary(rows []data.ContractRow) data.SeriesSummary {
	s := data.SeriesSummary{Rows: len(rows)}
	if len(rows) > 0 {
		s.First, s.Last = rows[0].DeliveryDate, rows[len(rows)-1].DeliveryDate
	}
	return s
}
