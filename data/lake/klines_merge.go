package lake

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// KlineMerge upserts batches of candles into one kline series and writes it
// once: the stored file is read one row group at a time beside the
// batches, and the merged series streamed into a new file put in place by
// Commit. Memory holds a row group of each, never the series, and a
// session costs one read and at most one write of the series however many
// batches it takes — a batch per archive file or REST page used to rewrite
// the whole series each time.
//
// Batches are merged as they come when each starts after the candles
// already merged (archive months and REST pages in time order); one that
// does not makes the session write what it has and start over on the new
// file (a checkpoint), so any order is correct and time order is fast. A
// session also checkpoints once it has changed more rows than the series
// held at its last write (and at least checkpointRows), so that a process
// killed during a long import keeps most of it while the total written
// stays within twice the series.
//
// The partition stays locked from StartKlineMerge until Commit or Abort;
// readers are never blocked (files are replaced by rename). A KlineMerge is
// not safe for concurrent use.
type KlineMerge struct {
	l     *Lake
	key   data.KlineKey
	what  string
	path  string
	state data.SeriesState
	// stateChanged says the state differs from the last written file's.
	stateChanged bool
	unlock       func()
	pass         klinePass
	total        MergeResult
	err          error // a failed read or write: the session is over
	done         bool
}

// klinePass is one read of the stored file and at most one write.
type klinePass struct {
	old     *klineCursor // nil: no file stored
	out     *klineOut    // nil until the pass changes a row
	since   time.Time    // when out was started, by the lake's clock
	stored  int          // rows in the stored file
	changed int          // rows added or updated in this pass
	emitted bool
	last    int64 // open time of the last row emitted, ms
	// sum sums up the candles emitted: the footer's summary when the pass
	// writes.
	sum *data.GridSummarizer
}

// checkpointRows is the least number of changed rows after which a session
// writes what it has (see KlineMerge); a variable for tests.
var checkpointRows = 1 << 20

// checkpointAfter bounds how long a session writes one file before it puts
// it in place: a slow REST import keeps its work every few minutes, and
// its temporary file is never left unmodified for the hour after which
// another process's sweep may remove it (data.StaleTempAge).
var checkpointAfter = 10 * time.Minute

// streamGroupRows bounds the row groups of a streamed write: small enough
// that a merge's memory does not grow with the series (a year of 1h
// candles is 8,760 rows), large enough for zstd and readers.
const streamGroupRows = 4096

// StartKlineMerge locks the series' partition, checks its stored file (a
// damaged one fails with a *DamagedError, or on a lake opened
// WithRebuildDamaged is set aside and the series starts empty) and returns
// a session. Call Commit to store what was added, or Abort.
func (l *Lake) StartKlineMerge(key data.KlineKey) (*KlineMerge, error) {
	if err := checkKlineKey(key); err != nil {
		return nil, err
	}
	m := &KlineMerge{l: l, key: key, what: klinesWhat(key), path: l.KlinesPath(key)}
	unlock, err := l.lockForWrite(m.path)
	if err != nil {
		return nil, err
	}
	rows := 0
	st, err := l.readSeriesWith(m.path, m.what, true, func() (data.SeriesState, error) {
		rows = 0
		return l.scanSeriesFile(m.path, DatasetKlines, klineFooterKey(key), klineFields, func(tbl arrow.Table) error {
			got, err := decodeKlines(tbl)
			rows += len(got)
			return err
		})
	})
	if err != nil && !isNoSeries(err) {
		unlock()
		return nil, err
	}
	m.unlock, m.state = unlock, st
	if err := m.startPass(rows); err != nil {
		unlock()
		return nil, err
	}
	return m, nil
}

// State is the series' state with every batch's options applied so far.
func (m *KlineMerge) State() data.SeriesState { return m.state }

