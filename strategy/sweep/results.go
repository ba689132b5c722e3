package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy/backtest"
)

// The sweep's result files.
const (
	ResultsCSV     = "results.csv"
	ResultsParquet = "results.parquet"
	ManifestJSON   = "sweep.json"
)

// Row is one combination's result: its index, id and summary.
type Row struct {
	Index   int
	ID      string
	Summary backtest.Summary
}

// columns are the results files' header and column types:
// combination_index, id, then every summary column (the layout does not
// depend on the values, so an empty summary gives it).
func columns() ([]string, []data.ColumnKind, error) {
	cols, kinds, _, err := backtest.Columns(backtest.Summary{})
	if err != nil {
		return nil, nil, err
	}
	return append([]string{"combination_index", "id"}, cols...), append([]data.ColumnKind{data.Int, data.String}, kinds...), nil
}

func record(r Row) ([]string, error) {
	_, _, vals, err := backtest.Columns(r.Summary)
	if err != nil {
		return nil, err
	}
	return append([]string{strconv.Itoa(r.Index), r.ID}, vals...), nil
}

// appender streams rows to results.csv as they complete.
type appender struct {
	f   *os.File
	buf *bufio.Writer
	w   *csv.Writer
}

// openAppender opens dir/results.csv for appending, first dropping a torn
// last line a killed run may have left; it writes the header to a new file.
func openAppender(dir string, header []string) (*appender, error) {
	path := filepath.Join(dir, ResultsCSV)
	if err := truncateTornTail(path); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o666) // less the umask, like every file carry writes
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	a := &appender{f: f, buf: bufio.NewWriter(f)}
	a.w = csv.NewWriter(a.buf)
	if st, _ := f.Stat(); st.Size() == 0 {
		if err := a.w.Write(header); err != nil {
			f.Close()
			return nil, err
		}
	}
	return a, a.flush(false)
}

// writeLine appends a CSV line a worker formatted.
func (a *appender) writeLine(line []byte) error {
	a.w.Flush()
	_, err := a.buf.Write(line)
	return err
}

// csvLine formats one record as a CSV line.
func csvLine(rec []string) ([]byte, error) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.Write(rec); err != nil {
		return nil, err
	}
	w.Flush()
	return b.Bytes(), w.Error()
}

// flush hands buffered rows to the OS, and with sync to the disk.
func (a *appender) flush(sync bool) error {
	a.w.Flush()
	if err := a.w.Error(); err != nil {
		return err
	}
	if err := a.buf.Flush(); err != nil {
		return err
	}
	if sync {
		return a.f.Sync()
	}
	return nil
}

func (a *appender) close() error {
	err := a.flush(true)
	return errors.Join(err, a.f.Close())
}

// truncateTornTail cuts a file back to its last complete line, reading
// only its end (a results file may hold gigabytes).
func truncateTornTail(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	buf := make([]byte, 64<<10)
	for end := st.Size(); end > 0; {
		start := max(0, end-int64(len(buf)))
		b := buf[:end-start]
		if _, err := f.ReadAt(b, start); err != nil {
			return fmt.Errorf("reading the end of %s: %w", path, err)
		}
		if end == st.Size() && b[len(b)-1] == '\n' {
			return nil
		}
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			return os.Truncate(path, start+int64(i)+1)
		}
		end = start
	}
	if st.Size() == 0 {
		return nil
	}
	return os.Truncate(path, 0)
}

// resultsReader streams a results.csv row by row, dropping what a kill
// or another carry version may have left: a line cut by a kill (its
// combination is run again) and rows of another width.
type resultsReader struct {
	path   string
	f      *os.File
	r      *csv.Reader
	header []string
}

// openResults opens a results.csv and reads its header; a missing or
// empty file gives a nil reader.
func openResults(path string) (*resultsReader, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
	header, err := r.Read()
	if err == io.EOF {
		f.Close()
		return nil, nil
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	r.ReuseRecord = true
	return &resultsReader{path: path, f: f, r: r, header: slices.Clone(header)}, nil
}

// next returns the next row and the bytes it spans in the file; io.EOF
// at the end. The row's slice is reused by the next call.
func (rr *resultsReader) next() (rec []string, start, end int64, err error) {
	for {
		start = rr.r.InputOffset()
		rec, err = rr.r.Read()
		if err == io.EOF {
			return nil, 0, 0, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			return nil, 0, 0, fmt.Errorf("reading %s: %w", rr.path, err)
		}
		if len(rec) == len(rr.header) {
			return rec, start, rr.r.InputOffset(), nil
		}
	}
}

func (rr *resultsReader) close() error { return rr.f.Close() }

// readResults reads a whole results.csv: its header and records. A missing
// file is no records. For small files (tests); sweeps stream with
// openResults.
func readResults(path string) ([]string, [][]string, error) {
	rr, err := openResults(path)
	if rr == nil || err != nil {
		return nil, nil, err
	}
	defer rr.close()
	var recs [][]string
	for {
		rec, _, _, err := rr.next()
		if err == io.EOF {
			return rr.header, recs, nil
		}
		if err != nil {
			return nil, nil, err
		}
		recs = append(recs, slices.Clone(rec))
	}
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.WriteAll(rows)
	return cw.Error()
}
