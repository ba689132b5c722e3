package data

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// tmpMarker is part of every temporary file's name. Temporary names start
// with a dot and do not end in .parquet, so globs like **/*.parquet and
// pyarrow.dataset (which skips dot-files) never see a half-written file.
const tmpMarker = ".tmp-"

// writeAtomic writes path by writing a temporary file in the same directory,
// fsyncing it, renaming it over path and fsyncing the directory. A crash at
// any instant leaves either the old file or the new one. beforeRename, when
// set, runs between the fsync and the rename (tests use it to simulate a
// crash there).
func writeAtomic(path string, write func(io.Writer) error, beforeRename func(tmp string) error) (err error) {
	dir, name := filepath.Split(path)
	tmp, err := os.CreateTemp(dir, "."+name+tmpMarker+"*")
	if err != nil {
		return fmt.Errorf("creating temporary file for %s: %w", path, err)
	}
	committed := false
	defer func() {
		if !committed {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	// Hide Close: writers such as pqarrow's close an io.Closer sink, and the
	// file must stay open for the fsync.
	if err := write(struct{ io.Writer }{tmp}); err != nil {
		return fmt.Errorf("writing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", tmp.Name(), err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", tmp.Name(), err)
	}
	if beforeRename != nil {
		if err := beforeRename(tmp.Name()); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	committed = true
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("opening directory %s to sync it: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("syncing directory %s: %w", dir, err)
	}
	return nil
}

// removeStaleTemps deletes temporary files a crashed writer left in dir. Call
// it only while holding the directory's lock.
func removeStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") && strings.Contains(e.Name(), tmpMarker) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("removing stale temporary file: %w", err)
			}
		}
	}
	return nil
}

// WriteFileAtomic writes path through write with the same guarantees as the
// lake's own files: a reader sees the old file or the new one, never a part.
func WriteFileAtomic(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	return writeAtomic(path, write, nil)
}
