package lake

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestRemoveStaleTempsSweepsTheWholeLake(t *testing.T) {
	l := newTestLake(t)
	if _, err := l.MergeFunding("BTCUSDT", fundingRows()); err != nil {
		t.Fatal(err)
	}
	funding := filepath.Dir(l.FundingPath("BTCUSDT"))
	basis := filepath.Dir(l.BasisPath(perpKey()))
	if err := os.MkdirAll(basis, 0o777); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-StaleTempAge - time.Minute)
	file := func(path string, modified time.Time) string {
		t.Helper()
		if err := os.WriteFile(path, []byte("part"), 0o666); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, modified, modified); err != nil {
			t.Fatal(err)
		}
		return path
	}
	crashed := []string{
		file(filepath.Join(funding, ".data.parquet.tmp-1234"), old),
		file(filepath.Join(basis, ".data.parquet.tmp-abcd"), old),
	}
	kept := []string{
		file(filepath.Join(basis, ".data.parquet.tmp-live"), time.Now().Add(-StaleTempAge+time.Minute)), // perhaps a live writer's
		file(filepath.Join(basis, ".notes"), old),
		file(filepath.Join(funding, "data.tmp-not-hidden.parquet"), old),
		l.FundingPath("BTCUSDT"),
	}

	removed, err := l.RemoveStaleTemps()
	if err != nil || removed != len(crashed) {
		t.Fatalf("RemoveStaleTemps = %d, %v; want %d", removed, err, len(crashed))
	}
	for _, p := range crashed {
		if _, err := os.Stat(p); !os.IsNotExist(err) {
			t.Errorf("%s: stale temporary file kept", p)
		}
	}
	for _, p := range kept {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: removed: %v", p, err)
		}
	}
	if _, err := l.ReadFunding("BTCUSDT"); err != nil {
		t.Errorf("series unreadable after the sweep: %v", err)
	}
}

func TestRemoveStaleTempsOfNoLake(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nolake")
	l, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if removed, err := l.RemoveStaleTemps(); removed != 0 || err != nil {
		t.Errorf("RemoveStaleTemps of a missing lake = %d, %v", removed, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the sweep created the lake: %v", err)
	}
}

func TestRemoveStaleTempsFollowsASymlinkedRoot(t *testing.T) {
	real := t.TempDir()
	stale := filepath.Join(real, "funding", "symbol=BTCUSDT", ".data.parquet.tmp-1")
	if err := os.MkdirAll(filepath.Dir(stale), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(stale, nil, 0o666); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * StaleTempAge)
	os.Chtimes(stale, old, old)
	link := filepath.Join(t.TempDir(), "lake")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	l, err := Open(link)
	if err != nil {
		t.Fatal(err)
	}
	if removed, err := l.RemoveStaleTemps(); removed != 1 || err != nil {
		t.Errorf("RemoveStaleTemps through a symlinked root = %d, %v; want 1", removed, err)
	}
}
