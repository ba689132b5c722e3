package sweep

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/atomicfile"
)

// rowRef places one results row in one of the files being finalized: 24
// bytes a row, where holding the row itself took about 3 KB.
type rowRef struct {
	index int
	start int64 // byte offset of the row in its file
	size  int32
	src   int32 // which file
}

// indexRows reads the rows of the results files in order (dropping what
// readResults drops) and returns the first file's header and one row per
// combination index — the last read, as a rewrite keeps it — in index
// order.
func indexRows(ctx context.Context, paths []string) ([]string, []rowRef, error) {
	var header []string
	var rows []rowRef
	for src, path := range paths {
		rr, err := openResults(path)
		if err != nil {
			return nil, nil, err
		}
		if rr == nil {
			continue
		}
		if header == nil {
			header = rr.header
		}
		err = func() error {
			defer rr.close()
			for n := 0; ; n++ {
				if n%checkEvery == 0 && ctx.Err() != nil {
					return ctx.Err()
				}
				rec, start, end, err := rr.next()
				if err == io.EOF {
					return nil
				}
				if err != nil {
					return err
				}
				i, err := strconv.Atoi(rec[0])
				if err != nil {
					return fmt.Errorf("results: bad combination_index %q", rec[0])
				}
				rows = append(rows, rowRef{index: i, start: start, size: int32(end - start), src: int32(src)})
			}
		}()
		if err != nil {
			return nil, nil, fmt.Errorf("indexing %s: %w", path, err)
		}
	}
	slices.SortStableFunc(rows, func(a, b rowRef) int { return cmp.Compare(a.index, b.index) })
	last := rows[:0]
	for k, r := range rows {
		if k+1 == len(rows) || rows[k+1].index != r.index {
			last = append(last, r)
		}
	}
	return header, last, nil
}

// finalizeBatch is how many rows are re-read, rewritten and converted at
// a time: a few megabytes of text. The Parquet writer holds up to
// lake.TableRowGroupRows of them, typed, as one row group.
const finalizeBatch = 2048

