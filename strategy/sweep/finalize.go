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
	"strings"
	"sync"

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
// a time: a few megabytes.
const finalizeBatch = 4096

// finalize rewrites dir/results.csv with the rows sorted by combination
// index and writes results.parquet beside it (both atomically), reading
// each row again from where indexRows found it: what is held is the
// Parquet table's typed columns, not the rows' text.
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
	cols := make([]column, len(kinds))
	for c, k := range kinds {
		cols[c] = newColumn(k, len(rows))
	}
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
			convertColumns(cols, recs, workers)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
		return bw.Flush()
	}); err != nil {
		return fmt.Errorf("rewriting the results sorted: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err // the Parquet writer cannot be stopped once started
	}
	return writeParquet(dir, header, kinds, cols, len(rows), footer)
}

// writeParquet writes dir/results.parquet from the converted columns.
func writeParquet(dir string, header []string, kinds []data.ColumnKind, cols []column, rows int, footer map[string]string) error {
	t := data.NewTable(header, kinds)
	t.Rows = rows
	for c, col := range cols {
		switch kinds[c] {
		case data.Float:
			t.Floats[c] = col.floats
		case data.Int:
			t.Ints[c] = col.ints
		case data.Bool:
			t.Bools[c] = col.bools
		default:
			t.Strings[c] = col.strings
		}
	}
	return atomicfile.Write(filepath.Join(dir, ResultsParquet), func(w io.Writer) error { return lake.WriteTableParquet(w, t, footer) })
}

// convertSorted writes results.parquet from a results.csv already sorted
// by index with one row per combination (a fresh sweep's, written in
// order), reading it once and leaving it as it is. rows is how many it
// holds (the columns are made that size at once).
func convertSorted(ctx context.Context, dir string, header []string, kinds []data.ColumnKind, rowCount int, footer map[string]string, workers int) error {
	defer collectTighter()()
	path := filepath.Join(dir, ResultsCSV)
	rr, err := openResults(path)
	if err != nil {
		return err
	}
	if rr == nil {
		return fmt.Errorf("%s: no rows", path)
	}
	defer rr.close()
	if !slices.Equal(rr.header, header) {
		return fmt.Errorf("%s: its header is not this carry's", path)
	}
	cols := make([]column, len(kinds))
	for c, k := range kinds {
		cols[c] = newColumn(k, rowCount)
	}
	rows := 0
	batch := make([][]string, 0, finalizeBatch)
	convert := func() {
		convertColumns(cols, batch, workers)
		rows += len(batch)
		batch = batch[:0]
	}
	for {
		rec, _, _, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		batch = append(batch, slices.Clone(rec)) // the reader reuses rec
		if len(batch) == finalizeBatch {
			if err := ctx.Err(); err != nil {
				return err
			}
			convert()
		}
	}
	convert()
	if err := ctx.Err(); err != nil {
		return err // the Parquet writer cannot be stopped once started
	}
	return writeParquet(dir, header, kinds, cols, rows, footer)
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

// tableGCPercent is GOGC while the Parquet table is built and written.
// That table (and the Arrow copy the writer makes of it) is the largest
// thing a sweep ever holds, and at GOGC=100 the heap grows to twice it
// before a collection: at 25 % the peak stays near the table itself, for
// a few more collections of a heap that is mostly the table.
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

// maxShared bounds the distinct values a text column shares copies of.
const maxShared = 1 << 16

// column is one results column converted to its type.
type column struct {
	kind    data.ColumnKind
	floats  []float64
	ints    []int64
	bools   []bool
	strings []string
	shared  map[string]string
}

func newColumn(k data.ColumnKind, rows int) column {
	c := column{kind: k}
	switch k {
	case data.Float:
		c.floats = make([]float64, 0, rows)
	case data.Int:
		c.ints = make([]int64, 0, rows)
	case data.Bool:
		c.bools = make([]bool, 0, rows)
	default:
		c.strings, c.shared = make([]string, 0, rows), map[string]string{}
	}
	return c
}

// add converts one value: an empty number is null (NaN), an unreadable one
// what strconv makes of it.
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
	default:
		c.strings = append(c.strings, c.keep(v))
	}
}

// keep copies v out of the row it was parsed from (which it would hold
// whole), sharing one copy of repeated values: symbols, periods, dates.
func (c *column) keep(v string) string {
	if s, ok := c.shared[v]; ok {
		return s
	}
	s := strings.Clone(v)
	if len(c.shared) < maxShared {
		c.shared[s] = s
	}
	return s
}