// Add upserts rows (any order; of equal open times the last wins) and
// applies opts to the series' state. It validates and drops open candles
// as MergeKlines does; invalid rows fail this batch alone, naming the
// candle, and the session goes on. The result counts this batch's rows
// (Added, Updated, Unchanged, OpenDropped); Rows and Missing come with
// Commit.
func (m *KlineMerge) Add(rows []data.KlineRow, opts ...MergeOption) (MergeResult, error) {
	var res MergeResult
	if err := m.usable(); err != nil {
		return res, err
	}
	incoming, dropped, err := m.l.closedKlines(m.key, rows)
	if err != nil {
		return res, fmt.Errorf("%s: %w", m.what, err)
	}
	if dropped.n > 0 {
		opts = append(slices.Clip(opts), coverOnlyBefore(dropped.first)) // never into the caller's array
	}
	if len(incoming) > 0 && m.pass.emitted && openMilli(incoming[0]) <= m.pass.last {
		if err := m.checkpoint(); err != nil {
			return res, m.fail(err)
		}
	}
	for _, r := range incoming {
		if err := m.put(r, &res); err != nil {
			return res, m.fail(err)
		}
	}
	st, changed := applyOptions(m.state, opts)
	m.state, m.stateChanged = st, m.stateChanged || changed
	m.total.Added += res.Added
	m.total.Updated += res.Updated
	m.total.Unchanged += res.Unchanged
	m.total.OpenDropped += dropped.n
	res.OpenDropped = dropped.n
	if m.pass.out != nil && (m.pass.changed >= max(checkpointRows, m.pass.stored) || m.l.now().Sub(m.pass.since) >= checkpointAfter) {
		if err := m.checkpoint(); err != nil {
			return res, m.fail(err)
		}
	}
	return res, nil
}

// Commit writes the merged series and its state if anything changed (the
// file is left alone otherwise), releases the partition and returns the
// session's totals: Rows and Missing describe the series as stored.
func (m *KlineMerge) Commit() (MergeResult, error) {
	if err := m.usable(); err != nil {
		m.Abort()
		return m.total, err
	}
	defer m.Abort()
	if err := m.finishPass(); err != nil {
		return m.total, m.fail(err)
	}
	sum := m.pass.sum.Summary()
	m.total.Rows, m.total.Missing = sum.Rows, sum.Missing
	return m.total, nil
}

// Abort discards what was not committed and releases the partition; it
// may be called any number of times, and after Commit.
func (m *KlineMerge) Abort() {
	if m.done {
		return
	}
	m.done = true
	m.pass.close()
	m.unlock()
}

func (m *KlineMerge) usable() error {
	switch {
	case m.err != nil:
		return m.err
	case m.done:
		return fmt.Errorf("%s: the merge was already committed or aborted", m.what)
	}
	return nil
}

func (m *KlineMerge) fail(err error) error {
	m.err = fmt.Errorf("%s: %w", m.what, err)
	return m.err
}

// put merges one candle: stored candles before it pass through; a stored
// candle at its open time is replaced.
func (m *KlineMerge) put(r data.KlineRow, res *MergeResult) error {
	k := openMilli(r)
	o, ok, err := m.pass.skipTo(k, m.emit)
	if err != nil {
		return err
	}
	if ok && openMilli(o) == k && o == r {
		m.pass.old.pop()
		res.Unchanged++
		return m.emit(r)
	}
	if m.pass.out == nil {
		if err := m.startWriting(k); err != nil {
			return err
		}
	}
	if o, ok, err = m.pass.old.peek(); err != nil {
		return err
	}
	if ok && openMilli(o) == k {
		m.pass.old.pop()
		res.Updated++
	} else {
		res.Added++
	}
	m.pass.changed++
	return m.emit(r)
}

// emit appends a candle to the pass's series: counted always, written once
// the pass writes.
func (m *KlineMerge) emit(r data.KlineRow) error {
	k := openMilli(r)
	m.pass.sum.Add(k)
	m.pass.last, m.pass.emitted = k, true
	if m.pass.out != nil {
		return m.pass.out.add(r)
	}
	return nil
}

// startWriting starts the pass's file at the first change, at open time
// k: the stored candles before k, which the pass has already counted, are
// copied from a fresh read of the stored file, which then carries on.
func (m *KlineMerge) startWriting(k int64) error {
	out, err := m.l.newKlineOut(m.path, m.key.Kind)
	if err != nil {
		return err
	}
	m.pass.out, m.pass.since = out, m.l.now()
	if m.pass.old == nil {
		return nil
	}
	fresh, err := m.l.openKlineCursor(m.path, m.key)
	if err != nil {
		return err
	}
	m.pass.old.close()
	m.pass.old = fresh
	for {
		o, ok, err := fresh.peek()
		if err != nil || !ok || openMilli(o) >= k {
			return err
		}
		fresh.pop()
		if err := out.add(o); err != nil {
			return err
		}
	}
}

