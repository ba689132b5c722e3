package lake

import (
	"bytes"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/apache/arrow/go/v17/arrow/array"
	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// damages are the ways a series file goes wrong, each turning the good
// file of the funding series BTCUSDT (good) into the bytes stored; the
// lake also holds a basis series (basis) and ETHUSDT's funding (eth).
var damages = map[string]func(t *testing.T, good, basis, eth []byte) []byte{
	"truncated":  func(_ *testing.T, good, _, _ []byte) []byte { return good[:len(good)/2] },
	"zero bytes": func(*testing.T, []byte, []byte, []byte) []byte { return nil },
	"junk":       func(*testing.T, []byte, []byte, []byte) []byte { return []byte("PAR1 this is not parquet at all PAR1") },
	"bit flips in the footer": func(_ *testing.T, good, _, _ []byte) []byte {
		b := bytes.Clone(good)
		for i := len(b) - 40; i < len(b)-8; i++ {
			b[i] ^= 0xff
		}
		return b
	},
	"foreign schema":                       func(t *testing.T, _, _, _ []byte) []byte { return foreignParquet(t) },
	"swapped (a basis file under funding)": func(_ *testing.T, _, basis, _ []byte) []byte { return basis },
	"another symbol's file":                func(_ *testing.T, _, _, eth []byte) []byte { return eth },
}

// foreignParquet is a valid Parquet file written by another tool: no carry
// footer, other columns.
func foreignParquet(t *testing.T) []byte {
	t.Helper()
	b := array.NewRecordBuilder(memory.DefaultAllocator, arrow.NewSchema([]arrow.Field{{Name: "price", Type: arrow.PrimitiveTypes.Float64}}, nil))
	defer b.Release()
	b.Field(0).(*array.Float64Builder).AppendValues([]float64{1, 2, 3}, nil)
	rec := b.NewRecord()
	defer rec.Release()
	var buf bytes.Buffer
	if err := writeParquet(&buf, rec, nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// damagedLake writes a basis series and two funding series, then replaces
// BTCUSDT's funding file with damage(…); it returns the damaged bytes.
func damagedLake(t *testing.T, l *Lake, damage func(t *testing.T, good, basis, eth []byte) []byte) []byte {
	t.Helper()
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 100, 101), basisRow(1, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	for _, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		if _, err := l.MergeFunding(sym, fundingAt(0, 8, 16)); err != nil {
			t.Fatal(err)
		}
	}
	read := func(path string) []byte {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	bad := damage(t, read(l.FundingPath("BTCUSDT")), read(l.BasisPath(perpKey())), read(l.FundingPath("ETHUSDT")))
	if err := os.WriteFile(l.FundingPath("BTCUSDT"), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	return bad
}

// TestDamagedFilesAreReportedAndLeftAlone: every kind of damage reads as a
// *DamagedError naming the file, status lists it as damaged with the other
// series fine, and a merge fails without touching the file.
func TestDamagedFilesAreReportedAndLeftAlone(t *testing.T) {
	for name, damage := range damages {
		t.Run(name, func(t *testing.T) {
			l := newTestLake(t)
			bad := damagedLake(t, l, damage)
			path := l.FundingPath("BTCUSDT")
			_, err := l.ReadFunding("BTCUSDT")
			var d *DamagedError
			if !errors.As(err, &d) || d.Path != path || !strings.Contains(err.Error(), path) {
				t.Fatalf("read: %v, want a *DamagedError naming %s", err, path)
			}
			if errors.Is(err, ErrNoSeries) {
				t.Error("a damaged series reads as a missing one")
			}
			st, err := l.Status()
			if err != nil || len(st) != 3 {
				t.Fatalf("status: %d series, %v", len(st), err)
			}
			for _, s := range st {
				want := StatusOK
				if s.Dataset == DatasetFunding && s.Symbol == "BTCUSDT" {
					want = StatusDamaged
				}
				if s.Status != want || (want == StatusDamaged) != (s.Error != "") || s.Failed() != (want != StatusOK) {
					t.Errorf("%s %s: status %q error %q, want %s", s.Dataset, s.Series, s.Status, s.Error, want)
				}
			}
			if _, err := l.MergeFunding("BTCUSDT", fundingAt(24)); !errors.As(err, &d) {
				t.Errorf("merge into a damaged series: %v", err)
			}
			if got, _ := os.ReadFile(path); !bytes.Equal(got, bad) {
				t.Error("reading or merging changed the damaged file")
			}
			if aside, _ := l.SetAsideFiles(); len(aside) != 0 {
				t.Errorf("set aside without WithRebuildDamaged: %v", aside)
			}
		})
	}
}

// TestUnreadableFileIsNotDamaged: a file that cannot be opened (its mode,
// a symbolic link to nothing or to itself) is reported as unreadable and
// never set aside, even when rebuilding.
func TestUnreadableFileIsNotDamaged(t *testing.T) {
	for name, c := range map[string]struct {
		make func(path string)
		want string
	}{
		"mode 000":          {func(path string) { os.Chmod(path, 0) }, "permission denied"},
		"a link to nothing": {func(path string) { os.Remove(path); os.Symlink("gone.parquet", path) }, "a symbolic link to nothing"},
		"a link loop":       {func(path string) { os.Remove(path); os.Symlink("data.parquet", path) }, "too many levels of symbolic links"},
	} {
		t.Run(name, func(t *testing.T) {
			if name == "mode 000" && os.Geteuid() == 0 {
				t.Skip("root reads a file whatever its mode")
			}
			l := newTestLake(t)
			if _, err := l.MergeFunding("BTCUSDT", fundingAt(0, 8)); err != nil {
				t.Fatal(err)
			}
			path := l.FundingPath("BTCUSDT")
			c.make(path)
			defer os.Chmod(path, 0o644)
			l.rebuildDamaged = true
			_, err := l.ReadFunding("BTCUSDT")
			var u *UnreadableError
			if !errors.As(err, &u) || errors.Is(err, ErrNoSeries) {
				t.Fatalf("read: %v, want an *UnreadableError", err)
			}
			st, _ := l.Status()
			if len(st) != 1 || st[0].Status != StatusUnreadable || !strings.Contains(st[0].Error, c.want) {
				t.Errorf("status %+v", st)
			}
			if _, err := os.Lstat(path); err != nil {
				t.Error("an unreadable file was moved")
			}
			if aside, _ := l.SetAsideFiles(); len(aside) != 0 {
				t.Errorf("set aside: %v", aside)
			}
		})
	}
}

// TestRebuildSetsADamagedFileAside: on a lake opened WithRebuildDamaged, a
// read meets the damage, renames the file (bytes kept) to a name no reader
// lists, logs it, and answers ErrNoSeries; a merge then writes a new file.
// Without a read first, the merge itself sets the damaged file aside.
func TestRebuildSetsADamagedFileAside(t *testing.T) {
	for _, readFirst := range []bool{true, false} {
		l := newTestLake(t)
		bad := damagedLake(t, l, damages["truncated"])
		var logs bytes.Buffer
		l.logger = slog.New(slog.NewTextHandler(&logs, nil))
		l.rebuildDamaged = true
		if readFirst {
			if _, err := l.ReadFunding("BTCUSDT"); !errors.Is(err, ErrNoSeries) || !strings.Contains(err.Error(), "set aside") {
				t.Fatalf("read: %v, want ErrNoSeries saying the file was set aside", err)
			}
		}
		if _, err := l.MergeFunding("BTCUSDT", fundingAt(24, 32)); err != nil {
			t.Fatalf("merge after the damage (read first %v): %v", readFirst, err)
		}
		s, err := l.ReadFunding("BTCUSDT")
		if err != nil || len(s.Rows) != 2 {
			t.Fatalf("rebuilt series: %d rows, %v", len(s.Rows), err)
		}
		aside, err := l.SetAsideFiles()
		if err != nil || len(aside) != 1 {
			t.Fatalf("set aside: %v, %v", aside, err)
		}
		name := filepath.Base(aside[0])
		if filepath.Dir(aside[0]) != filepath.Dir(l.FundingPath("BTCUSDT")) || !IsSetAside(name) ||
			!strings.HasPrefix(name, "_data.parquet.damaged-20261121T000000Z") || strings.HasSuffix(name, ".parquet") {
			t.Errorf("set aside as %s", aside[0])
		}
		if got, _ := os.ReadFile(aside[0]); !bytes.Equal(got, bad) {
			t.Error("the damaged file's bytes were not kept")
		}
		if !strings.Contains(logs.String(), "set a damaged series file aside") || !strings.Contains(logs.String(), aside[0]) {
			t.Errorf("logs: %s", logs.String())
		}
		// Nothing lists or sweeps it.
		if syms, _ := l.FundingSymbols(); len(syms) != 2 {
			t.Errorf("funding symbols %v", syms)
		}
		if n, err := l.RemoveStaleTemps(); n != 0 || err != nil {
			t.Errorf("the stale-temporary sweep removed %d files (%v)", n, err)
		}
		var globbed []string
		filepath.WalkDir(l.Root(), func(path string, _ fs.DirEntry, _ error) error {
			if ok, _ := filepath.Match("*.parquet", filepath.Base(path)); ok {
				globbed = append(globbed, path)
			}
			return nil
		})
		if len(globbed) != 3 {
			t.Errorf("**/*.parquet sees %v", globbed)
		}
	}
}

// TestSetAsideKeepsEveryDamagedFile: a second damage the same second gets
// its own name, and a file replaced since it was read is not moved.
func TestSetAsideKeepsEveryDamagedFile(t *testing.T) {
	l := newTestLake(t)
	damagedLake(t, l, damages["junk"])
	l.rebuildDamaged = true
	path := l.FundingPath("BTCUSDT")
	for i := range 2 {
		os.WriteFile(path, []byte{byte(i)}, 0o644)
		if _, err := l.ReadFunding("BTCUSDT"); !errors.Is(err, ErrNoSeries) {
			t.Fatal(err)
		}
	}
	if aside, _ := l.SetAsideFiles(); len(aside) != 2 {
		t.Errorf("set aside: %v", aside)
	}
	os.WriteFile(path, []byte("junk"), 0o644)
	seen, _ := os.Stat(path)
	os.Remove(path)
	os.WriteFile(path, []byte("other junk"), 0o644)
	if _, err := l.setAside(path, seen, false); !errors.Is(err, errReplaced) {
		t.Errorf("a replaced file: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error("the replacement was moved")
	}
}
