package lake

import (
	"encoding/json"
	"os"
	"sync"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/apache/arrow/go/v17/parquet/schema"
	"github.com/carry-research/carry/data"
)

// footerState reads the state in a series file's footer — the file's
// metadata, no column data — and reports whether its summary can stand for
// the rows: present, listing every gap, and counting the rows the file
// holds, in a file whose footer names the series and whose columns are the
// ones carry writes for dataset. Anything else, a failure to read
// included, reports false: the caller reads the rows, and a damaged file's
// read says what is wrong with it exactly as before.
//
// Not checked: the column data itself. A file whose pages are corrupt
// under an intact footer reads as fine here until its rows are read.
func (l *Lake) footerState(path, dataset string, key any, fields []arrow.Field) (st data.SeriesState, ok bool) {
	want, err := parquetSchemaOf(dataset, fields)
	if err != nil {
		return st, false
	}
	useReusedZstd()
	f, err := os.Open(path)
	if err != nil {
		return st, false
	}
	defer f.Close()
	defer func() {
		if recover() != nil { // the reader panics on some malformed files
			st, ok = data.SeriesState{}, false
		}
	}()
	rdr, err := file.NewParquetReader(f)
	if err != nil {
		return st, false
	}
	md := rdr.MetaData()
	footer := map[string]string{}
	for _, kv := range md.KeyValueMetadata() {
		if kv.Value != nil {
			footer[kv.Key] = *kv.Value
		}
	}
	raw, found := footer[footerState]
	if !found || checkFooter(footer, dataset, key) != nil || json.Unmarshal([]byte(raw), &st) != nil {
		return data.SeriesState{}, false
	}
	// The Parquet schema rather than the Arrow one a read builds: the same
	// columns, at a sixth of status's time.
	sum := st.Summary
	if sum == nil || !sum.GapsListed() || int64(sum.Rows) != md.NumRows || !md.Schema.Equals(want) {
		return data.SeriesState{}, false
	}
	return st, true
}

// parquetSchemas caches, per dataset, the Parquet schema carry writes.
var parquetSchemas sync.Map

// parquetSchemaOf is the Parquet schema of a file of fields as
// newParquetWriter writes it.
func parquetSchemaOf(dataset string, fields []arrow.Field) (*schema.Schema, error) {
	if s, ok := parquetSchemas.Load(dataset); ok {
		return s.(*schema.Schema), nil
	}
	s, err := pqarrow.ToParquet(arrow.NewSchema(fields, nil), parquet.NewWriterProperties(), pqarrow.NewArrowWriterProperties(pqarrow.WithStoreSchema()))
	if err != nil {
		return nil, err
	}
	parquetSchemas.Store(dataset, s)
	return s, nil
}
