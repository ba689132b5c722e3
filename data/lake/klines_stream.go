package lake

import (
	"errors"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// errNoFile says a series has no stored file to read.
var errNoFile = errors.New("no stored file")

// klineCursor reads a stored kline series in order, a row group at a time.
type klineCursor struct {
	s    *seriesStream
	rows []data.KlineRow // the current row group
	i    int
}

// openKlineCursor opens the stored series; errNoFile if there is none.
func (l *Lake) openKlineCursor(path string, key data.KlineKey) (*klineCursor, error) {
	s, err := l.openSeriesStream(path, DatasetKlines, klineFooterKey(key), klineFields)
	if errors.Is(err, os.ErrNotExist) {
		return nil, errNoFile
	}
	if err != nil {
		return nil, err
	}
	return &klineCursor{s: s}, nil
}

// peek returns the next candle without consuming it; false at the end (a
// nil cursor, of a series not stored, is always at its end).
func (c *klineCursor) peek() (data.KlineRow, bool, error) {
	if c == nil {
		return data.KlineRow{}, false, nil
	}
	for c.i >= len(c.rows) {
		c.rows, c.i = c.rows[:0], 0
		more, err := c.s.nextGroup(func(tbl arrow.Table) (err error) {
			c.rows, err = decodeKlinesInto(c.rows, tbl)
			return err
		})
		if err != nil || !more {
			return data.KlineRow{}, false, err
		}
	}
	return c.rows[c.i], true, nil
}

func (c *klineCursor) pop() { c.i++ }

func (c *klineCursor) close() { c.s.Close() }

// klineOut streams candles into a new series file, a row group at a time.
type klineOut struct {
	l       *Lake
	kind    data.KlineKind
	pending *atomicfile.Pending
	fw      *pqarrow.FileWriter
	buf     []data.KlineRow
}

func (l *Lake) newKlineOut(path string, kind data.KlineKind) (*klineOut, error) {
	p, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	fw, err := newParquetWriter(p.Writer(), arrow.NewSchema(klineFields, nil))
	if err != nil {
		p.Abort()
		return nil, err
	}
	return &klineOut{l: l, kind: kind, pending: p, fw: fw, buf: make([]data.KlineRow, 0, streamGroupRows)}, nil
}

func (o *klineOut) add(r data.KlineRow) error {
	o.buf = append(o.buf, r)
	if len(o.buf) < streamGroupRows {
		return nil
	}
	return o.flush()
}

// flush writes the buffered candles as one row group.
func (o *klineOut) flush() error {
	if len(o.buf) == 0 {
		return nil
	}
	rec := encodeKlines(o.l.mem, o.kind, o.buf)
	defer rec.Release()
	o.buf = o.buf[:0]
	return o.fw.Write(rec)
}

// commit writes the last row group and the footer and puts the file in
// place (see atomicfile.Pending.Commit).
func (o *klineOut) commit(footer map[string]string, beforeRename func(string) error) error {
	if err := o.flush(); err != nil {
		return err
	}
	if err := appendFooter(o.fw, footer); err != nil {
		return err
	}
	if err := o.fw.Close(); err != nil {
		return err
	}
	return o.pending.Commit(beforeRename)
}

func (o *klineOut) abort() {
	o.fw.Close()
	o.pending.Abort()
}
