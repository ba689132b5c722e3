package sweep

import (
	"context"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/atomicfile"
)

// streamGrid is some 4,000 combinations of one market: results of several
// conversion batches.
const streamGrid = `
symbols: [BTCUSDT]
periods: [1h]
contracts: [PERPETUAL]
leverage: [1, 2, 3, 4, 5]
funding_enter: [null, 0.02, 0.05, 0.15]
funding_exit: [-0.02, 0, 0.005, 0.01, 0.02]
slippage: {from: 0.0001, to: 0.005, step: 0.0001}
`

// TestStreamedParquetHoldsWhatTheWholeTableHeld: results.parquet written a
// batch at a time — by a fresh sweep (converted as written) and by a
// rewrite of shuffled rows (finalize) — reads back with the schema, footer
// and every value, in order, of the table the sweep used to build whole
// from results.csv and write with lake.WriteTableParquet.
func TestStreamedParquetHoldsWhatTheWholeTableHeld(t *testing.T) {
	ex := expand(t, streamGrid)
	if ex.Len() <= finalizeBatch {
		t.Fatalf("%d combinations", ex.Len())
	}
	fresh := filepath.Join(t.TempDir(), "fresh")
	runSweep(t, simLake(t), ex, fresh, 0, 1, 2)
	_, ff, _, err := lake.ReadTable(filepath.Join(fresh, ResultsParquet))
	if err != nil || len(ff["carry.sweep.grid_sha256"]) != 64 {
		t.Fatalf("the sweep's footer: %v", err)
	}
	footer := map[string]string{"carry.sweep.grid_sha256": ff["carry.sweep.grid_sha256"]}
	want := wholeTableParquet(t, filepath.Join(fresh, ResultsCSV), footer)

	// The same rows shuffled, one twice: finalize sorts and streams them.
	b, _ := os.ReadFile(filepath.Join(fresh, ResultsCSV))
	lines := strings.SplitAfter(string(b), "\n")
	rows := append(lines[1:len(lines)-1], lines[7])
	rand.New(rand.NewPCG(9, 10)).Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	resumed := t.TempDir()
	path := filepath.Join(resumed, ResultsCSV)
	os.WriteFile(path, []byte(lines[0]+strings.Join(rows, "")), 0o644)
	_, kinds, _ := columns()
	header, refs, err := indexRows(context.Background(), []string{path})
	if err != nil {
		t.Fatal(err)
	}
	if err := finalize(context.Background(), resumed, header, kinds, []string{path}, refs, footer, 2); err != nil {
		t.Fatal(err)
	}
	if a, _ := os.ReadFile(path); string(a) != string(b) {
		t.Error("the rewritten results.csv is not the fresh sweep's")
	}

	wt, wf, _, err := lake.ReadTable(want)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{fresh, resumed} {
		got, gf, groups, err := lake.ReadTable(filepath.Join(dir, ResultsParquet))
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(gf, wf) || gf["ARROW:schema"] == "" {
			t.Errorf("%s: the footer differs from the whole table's", dir)
		}
		if !slices.Equal(got.Names, wt.Names) || !slices.Equal(got.Kinds, wt.Kinds) || got.Rows != wt.Rows || got.Rows != ex.Len() {
			t.Fatalf("%s: %d rows of %v, want %d of %v", dir, got.Rows, got.Names, wt.Rows, wt.Names)
		}
		if len(groups) != 1 || groups[0] != ex.Len() {
			t.Errorf("%s: row groups %v", dir, groups)
		}
		for c, k := range wt.Kinds {
			for i := range wt.Rows {
				var same bool
				switch k {
				case data.Float:
					x, y := got.Floats[c][i], wt.Floats[c][i]
					same = x == y || (math.IsNaN(x) && math.IsNaN(y))
				case data.Int, data.Time:
					same = got.Ints[c][i] == wt.Ints[c][i]
				case data.String:
					same = got.Strings[c][i] == wt.Strings[c][i]
				case data.Bool:
					same = got.Bools[c][i] == wt.Bools[c][i]
				}
				if !same {
					t.Fatalf("%s: column %s row %d differs", dir, wt.Names[c], i)
				}
			}
		}
	}
}

// TestStreamedParquetOfNoRows: a rewrite of results.csv holding no row
// writes a results.parquet of the columns and footer and no row.
func TestStreamedParquetOfNoRows(t *testing.T) {
	header, kinds, _ := columns()
	dir := t.TempDir()
	path := filepath.Join(dir, ResultsCSV)
	h, _ := csvLine(header)
	os.WriteFile(path, h, 0o644)
	footer := map[string]string{"carry.sweep.grid_sha256": "none"}
	if err := finalize(context.Background(), dir, header, kinds, []string{path}, nil, footer, 2); err != nil {
		t.Fatal(err)
	}
	got, gf, _, err := lake.ReadTable(filepath.Join(dir, ResultsParquet))
	if err != nil {
		t.Fatal(err)
	}
	want := wholeTableParquet(t, path, footer)
	wt, wf, _, err := lake.ReadTable(want)
	if err != nil {
		t.Fatal(err)
	}
	if got.Rows != 0 || wt.Rows != 0 || !slices.Equal(got.Names, header) || !slices.Equal(got.Kinds, kinds) || !maps.Equal(gf, wf) {
		t.Errorf("%d rows of %v, footer %v; want none of %v, footer %v", got.Rows, got.Names, gf, header, wf)
	}
}

// wholeTableParquet writes the results at path as the sweep did before
// results.parquet was streamed: every row converted into one table,
// written whole. It returns the file's path.
func wholeTableParquet(t *testing.T, path string, footer map[string]string) string {
	t.Helper()
	header, kinds, _ := columns()
	cols := make([]column, len(kinds))
	for c, k := range kinds {
		cols[c] = newColumn(k, 0)
	}
	tb := data.NewTable(header, kinds)
	if rr, err := openResults(path); err != nil {
		t.Fatal(err)
	} else if rr != nil {
		defer rr.close()
		for {
			rec, _, _, err := rr.next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			for c := range cols {
				cols[c].add(strings.Clone(rec[c]))
			}
			tb.Rows++
		}
	}
	for c, col := range cols {
		switch kinds[c] {
		case data.Float:
			tb.Floats[c] = col.floats
		case data.Int, data.Time:
			tb.Ints[c] = col.ints
		case data.Bool:
			tb.Bools[c] = col.bools
		default:
			tb.Strings[c] = col.strings
		}
	}
	out := filepath.Join(t.TempDir(), ResultsParquet)
	if err := atomicfile.Write(out, func(w io.Writer) error { return lake.WriteTableParquet(w, tb, footer) }); err != nil {
		t.Fatal(err)
	}
	return out
}
