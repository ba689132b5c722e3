package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/apache/arrow/go/v17/parquet/pqarrow"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Lake fixtures of the bad-input table: "" (no lake, no $CARRY_DATA),
// "missing" ($CARRY_DATA names a directory that does not exist), "file"
// (it names a file), "valid" (BTCUSDT and ETHUSDT, 1h perpetual basis and
// 8h funding over 30 days), "damaged:<kind>" (valid, with BTCUSDT's funding
// file damaged as damageKinds says) and "all-damaged" (every series file
// junk).
const (
	noLake      = ""
	missingLake = "missing"
	fileLake    = "file"
	validLake   = "valid"
	allDamaged  = "all-damaged"
	// basisDamaged: valid, with BTCUSDT's 1h perpetual basis file junk
	// (the file behind the funding view's next-rate estimate).
	basisDamaged = "basis-damaged"
)

// fixtureStart is the valid lake's first hour.
var fixtureStart = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// damageKinds turn BTCUSDT's funding file (path) into a damaged one; lake
// is the lake's root.
var damageKinds = map[string]func(t *testing.T, lake, path string){
	"truncated": func(t *testing.T, _, path string) {
		b := readFile(t, path)
		writeFile(t, path, b[:len(b)/2])
	},
	"zero-byte": func(t *testing.T, _, path string) { writeFile(t, path, nil) },
	"junk":      func(t *testing.T, _, path string) { writeFile(t, path, []byte("PAR1 not a parquet file PAR1")) },
	"foreign-schema": func(t *testing.T, _, path string) {
		writeFile(t, path, foreignParquet(t))
	},
	"swapped": func(t *testing.T, lake, path string) { // a basis file under funding
		writeFile(t, path, readFile(t, filepath.Join(lake, "basis", "pair=BTCUSDT", "contract_type=PERPETUAL", "period=1h", "data.parquet")))
	},
	"other-symbol": func(t *testing.T, lake, path string) { // ETHUSDT's funding under BTCUSDT
		writeFile(t, path, readFile(t, filepath.Join(lake, "funding", "symbol=ETHUSDT", "data.parquet")))
	},
	"unreadable": func(t *testing.T, _, path string) { // a link to itself: opening it fails
		if err := os.Remove(path); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink("data.parquet", path); err != nil {
			t.Fatal(err)
		}
	},
}

// makeLake builds the fixture kind at dir/lake, from a copy of the valid
// lake at valid, and returns the lake's path.
func makeLake(t *testing.T, valid, dir, kind string) string {
	t.Helper()
	lake := filepath.Join(dir, "lake")
	switch {
	case kind == noLake, kind == missingLake:
		return lake
	case kind == fileLake:
		writeFile(t, lake, []byte("not a lake"))
		return lake
	}
	copyTree(t, valid, lake)
	switch {
	case kind == validLake:
	case kind == allDamaged:
		filepath.WalkDir(lake, func(path string, d fs.DirEntry, err error) error {
			if err == nil && d.Name() == "data.parquet" {
				writeFile(t, path, []byte("junk"))
			}
			return nil
		})
	case kind == basisDamaged:
		writeFile(t, filepath.Join(lake, "basis", "pair=BTCUSDT", "contract_type=PERPETUAL", "period=1h", "data.parquet"), []byte("junk"))
	case strings.HasPrefix(kind, "damaged:"):
		damage, ok := damageKinds[strings.TrimPrefix(kind, "damaged:")]
		if !ok {
			t.Fatalf("no damage kind %q", kind)
		}
		damage(t, lake, filepath.Join(lake, "funding", "symbol=BTCUSDT", "data.parquet"))
	default:
		t.Fatalf("no lake fixture %q", kind)
	}
	return lake
}

// buildValidLake writes the valid lake in dir.
func buildValidLake(dir string) error {
	l, err := lake.Open(dir)
	if err != nil {
		return err
	}
	for k, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		level := []float64{60000, 3000}[k]
		var basis []data.BasisRow
		for h := range 30 * 24 {
			index := level * (1 + 0.02*math.Sin(float64(h)/50))
			futures := index * (1 + 0.0004 + 0.0002*math.Cos(float64(h)/7))
			basis = append(basis, data.BasisRow{Timestamp: fixtureStart.Add(time.Duration(h) * time.Hour), IndexPrice: round(index, 2),
				FuturesPrice: round(futures, 2), Basis: round(round(futures, 2)-round(index, 2), 2), BasisRate: round(futures/index-1, 4)})
		}
		if _, err := l.MergeBasis(data.BasisKey{Pair: sym, ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
			return err
		}
		var funding []data.FundingRow
		for h := 0; h < 30*24; h += 8 {
			funding = append(funding, data.FundingRow{FundingTime: fixtureStart.Add(time.Duration(h)*time.Hour + 3*time.Millisecond),
				FundingRate: round(0.0001+0.00005*math.Sin(float64(h)/40), 8), MarkPrice: data.Some(round(level, 2)), RateType: data.Regular})
		}
		if _, err := l.MergeFunding(sym, funding, lake.WithIntervalHours(8)); err != nil {
			return err
		}
	}
	return nil
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// foreignParquet is a valid Parquet file another tool wrote: no carry
// footer, other columns.
func foreignParquet(t *testing.T) []byte {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "price", Type: arrow.PrimitiveTypes.Float64}}, nil))
	defer b.Release()
	b.Field(0).(*array.Float64Builder).AppendValues([]float64{1, 2, 3}, nil)
	rec := b.NewRecord()
	defer rec.Release()
	tbl := array.NewTableFromRecords(rec.Schema(), []arrow.Record{rec})
	defer tbl.Release()
	var buf bytes.Buffer
	if err := pqarrow.WriteTable(tbl, &buf, 1024, nil, pqarrow.DefaultWriterProps()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// snapshot is every file, directory and link under a directory: its mode
// and its bytes (a link's target).
type snapshot map[string]string

func takeSnapshot(t *testing.T, root string) snapshot {
	t.Helper()
	s := snapshot{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		info, err := d.Info()
		if err != nil {
			return err
		}
		entry := info.Mode().String()
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			entry += " -> " + target
		case info.Mode().IsRegular():
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			entry += fmt.Sprintf(" %d bytes %q", len(b), b)
		}
		s[rel] = entry
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// diff lists what changed between two snapshots.
func (s snapshot) diff(after snapshot) []string {
	var out []string
	for p, v := range s {
		switch w, ok := after[p]; {
		case !ok:
			out = append(out, "removed "+p)
		case w != v:
			out = append(out, "changed "+p)
		}
	}
	for p := range after {
		if _, ok := s[p]; !ok {
			out = append(out, "created "+p)
		}
	}
	sort.Strings(out)
	return out
}

// copyTree copies src to dst, modes and links kept.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		to := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(to, info.Mode().Perm())
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
