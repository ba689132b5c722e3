package data

import (
	"errors"
	"fmt"
)

// FundingSeries is a symbol's funding history as stored.
type FundingSeries struct {
	Symbol string
	Rows   []FundingRow // sorted by FundingTime, unique per minute
	State  SeriesState
}

// Gaps returns the missing events of the regular schedule.
func (s FundingSeries) Gaps() []Gap {
	rows := append([]FundingRow(nil), s.Rows...)
	return InferFundingSchedule(rows, s.State.IntervalHours)
}

// ReadFunding reads a symbol's funding history; a symbol not in the lake
// wraps ErrNoSeries.
func (l *Lake) ReadFunding(symbol string) (FundingSeries, error) {
	s := FundingSeries{Symbol: symbol}
	if err := ValidateSymbol(symbol); err != nil {
		return s, err
	}
	what := "funding " + symbol
	pf, st, err := l.readSeries(l.FundingPath(symbol), what)
	if err != nil {
		return s, err
	}
	defer pf.Release()
	s.State = st
	if s.Rows, err = decodeFunding(pf.table); err != nil {
		return s, fmt.Errorf("%s: decoding %s: %w", what, l.FundingPath(symbol), err)
	}
	return s, nil
}

// MergeFunding upserts funding events by their nominal instant (fundingTime
// truncated to the minute), re-infers every event's funding interval over the
// whole history (see InferFundingSchedule) and rewrites the partition
// atomically. Invalid rows fail the whole merge and leave the stored history
// as it was.
func (l *Lake) MergeFunding(symbol string, rows []FundingRow, opts ...MergeOption) (MergeResult, error) {
	var res MergeResult
	if err := ValidateSymbol(symbol); err != nil {
		return res, err
	}
	what := "funding " + symbol
	incoming := make([]FundingRow, len(rows))
	for i, r := range rows {
		r.FundingTime = utcMilli(r.FundingTime)
		if err := r.Validate(); err != nil {
			return res, fmt.Errorf("%s: %w", what, err)
		}
		incoming[i] = r
	}
	path := l.FundingPath(symbol)
	err := l.withPartitionLock(path, func() error {
		old, err := l.ReadFunding(symbol)
		if err != nil && !isNoSeries(err) {
			return err
		}
		merged, r := upsert(old.Rows, incoming,
			func(f FundingRow) int64 { return f.Instant().UnixMilli() },
			func(a, b FundingRow) bool {
				a.FundingIntervalHours, b.FundingIntervalHours = 0, 0
				return a == b
			})
		st, stateChanged := applyOptions(old.State, opts)
		res = r
		res.Missing = MissingPoints(InferFundingSchedule(merged, st.IntervalHours))
		if r.Added == 0 && r.Updated == 0 && !stateChanged {
			return nil
		}
		st.UpdatedAt = l.now().UTC()
		rec := encodeFunding(l.mem, merged)
		defer rec.Release()
		if err := l.writeSeries(path, DatasetFunding, map[string]string{"symbol": symbol}, st, rec); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		res.Written = true
		return nil
	})
	return res, err
}

func isNoSeries(err error) bool { return errors.Is(err, ErrNoSeries) }
