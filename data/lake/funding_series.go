package lake

import (
	"errors"
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// ReadFunding reads a symbol's funding history; a symbol not in the lake
// wraps ErrNoSeries.
// A damaged file fails with a *DamagedError (see WithRebuildDamaged).
func (l *Lake) ReadFunding(symbol string) (data.FundingSeries, error) {
	return l.readFunding(symbol, false)
}

// readFunding is ReadFunding; locked says the caller holds the partition's
// lock.
func (l *Lake) readFunding(symbol string, locked bool) (data.FundingSeries, error) {
	s := data.FundingSeries{Symbol: symbol}
	if err := data.ValidateSymbol(symbol); err != nil {
		return s, err
	}
	var rows []data.FundingRow
	st, err := l.readSeries(l.FundingPath(symbol), "funding "+symbol, DatasetFunding, map[string]string{"symbol": symbol}, locked,
		func(tbl arrow.Table) (err error) {
			rows, err = decodeFunding(tbl)
			return err
		})
	if err != nil {
		return s, err
	}
	s.Rows, s.State = rows, st
	return s, nil
}

// MergeFunding upserts funding events by their nominal instant (fundingTime
// truncated to the minute), re-infers every event's funding interval over the
// whole history (see InferFundingSchedule) and rewrites the partition
// atomically. Invalid rows fail the whole merge and leave the stored history
// as it was.
func (l *Lake) MergeFunding(symbol string, rows []data.FundingRow, opts ...MergeOption) (MergeResult, error) {
	var res MergeResult
	if err := data.ValidateSymbol(symbol); err != nil {
		return res, err
	}
	what := "funding " + symbol
	incoming := make([]data.FundingRow, len(rows))
	for i, r := range rows {
		r.FundingTime = data.UTCMilli(r.FundingTime)
		if err := r.Validate(); err != nil {
			return res, fmt.Errorf("%s: %w", what, err)
		}
		incoming[i] = r
	}
	path := l.FundingPath(symbol)
	err := l.withPartitionLock(path, func() error {
		old, err := l.readFunding(symbol, true)
		if err != nil && !isNoSeries(err) {
			return err
		}
		merged, r := upsert(old.Rows, incoming,
			func(f data.FundingRow) int64 { return f.Instant().UnixMilli() },
			func(a, b data.FundingRow) bool {
				a.FundingIntervalHours, b.FundingIntervalHours = 0, 0
				return a == b
			})
		st, stateChanged := applyOptions(old.State, opts)
		res = r
		data.InferFundingSchedule(merged, st.IntervalHours) // sets the intervals stored
		sum := data.FundingSeries{Symbol: symbol, Rows: merged, State: st}.Summary()
		res.Missing = sum.Missing
		if r.Added == 0 && r.Updated == 0 && !stateChanged {
			return nil
		}
		st.UpdatedAt = l.now().UTC()
		rec := encodeFunding(l.mem, merged)
		defer rec.Release()
		if err := l.writeSeries(path, DatasetFunding, map[string]string{"symbol": symbol}, st, sum, rec); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res.Written = true
		return nil
	})
	return res, err
}

func isNoSeries(err error) bool { return errors.Is(err, ErrNoSeries) }