// finalize rewrites dir/results.csv with the rows sorted by combination
// index and writes results.parquet beside it (both atomically), reading
// each row again from where indexRows found it, a batch at a time: each
// batch is written to both files before the next is read, so what is held
// is a batch and a row group, whatever the number of rows. An interrupted
// or failed finalize leaves both files as they were.
func finalize(ctx context.Context, dir string, header []string, kinds []data.ColumnKind, paths []string, rows []rowRef, footer map[string]string, workers int) error {
	defer collectTighter()()
	if len(header) != len(kinds) {
		return fmt.Errorf("results have %d columns, this carry writes %d: finish the sweep with the carry version that started it", len(header), len(kinds))
	}
	files := make([]*os.File, len(paths))
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("opening %s: %w", p, err)
		}
		if f != nil {
			defer f.Close()
		}
		files[i] = f
	}
	pq, err := atomicfile.Create(filepath.Join(dir, ResultsParquet))
	if err != nil {
		return err
	}
	defer pq.Abort()
	ts, err := newTableStream(pq.Writer(), header, kinds, footer, workers, finalizeBatch)
	if err != nil {
		return err
	}
	defer ts.close()
	if err := atomicfile.Write(filepath.Join(dir, ResultsCSV), func(w io.Writer) error {
		bw := bufio.NewWriterSize(w, 1<<20)
		cw := csv.NewWriter(bw)
		cw.Write(header)
		var scratch []byte
		for lo := 0; lo < len(rows); lo += finalizeBatch {
			if err := ctx.Err(); err != nil {
				return err
			}
			batch := rows[lo:min(lo+finalizeBatch, len(rows))]
			var recs [][]string
			var err error
			if recs, scratch, err = rereadRows(files, batch, scratch); err != nil {
				return err
			}
			for _, r := range recs {
				cw.Write(r)
			}
			if err := ts.write(recs); err != nil {
				return fmt.Errorf("writing %s: %w", ResultsParquet, err)
			}
		}
		if err := ts.close(); err != nil {
			return fmt.Errorf("writing %s: %w", ResultsParquet, err)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return fmt.Errorf("rewriting the results sorted: %w", err)
	}
	return pq.Commit(nil)
}

// tableStream converts batches of results rows to typed columns and
// writes them to a Parquet file through a lake.TableWriter (which makes a
// row group of every lake.TableRowGroupRows rows).
type tableStream struct {
	tw      *lake.TableWriter
	t       *data.Table
	cols    []column
	workers int
	closed  bool
}

func newTableStream(w io.Writer, header []string, kinds []data.ColumnKind, footer map[string]string, workers, batch int) (*tableStream, error) {
	tw, err := lake.NewTableWriter(w, header, kinds, footer)
	if err != nil {
		return nil, err
	}
	s := &tableStream{tw: tw, t: data.NewTable(header, kinds), cols: make([]column, len(kinds)), workers: workers}
	for c, k := range kinds {
		s.cols[c] = newColumn(k, batch)
	}
	return s, nil
}

// write converts recs and hands them to the writer, which copies them:
// the columns are reused by the next batch.
func (s *tableStream) write(recs [][]string) error {
	if len(recs) == 0 {
		return nil
	}
	for c := range s.cols {
		s.cols[c].reset()
	}
	convertColumns(s.cols, recs, s.workers)
	s.t.Rows = len(recs)
	for c, col := range s.cols {
		switch col.kind {
		case data.Float:
			s.t.Floats[c] = col.floats
		case data.Int, data.Time:
			s.t.Ints[c] = col.ints
		case data.Bool:
			s.t.Bools[c] = col.bools
		default:
			s.t.Strings[c] = col.strings
		}
	}
	return s.tw.Write(s.t)
}

// close finishes the file (once; later calls do nothing).
func (s *tableStream) close() error {
	if s.closed {
		return nil
	}
	s.closed = true
	return s.tw.Close()
}

// onlyHeader says whether a results file is missing or holds no row.
func onlyHeader(path string) (bool, error) {
	rr, err := openResults(path)
	if rr == nil || err != nil {
		return err == nil, err
	}
	defer rr.close()
	_, _, _, err = rr.next()
	if err == io.EOF {
		return true, nil
	}
	return false, err
}

// tableGCPercent is GOGC while results.parquet is written. What the
// conversion holds is small (a batch of rows and one row group's typed
// columns, lake.TableRowGroupRows rows), but it allocates them afresh for
// every batch and row group, beside the analyses and charts that run at
// the same time: at 25 % the heap stays near what is live instead of
// growing to twice it between collections.
const tableGCPercent = 25

// collectTighter lowers GOGC to tableGCPercent (unless it is lower) and
// returns what restores it.
func collectTighter() func() {
	prev := debug.SetGCPercent(tableGCPercent)
	if prev >= 0 && prev < tableGCPercent {
		debug.SetGCPercent(prev)
	}
	return func() { debug.SetGCPercent(prev) }
}

// rereadRows reads the batch's rows from their files (rows next to each
// other in a file in one read, into buf, which it returns for reuse) and
// parses them.
func rereadRows(files []*os.File, batch []rowRef, buf []byte) ([][]string, []byte, error) {
	buf = buf[:0]
	for k := 0; k < len(batch); {
		run := batch[k]
		end := run.start + int64(run.size)
		for k++; k < len(batch) && batch[k].src == run.src && batch[k].start == end; k++ {
			end += int64(batch[k].size)
		}
		n := len(buf)
		buf = slices.Grow(buf, int(end-run.start)+1)[:n+int(end-run.start)]
		if _, err := files[run.src].ReadAt(buf[n:], run.start); err != nil {
			return nil, buf, fmt.Errorf("reading results rows again: %w", err)
		}
		if buf[len(buf)-1] != '\n' {
			buf = append(buf, '\n') // the file's last row, with no newline
		}
	}
	r := csv.NewReader(bytes.NewReader(buf))
	r.FieldsPerRecord = -1
	recs := make([][]string, len(batch))
	for i := range recs {
		rec, err := r.Read()
		if err != nil {
			return nil, buf, fmt.Errorf("parsing results row %d again: %w", batch[i].index, err)
		}
		recs[i] = rec
	}
	return recs, buf, nil
}

// convertColumns appends the records' values to the typed columns,
// spreading the columns over the workers.
func convertColumns(cols []column, recs [][]string, workers int) {
	var wg sync.WaitGroup
	for w := range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := w; c < len(cols); c += max(1, workers) {
				for _, r := range recs {
					cols[c].add(r[c])
				}
			}
		}()
	}
	wg.Wait()
}

// column is one results column of a batch converted to its type.
type column struct {
	kind    data.ColumnKind
	floats  []float64
	ints    []int64
	bools   []bool
	strings []string
}

func newColumn(k data.ColumnKind, rows int) column {
	c := column{kind: k}
	switch k {
	case data.Float:
		c.floats = make([]float64, 0, rows)
	case data.Int, data.Time:
		c.ints = make([]int64, 0, rows)
	case data.Bool:
		c.bools = make([]bool, 0, rows)
	default:
		c.strings = make([]string, 0, rows)
	}
	return c
}

// reset empties the column for the next batch, keeping its capacity.
func (c *column) reset() {
	c.floats, c.ints, c.bools = c.floats[:0], c.ints[:0], c.bools[:0]
	clear(c.strings) // the batch's rows are not held past it
	c.strings = c.strings[:0]
}

// add converts one value: an empty number is null (NaN), an unreadable one
// what strconv makes of it. Text is kept as it is: the writer copies it
// before the batch's rows are dropped.
func (c *column) add(v string) {
	switch c.kind {
	case data.Float:
		f := math.NaN()
		if v != "" {
			f, _ = strconv.ParseFloat(v, 64)
		}
		c.floats = append(c.floats, f)
	case data.Int:
		n, _ := strconv.ParseInt(v, 10, 64)
		c.ints = append(c.ints, n)
	case data.Bool:
		c.bools = append(c.bools, v == "true")
	case data.Time:
		c.ints = append(c.ints, timeMillis(v))
	default:
		c.strings = append(c.strings, v)
	}
}

// timeMillis is a Time cell (RFC 3339, as results.csv writes instants) as
// Unix milliseconds (TIMESTAMP(MILLIS, UTC): sub-millisecond digits are
// dropped), data.NullTime when empty or unreadable.
func timeMillis(v string) int64 {
	if v == "" {
		return data.NullTime
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return data.NullTime
	}
	return t.UnixMilli()
}
