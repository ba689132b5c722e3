package lake

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// ErrNoSeries is returned (wrapped) when a series has no file in the lake.
var ErrNoSeries = errors.New("series not in the lake")

// Footer keys of a series file. carry.state holds SeriesState as JSON.
const (
	footerFormat  = "carry.format"
	footerDataset = "carry.dataset"
	footerSeries  = "carry.series"
	footerState   = "carry.state"
	formatVersion = "1"
)

// MergeOption updates a series' state along with a merge.
type MergeOption func(*data.SeriesState)

// WithHistoryStart records the oldest instant the exchange serves.
func WithHistoryStart(t time.Time) MergeOption {
	return func(s *data.SeriesState) { s.HistoryStart = t.UTC() }
}

// WithIntervalHours records the symbol's current funding interval.
func WithIntervalHours(h int) MergeOption {
	return func(s *data.SeriesState) { s.IntervalHours = h }
}

// WithCovered records that span was fetched completely.
func WithCovered(span data.Span) MergeOption {
	return func(s *data.SeriesState) { s.Covered = s.Covered.Add(span) }
}

// WithChecksum records that the rows of the public archive's file (e.g.
// BTCUSDT-1h-2026-01.zip) were imported, and the SHA-256 of its zip.
func WithChecksum(file, sum string) MergeOption {
	return func(s *data.SeriesState) {
		s.Checksums = maps.Clone(s.Checksums) // the stored state's map stays as read
		if s.Checksums == nil {
			s.Checksums = map[string]string{}
		}
		s.Checksums[file] = sum
	}
}

// MergeResult counts what a merge did.
type MergeResult struct {
	Added     int  // rows new to the series
	Updated   int  // rows whose values changed
	Unchanged int  // rows already stored as given
	Rows      int  // rows in the series afterwards
	Written   bool // false when nothing changed and the file was left alone
	// Missing counts the points absent between the series' first and last
	// rows afterwards (its gaps).
	Missing int
	// OpenDropped counts candles not stored because they had not closed
	// by the lake's clock (klines only; see MergeKlines).
	OpenDropped int
}

