package lake

import (
	"bytes"
	"context"
	"math"
	"testing"

	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"
	"github.com/carry-research/carry/data"
)

func TestTableRoundTrip(t *testing.T) {
	tb := data.NewTable([]string{"id", "sharpe", "trades", "liquidated"}, []data.ColumnKind{data.String, data.Float, data.Int, data.Bool})
	tb.Strings[0] = []string{"a", "b"}
	tb.Floats[1] = []float64{1.5, math.NaN()}
	tb.Ints[2] = []int64{3, 0}
	tb.Bools[3] = []bool{false, true}
	tb.Rows = 2
	var buf bytes.Buffer
	if err := WriteTableParquet(&buf, tb, map[string]string{"carry.sweep": "x"}); err != nil {
		t.Fatal(err)
	}
	rdr, err := file.NewParquetReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	fr, _ := pqarrow.NewFileReader(rdr, pqarrow.ArrowReadProperties{}, memory.DefaultAllocator)
	tbl, err := fr.ReadTable(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer tbl.Release()
	sharpe := tbl.Column(1).Data().Chunk(0).(*array.Float64)
	if tbl.NumRows() != 2 || sharpe.Value(0) != 1.5 || !sharpe.IsNull(1) {
		t.Errorf("read back %v rows, sharpe %v", tbl.NumRows(), sharpe)
	}
	if v := rdr.MetaData().KeyValueMetadata().FindValue("carry.sweep"); v == nil || *v != "x" {
		t.Error("footer lost")
	}
}
