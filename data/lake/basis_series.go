package lake

import (
	"fmt"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// ReadBasis reads a basis series; a series not in the lake wraps ErrNoSeries.
// A damaged file fails with a *DamagedError (see WithRebuildDamaged).
func (l *Lake) ReadBasis(key data.BasisKey) (data.BasisSeries, error) { return l.readBasis(key, false) }

// readBasis is ReadBasis; locked says the caller holds the partition's lock.
func (l *Lake) readBasis(key data.BasisKey, locked bool) (data.BasisSeries, error) {
	s := data.BasisSeries{Key: key}
	if err := key.Validate(); err != nil {
		return s, err
	}
	var rows []data.BasisRow
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
func (l *Lake) MergeBasis(key data.BasisKey, rows []data.BasisRow, opts ...MergeOption) (MergeResult, error) {
	var res MergeResult
	if err := key.Validate(); err != nil {
		return res, err
	}
	incoming := make([]data.BasisRow, len(rows))
	for i, r := range rows {
		r.Timestamp = data.UTCMilli(r.Timestamp)
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
			func(b data.BasisRow) int64 { return b.Timestamp.UnixMilli() },
			func(a, b data.BasisRow) bool { return a == b })
		st, stateChanged := applyOptions(old.State, opts)
		res = r
		sum := data.BasisSeries{Key: key, Rows: merged}.Summary()
		res.Missing = sum.Missing
		if r.Added == 0 && r.Updated == 0 && !stateChanged {
			return nil
		}
		st.UpdatedAt = l.now().UTC()
		rec := encodeBasis(l.mem, merged)
		defer rec.Release()
		if err := l.writeSeries(path, DatasetBasis, key, st, sum, rec); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		res.Written = true
		return nil
	})
	return res, err
}
