package lake

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/compress"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
)

// zstdFastest is zstd's level 1 (klauspost's SpeedFastest).
const zstdFastest = 1

// rowGroupRows bounds a row group; a year of 5m rows fits in one.
const rowGroupRows = 128 * 1024

// writeParquet writes rec as a zstd-compressed Parquet file with the given
// footer key-value metadata.
func writeParquet(w io.Writer, rec arrow.Record, footer map[string]string) error {
	fw, err := newParquetWriter(w, rec.Schema())
	if err != nil {
		return err
	}
	if err := appendFooter(fw, footer); err != nil {
		fw.Close()
		return err
	}
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.Record{rec})
	defer tbl.Release()
	if err := fw.WriteTable(tbl, rowGroupRows); err != nil {
		fw.Close()
		return fmt.Errorf("writing rows: %w", err)
	}
	return fw.Close()
}

// newParquetWriter starts a zstd-compressed Parquet file of schema on w.
func newParquetWriter(w io.Writer, schema *arrow.Schema, more ...parquet.WriterProperty) (*pqarrow.FileWriter, error) {
	useReusedZstd()
	// zstd at its fastest level: on five years of hourly candles, 1 % larger
	// than at zstd's default level and 1.35 times as fast to write
	// (docs/lake.md, "Files"). DELTA_BINARY_PACKED times would be 12 %
	// smaller still, but arrow-go v17's decoder of them never releases a
	// buffer (the checked allocator of our tests sees it).
	props := parquet.NewWriterProperties(append([]parquet.WriterProperty{
		parquet.WithCompression(compress.Codecs.Zstd),
		parquet.WithCompressionLevel(zstdFastest),
		parquet.WithDictionaryDefault(false),
		parquet.WithDictionaryFor("rate_type", true),
		parquet.WithCreatedBy("carry"),
	}, more...)...)
	fw, err := pqarrow.NewFileWriter(schema, w, props, pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, fmt.Errorf("starting parquet writer: %w", err)
	}
	return fw, nil
}

// appendFooter adds key-value metadata, written to the footer on Close.
func appendFooter(fw *pqarrow.FileWriter, footer map[string]string) error {
	for k, v := range footer {
		if err := fw.AppendKeyValueMetadata(k, v); err != nil {
			return fmt.Errorf("adding footer metadata %s: %w", k, err)
		}
	}
	return nil
}

// parquetFile is a whole Parquet file read into memory.
type parquetFile struct {
	table  arrow.Table
	footer map[string]string
	info   os.FileInfo // the file read, as opened
}

func (p *parquetFile) Release() { p.table.Release() }

// readParquet reads the file at path. os.ErrNotExist passes through; a file
// that cannot be opened is an *UnreadableError, one that opens but does not
// read as Parquet a *DamagedError (a reader panic on a malformed file
// included).
func readParquet(mem memory.Allocator, path string) (pf *parquetFile, err error) {
	useReusedZstd()
	f, info, err := openSeriesFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	damaged := func(err error) error {
		return &DamagedError{Path: path, Err: fmt.Errorf("not a readable Parquet file: %w", err), info: info}
	}
	defer func() {
		if r := recover(); r != nil {
			pf, err = nil, damaged(fmt.Errorf("the Parquet reader failed: %v", r))
		}
	}()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return nil, damaged(err)
	}
	defer rdr.Close()
	footer := map[string]string{}
	for _, kv := range rdr.MetaData().KeyValueMetadata() {
		if kv.Value != nil {
			footer[kv.Key] = *kv.Value
		}
	}
	fr, err := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{BatchSize: rowGroupRows}, mem)
	if err != nil {
		return nil, damaged(err)
	}
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		return nil, damaged(err)
	}
	return &parquetFile{table: tbl, footer: footer, info: info}, nil
}

// openSeriesFile opens the file at path for reading. os.ErrNotExist passes
// through (a dangling symbolic link is an *UnreadableError); a file that
// cannot be opened or stat'ed is an *UnreadableError.
func openSeriesFile(path string) (*os.File, os.FileInfo, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		if _, lerr := os.Lstat(path); lerr == nil {
			return nil, nil, &UnreadableError{Path: path, Err: fmt.Errorf("a symbolic link to nothing: %v", err)}
		}
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, &UnreadableError{Path: path, Err: err}
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, &UnreadableError{Path: path, Err: err}
	}
	return f, info, nil
}

// columnSet finds named columns of a table and checks their types.
type columnSet struct {
	tbl arrow.Table
	idx map[string]int
}

func newColumnSet(tbl arrow.Table, want []arrow.Field) (*columnSet, error) {
	cs := &columnSet{tbl: tbl, idx: map[string]int{}}
	for _, f := range want {
		ii := tbl.Schema().FieldIndices(f.Name)
		if len(ii) != 1 {
			return nil, fmt.Errorf("column %s missing", f.Name)
		}
		got := tbl.Schema().Field(ii[0]).Type
		if !arrow.TypeEqual(got, f.Type) {
			return nil, fmt.Errorf("column %s has type %s, want %s", f.Name, got, f.Type)
		}
		cs.idx[f.Name] = ii[0]
	}
	return cs, nil
}

// each calls fn for each record batch of the table; columns are addressed by
// name through the returned lookup.
func (cs *columnSet) each(fn func(n int, col func(name string) arrow.Array) error) error {
	tr := array.NewTableReader(cs.tbl, rowGroupRows)
	defer tr.Release()
	for tr.Next() {
		rec := tr.Record()
		col := func(name string) arrow.Array { return rec.Column(cs.idx[name]) }
		if err := fn(int(rec.NumRows()), col); err != nil {
			return err
		}
	}
	return tr.Err()
}

func nullableFloat(a *array.Float64, i int) data.NullFloat64 {
	if a.IsNull(i) {
		return data.NullFloat64{}
	}
	return data.Some(a.Value(i))
}

func appendNullable(b *array.Float64Builder, v data.NullFloat64) {
	if v.Valid {
		b.Append(v.Float64)
	} else {
		b.AppendNull()
	}
}
