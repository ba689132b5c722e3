package lake

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
)

// seriesStream reads a series file one row group at a time, so that a
// merge holds a row group of the stored series, never all of it.
type seriesStream struct {
	path   string
	f      *os.File
	info   os.FileInfo
	rdr    *file.Reader
	fr     *pqarrow.FileReader
	state  data.SeriesState
	fields []arrow.Field
	next   int // the next row group
}

// openSeriesStream opens the series file at path and checks its footer
// (see checkFooter) and columns; it fails as readParquet does
// (os.ErrNotExist, *UnreadableError, *DamagedError).
func (l *Lake) openSeriesStream(path, dataset string, key any, fields []arrow.Field) (s *seriesStream, err error) {
	useReusedZstd()
	f, info, err := openSeriesFile(path)
	if err != nil {
		return nil, err
	}
	s = &seriesStream{path: path, f: f, info: info, fields: fields}
	defer func() {
		if r := recover(); r != nil {
			err = s.damaged(fmt.Errorf("not a readable Parquet file: the Parquet reader failed: %v", r))
		}
		if err != nil {
			s.Close()
			s = nil
		}
	}()
	if s.rdr, err = file.NewParquetReader(f); err != nil {
		return nil, s.damaged(fmt.Errorf("not a readable Parquet file: %w", err))
	}
	footer := map[string]string{}
	for _, kv := range s.rdr.MetaData().KeyValueMetadata() {
		if kv.Value != nil {
			footer[kv.Key] = *kv.Value
		}
	}
	if err := checkFooter(footer, dataset, key); err != nil {
		return nil, s.damaged(err)
	}
	if raw, ok := footer[footerState]; ok {
		if err := json.Unmarshal([]byte(raw), &s.state); err != nil {
			return nil, s.damaged(fmt.Errorf("footer state: %w", err))
		}
	}
	if s.fr, err = pqarrow.NewFileReader(s.rdr, pqarrow.ArrowReadProperties{BatchSize: rowGroupRows}, l.mem); err != nil {
		return nil, s.damaged(fmt.Errorf("not a readable Parquet file: %w", err))
	}
	sc, err := s.fr.Schema()
	if err != nil {
		return nil, s.damaged(fmt.Errorf("not a readable Parquet file: %w", err))
	}
	for _, want := range fields {
		ii := sc.FieldIndices(want.Name)
		if len(ii) != 1 {
			return nil, s.damaged(fmt.Errorf("decoding: column %s missing", want.Name))
		}
		if got := sc.Field(ii[0]).Type; !arrow.TypeEqual(got, want.Type) {
			return nil, s.damaged(fmt.Errorf("decoding: column %s has type %s, want %s", want.Name, got, want.Type))
		}
	}
	return s, nil
}

func (s *seriesStream) damaged(err error) error {
	return &DamagedError{Path: s.path, Err: err, info: s.info}
}

// nextGroup decodes the next row group with decode; it reports false after
// the last one. A group that does not read is a *DamagedError.
func (s *seriesStream) nextGroup(decode func(arrow.Table) error) (more bool, err error) {
	if s.next >= s.rdr.NumRowGroups() {
		return false, nil
	}
	defer func() {
		if r := recover(); r != nil {
			more, err = false, s.damaged(fmt.Errorf("not a readable Parquet file: the Parquet reader failed: %v", r))
		}
	}()
	cols := make([]int, s.rdr.MetaData().Schema.NumColumns())
	for i := range cols {
		cols[i] = i
	}
	tbl, err := s.fr.ReadRowGroups(context.Background(), cols, []int{s.next})
	if err != nil {
		return false, s.damaged(fmt.Errorf("not a readable Parquet file: %w", err))
	}
	defer tbl.Release()
	s.next++
	if err := decode(tbl); err != nil {
		return false, s.damaged(fmt.Errorf("decoding: %w", err))
	}
	return true, nil
}

// Close releases the file; it may be called more than once.
func (s *seriesStream) Close() {
	if s == nil || s.f == nil {
		return
	}
	if s.rdr != nil {
		s.rdr.Close()
	} else {
		s.f.Close()
	}
	s.f = nil
}

// scanSeriesFile reads the file at path one row group at a time, decoding
// each with decode, and returns its state: what readSeriesFile checks, in
// the memory of one row group.
func (l *Lake) scanSeriesFile(path, dataset string, key any, fields []arrow.Field, decode func(arrow.Table) error) (data.SeriesState, error) {
	s, err := l.openSeriesStream(path, dataset, key, fields)
	if err != nil {
		return data.SeriesState{}, err
	}
	defer s.Close()
	for {
		more, err := s.nextGroup(decode)
		if err != nil {
			return data.SeriesState{}, err
		}
		if !more {
			return s.state, nil
		}
	}
}
