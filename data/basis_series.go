package data

import (
	"fmt"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
)

// BasisSeries is a basis series as stored.
type BasisSeries struct {
	Key   BasisKey
	Rows  []BasisRow // sorted by Timestamp, unique
	State SeriesState
}

// Times returns the rows' timestamps.
func (s BasisSeries) Times() []time.Time {
	out := make([]time.Time, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r.Timestamp
	}
	return out
}

// ReadBasis reads a basis series; a series not in the lake wraps ErrNoSeries.
// A damaged file fails with a *DamagedError (see WithRebuildDamaged).
func (l *Lake) ReadBasis(key BasisKey) (BasisSeries, error) { return l.readBasis(key, false) }

// readBasis is ReadBasis; locked says the caller holds the partition's lock.
func (l *Lake) readBasis(key BasisKey, locked bool) (BasisSeries, error) {
	s := BasisSeries{Key: key}
	if err := key.Validate(); err != nil {
		return s, err
	}
	var rows []BasisRow
	st, err := l.readSeries(l.BasisPath(key), key.String(), DatasetBasis, key, locked, func(tbl arrow.Table) (err error) {
		rows, err = decodeBasis(tbl)
		return err
	})
	if err != nil {
		return s, err
	}
	s.Rows, s.State = rows, st
	return s, nil
}

// MergeBasis upserts rows into a basis series by timestamp (see upsert),
// keeps it sorted and rewrites the partition atomically; merging the same
// rows twice changes nothing. Invalid rows fail the whole merge and leave the
// stored series as it was.
func (l *Lake) MergeBasis(key BasisKey, rows []BasisRow, opts ...MergeOption) (MergeResult, error) {
	var res MergeResult
	if err := key.Validate(); err != nil {
		return res, err
	}
	incoming := make([]BasisRow, len(rows))
	for i, r := range rows {
		r.Timestamp = utcMilli(r.Timestamp)
		if err := r.Validate(key.Period); err != nil {
			return res, fmt.Errorf("%s: %w", key, err)
		}
		incoming[i] = r
	}
	path := l.BasisPath(key)
	err := l.withPartitionLock(path, func() error {
		old, err := l.readBasis(key, true)
		if err != nil && !isNoSeries(err) {
			return err
		}
		merged, r := upsert(old.Rows, incoming,
			func(b BasisRow) int64 { return b.Timestamp.UnixMilli() },
			func(a, b BasisRow) bool { return a == b })
		st, stateChanged := applyOptions(old.State, opts)
		res = r
		res.Missing = MissingPoints(BasisGaps(BasisSeries{Rows: merged}.Times(), key.Period))
		if r.Added == 0 && r.Updated == 0 && !stateChanged {
			return nil
		}
		st.UpdatedAt = l.now().UTC()
		rec := encodeBasis(l.mem, merged)
		defer rec.Release()
		if err := l.writeSeries(path, DatasetBasis, key, st, rec); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		res.Written = true
		return nil
	})
	return res, err
}
