package cmdutil

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutDir walks a directory through the guard's cases: a new one, the
// same run again, a different run (refused, then replaced with Force:
// the earlier run's files removed, the user's kept), and a directory no
// run wrote (refused even with Force).
func TestOutDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	write := func(name, text string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	exists := func(name string) bool { _, err := os.Stat(filepath.Join(dir, name)); return err == nil }
	guard := func(run any, force bool) *OutDir {
		return &OutDir{Dir: dir, Kind: "portfolio", Manifest: ".carry-portfolio.json", Run: RunID(run), Force: force}
	}

	first := guard(map[string]int{"top": 3}, false)
	if err := first.Prepare(); err != nil {
		t.Fatalf("a new directory: %v", err)
	}
	write("summary.json", "{}")
	write("sub/a.csv", "a")
	if err := first.Seal(); err != nil {
		t.Fatal(err)
	}
	write("notes.txt", "mine") // the user's, after the run

	if err := guard(map[string]int{"top": 3}, false).Prepare(); err != nil {
		t.Errorf("the same run again: %v", err)
	}
	err := guard(map[string]int{"top": 5}, false).Prepare()
	var fe *FlagError
	if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), "--force") || !strings.Contains(err.Error(), "earlier, different portfolio") {
		t.Errorf("a different run: %v, want a flag error naming --force", err)
	}
	if !exists("summary.json") {
		t.Error("a refused run removed the earlier run's files")
	}
	second := guard(map[string]int{"top": 5}, true)
	if err := second.Prepare(); err != nil {
		t.Fatalf("a different run with force: %v", err)
	}
	if exists("summary.json") || exists("sub") || !exists("notes.txt") {
		t.Errorf("force: summary.json %v, sub %v (want both removed), notes.txt %v (want kept)", exists("summary.json"), exists("sub"), exists("notes.txt"))
	}

	foreign := filepath.Join(t.TempDir(), "theirs")
	if err := os.MkdirAll(foreign, 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(foreign, "x"), []byte("x"), 0o644)
	err = (&OutDir{Dir: foreign, Kind: "portfolio", Manifest: ".carry-portfolio.json", Run: "r", Force: true}).Prepare()
	if err == nil || !strings.Contains(err.Error(), "holds no carry portfolio") {
		t.Errorf("a directory no run wrote: %v", err)
	}
}
