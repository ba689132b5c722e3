package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"

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

// truncateTornTail cuts a file back to its last complete line.
func truncateTornTail(path string) error {
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(b) == 0) {
		return nil
	}
	if err != nil {
		return err
	}
	if b[len(b)-1] == '\n' {
		return nil
	}
	return os.Truncate(path, int64(bytes.LastIndexByte(b, '\n')+1))
}

// readResults reads a results.csv: its header and records. A missing file is
// no records.
func readResults(path string) ([]string, [][]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	header, err := r.Read()
	if err == io.EOF {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", path, err)
	}
	var recs [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			// A line cut by a kill is dropped; the combination is run again.
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				continue
			}
			return nil, nil, fmt.Errorf("reading %s: %w", path, err)
		}
		if len(rec) == len(header) {
			recs = append(recs, rec)
		}
	}
	return header, recs, nil
}

// finalize rewrites results.csv sorted by combination index, one row per
// index, and writes results.parquet beside it (both atomically).
func finalize(dir string, header []string, kinds []data.ColumnKind, recs [][]string, footer map[string]string, workers int) error {
	byIndex := map[int][]string{}
	for _, r := range recs {
		i, err := strconv.Atoi(r[0])
		if err != nil {
			return fmt.Errorf("results: bad combination_index %q", r[0])
		}
		byIndex[i] = r
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	slices.Sort(idx)
	sorted := make([][]string, len(idx))
	for k, i := range idx {
		sorted[k] = byIndex[i]
	}
	if err := data.WriteFileAtomic(filepath.Join(dir, ResultsCSV), func(w io.Writer) error {
		cw := csv.NewWriter(w)
		cw.Write(header)
		cw.WriteAll(sorted)
		return cw.Error()
	}); err != nil {
		return err
	}
	t := data.NewTable(header, kinds)
	t.Rows = len(sorted)
	// Columns convert independently: spread them over the workers.
	type column struct {
		floats  []float64
		ints    []int64
		bools   []bool
		strings []string
	}
	cols := make([]column, len(kinds))
	var wg sync.WaitGroup
	next := make(chan int, len(kinds))
	for c := range kinds {
		next <- c
	}
	close(next)
	for range max(1, workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for c := range next {
				col := &cols[c]
				for _, r := range sorted {
					v := r[c]
					switch kinds[c] {
					case data.Float:
						f := math.NaN()
						if v != "" {
							f, _ = strconv.ParseFloat(v, 64)
						}
						col.floats = append(col.floats, f)
					case data.Int:
						n, _ := strconv.ParseInt(v, 10, 64)
						col.ints = append(col.ints, n)
					case data.Bool:
						col.bools = append(col.bools, v == "true")
					default:
						col.strings = append(col.strings, v)
					}
				}
			}
		}()
	}
	wg.Wait()
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
	return data.WriteFileAtomic(filepath.Join(dir, ResultsParquet), func(w io.Writer) error { return data.WriteTableParquet(w, t, footer) })
}

func writeCSV(w io.Writer, header []string, rows [][]string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	cw.WriteAll(rows)
	return cw.Error()
}