// finishPass passes the rest of the stored candles through and, if the
// pass changed a row or the state, writes the file.
func (m *KlineMerge) finishPass() error {
	if _, _, err := m.pass.skipTo(math.MaxInt64, m.emit); err != nil {
		return err
	}
	if m.pass.out == nil && !m.stateChanged {
		return nil
	}
	if m.pass.out == nil {
		if err := m.startWriting(math.MaxInt64); err != nil {
			return err
		}
	}
	st := m.state
	st.UpdatedAt = m.l.now().UTC()
	sum := m.pass.sum.Summary()
	st.Summary = &sum
	footer, err := seriesFooter(DatasetKlines, klineFooterKey(m.key), st)
	if err != nil {
		return err
	}
	if err := m.pass.out.commit(footer, m.l.beforeRename); err != nil {
		return err
	}
	m.pass.out = nil
	m.state, m.stateChanged = st, false
	m.total.Written = true
	return nil
}

// checkpoint writes what the session has and starts a new pass over it.
func (m *KlineMerge) checkpoint() error {
	if err := m.finishPass(); err != nil {
		return err
	}
	rows := m.pass.sum.Summary().Rows
	m.pass.close()
	return m.startPass(rows)
}

// startPass starts reading the stored file, of rows candles, if any.
func (m *KlineMerge) startPass(rows int) error {
	m.pass = klinePass{stored: rows, sum: data.NewGridSummarizer(m.key.Interval.Duration())}
	c, err := m.l.openKlineCursor(m.path, m.key)
	if errors.Is(err, errNoFile) {
		return nil
	}
	m.pass.old = c
	return err
}

// skipTo emits the stored candles before open time k and returns the next
// stored candle, if any.
func (p *klinePass) skipTo(k int64, emit func(data.KlineRow) error) (data.KlineRow, bool, error) {
	if p.old == nil {
		return data.KlineRow{}, false, nil
	}
	for {
		o, ok, err := p.old.peek()
		if err != nil || !ok || openMilli(o) >= k {
			return o, ok, err
		}
		p.old.pop()
		if err := emit(o); err != nil {
			return o, false, err
		}
	}
}

func (p *klinePass) close() {
	if p.old != nil {
		p.old.close()
	}
	if p.out != nil {
		p.out.abort()
	}
	p.old, p.out = nil, nil
}

func openMilli(r data.KlineRow) int64 { return r.OpenTime.UnixMilli() }

// droppedOpen counts the candles of a batch that had not closed.
type droppedOpen struct {
	n     int
	first time.Time // the earliest one's open time
}

// closedKlines checks a batch (checkKline), drops the candles still open by
// the lake's clock (logged) and returns the rest sorted by open time, the
// last of equal open times kept.
func (l *Lake) closedKlines(key data.KlineKey, rows []data.KlineRow) ([]data.KlineRow, droppedOpen, error) {
	var d droppedOpen
	now := l.now()
	out := make([]data.KlineRow, 0, len(rows))
	sorted := true
	for _, r := range rows {
		r, err := checkKline(key, r)
		if err != nil {
			return nil, d, err
		}
		if r.CloseTime.After(now) {
			if d.n == 0 || r.OpenTime.Before(d.first) {
				d.first = r.OpenTime
			}
			d.n++
			continue
		}
		if n := len(out); n > 0 && openMilli(out[n-1]) >= openMilli(r) {
			sorted = false
		}
		out = append(out, r)
	}
	if d.n > 0 {
		l.logger.Info("not storing candles that had not closed yet (their prices are not final)",
			"series", klinesWhat(key), "dropped", d.n, "first_open_time", d.first, "clock", now.UTC())
	}
	if sorted {
		return out, d, nil
	}
	slices.SortStableFunc(out, func(a, b data.KlineRow) int { return cmp.Compare(openMilli(a), openMilli(b)) })
	kept := out[:0]
	for i, r := range out {
		if i+1 < len(out) && openMilli(out[i+1]) == openMilli(r) {
			continue // a later candle of the same open time wins
		}
		kept = append(kept, r)
	}
	return kept, d, nil
}