// upsert merges incoming rows into stored ones (both with unique keys; stored
// sorted) by key: an incoming row replaces a stored row with the same key,
// later incoming rows win over earlier ones. The result is sorted by key.
func upsert[T any](stored, incoming []T, key func(T) int64, same func(a, b T) bool) ([]T, MergeResult) {
	var res MergeResult
	byKey := make(map[int64]int, len(stored))
	merged := slices.Clone(stored)
	for i, r := range merged {
		byKey[key(r)] = i
	}
	seen := make(map[int64]bool, len(incoming))
	for _, r := range incoming {
		k := key(r)
		i, ok := byKey[k]
		switch {
		case !ok:
			byKey[k] = len(merged)
			merged = append(merged, r)
			res.Added++
		case same(merged[i], r):
			if !seen[k] {
				res.Unchanged++
			}
		default:
			merged[i] = r
			if i < len(stored) && !seen[k] {
				res.Updated++
			}
		}
		seen[k] = true
	}
	slices.SortStableFunc(merged, func(a, b T) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	res.Rows = len(merged)
	return merged, res
}

// readSeries reads the series file at path (what names it in errors),
// checks that its footer, when it names a dataset and a series, names
// dataset and key, decodes its rows with decode and returns its state. A
// missing file wraps ErrNoSeries. A damaged file (see DamagedError) fails
// with a *DamagedError — or, on a lake opened WithRebuildDamaged, is set
// aside and wraps ErrNoSeries; locked says the caller holds the
// partition's lock.
func (l *Lake) readSeries(path, what, dataset string, key any, locked bool, decode func(arrow.Table) error) (data.SeriesState, error) {
	return l.readSeriesWith(path, what, locked, func() (data.SeriesState, error) {
		return l.readSeriesFile(path, dataset, key, decode)
	})
}

// readSeriesWith is readSeries with the file read by read, which fails as
// readSeriesFile does (os.ErrNotExist, *DamagedError, *UnreadableError).
func (l *Lake) readSeriesWith(path, what string, locked bool, read func() (data.SeriesState, error)) (data.SeriesState, error) {
	st, err := read()
	var damaged *DamagedError
	if !l.rebuildDamaged || !errors.As(err, &damaged) {
		if errors.Is(err, os.ErrNotExist) {
			return st, fmt.Errorf("%s: %w", what, ErrNoSeries)
		}
		if err != nil {
			return st, fmt.Errorf("%s: %w", what, err)
		}
		return st, nil
	}
	moved, aside := l.setAside(path, damaged.info, locked)
	switch {
	case errors.Is(aside, errReplaced):
		// A writer replaced the file meanwhile: read what it wrote.
		return l.readSeriesWith(path, what, locked, read)
	case aside != nil:
		return st, fmt.Errorf("%s: %w (%w)", what, err, aside)
	}
	l.logger.Warn("set a damaged series file aside, never deleted; the series is fetched again from scratch",
		"series", what, "file", path, "moved_to", moved, "damage", damaged.Err)
	return data.SeriesState{}, fmt.Errorf("%s: %w (the damaged file was set aside as %s)", what, ErrNoSeries, moved)
}

// readSeriesFile is readSeries without the rebuild: errors name the file,
// not the series.
func (l *Lake) readSeriesFile(path, dataset string, key any, decode func(arrow.Table) error) (data.SeriesState, error) {
	var st data.SeriesState
	pf, err := readParquet(l.mem, path)
	if err != nil {
		return st, err
	}
	defer pf.Release()
	bad := func(err error) error { return &DamagedError{Path: path, Err: err, info: pf.info} }
	if err := checkFooter(pf.footer, dataset, key); err != nil {
		return st, bad(err)
	}
	if raw, ok := pf.footer[footerState]; ok {
		if err := json.Unmarshal([]byte(raw), &st); err != nil {
			return data.SeriesState{}, bad(fmt.Errorf("footer state: %w", err))
		}
	}
	if err := decode(pf.table); err != nil {
		return data.SeriesState{}, bad(fmt.Errorf("decoding: %w", err))
	}
	return st, nil
}

// checkFooter refuses a file whose footer names another dataset or series
// than its partition's (a file copied into the wrong place). A file
// without carry's footer keys (written by another tool) is judged by its
// columns alone.
func checkFooter(footer map[string]string, dataset string, key any) error {
	if got, ok := footer[footerDataset]; ok && got != dataset {
		return fmt.Errorf("its footer says it holds the %s dataset, not %s", got, dataset)
	}
	raw, ok := footer[footerSeries]
	if !ok {
		return nil
	}
	want, err := json.Marshal(key)
	if err != nil {
		return err
	}
	var g, w map[string]string
	if json.Unmarshal([]byte(raw), &g) != nil || json.Unmarshal(want, &w) != nil || !maps.Equal(g, w) {
		return fmt.Errorf("its footer says it holds the series %s, not %s", raw, want)
	}
	return nil
}

// writeSeries atomically replaces a series file with rec and its state,
// which gets sum, the summary of rec's rows: every writer passes one, so a
// footer never keeps a summary of rows it no longer holds.
func (l *Lake) writeSeries(path, dataset string, key any, st data.SeriesState, sum data.SeriesSummary, rec arrow.Record) error {
	sum = sum.Footer()
	st.Summary = &sum
	footer, err := seriesFooter(dataset, key, st)
	if err != nil {
		return err
	}
	return atomicfile.WriteHooked(path, func(w io.Writer) error { return writeParquet(w, rec, footer) }, l.beforeRename)
}

// seriesFooter is the key-value metadata of a series file.
func seriesFooter(dataset string, key any, st data.SeriesState) (map[string]string, error) {
	keyJSON, err := json.Marshal(key)
	if err != nil {
		return nil, err
	}
	stJSON, err := json.Marshal(st)
	if err != nil {
		return nil, err
	}
	return map[string]string{
		footerFormat:  formatVersion,
		footerDataset: dataset,
		footerSeries:  string(keyJSON),
		footerState:   string(stJSON),
	}, nil
}

// withPartitionLock creates path's directory, locks it, clears temporary
// files a crashed writer left, and runs fn.
func (l *Lake) withPartitionLock(path string, fn func() error) error {
	unlock, err := l.lockForWrite(path)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// lockForWrite is withPartitionLock for a caller that writes over many
// calls: it returns with the lock held.
func (l *Lake) lockForWrite(path string) (unlock func(), err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o777); err != nil { // less the umask
		return nil, fmt.Errorf("creating partition %s: %w", dir, err)
	}
	if unlock, err = l.lockPartition(dir); err != nil {
		return nil, err
	}
	if err := removeStaleTemps(dir); err != nil {
		unlock()
		return nil, fmt.Errorf("cleaning partition %s: %w", dir, err)
	}
	return unlock, nil
}

func applyOptions(st data.SeriesState, opts []MergeOption) (data.SeriesState, bool) {
	before, _ := json.Marshal(st)
	for _, o := range opts {
		o(&st)
	}
	after, _ := json.Marshal(st)
	return st, string(before) != string(after)
}
