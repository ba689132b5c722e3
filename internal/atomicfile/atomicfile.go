// Package atomicfile writes files so that a reader sees the old file or the
// new one, never a part: a temporary file in the same directory, fsynced,
// renamed over the target, and the directory fsynced. The lake's partitions
// and every file carry writes outside the lake (reports, charts, CSVs) go
// through it.
package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// TempMarker is part of every temporary file's name. Temporary names start
// with a dot and do not end in .parquet, so globs like **/*.parquet and
// pyarrow.dataset (which skips dot-files) never see a half-written file.
const TempMarker = ".tmp-"

// IsTemp reports whether name is one of this package's temporary files.
func IsTemp(name string) bool {
	return strings.HasPrefix(name, ".") && strings.Contains(name, TempMarker)
}

// WriteHooked writes path by writing a temporary file in the same directory,
// fsyncing it, renaming it over path and fsyncing the directory. A crash at
// any instant leaves either the old file or the new one. beforeRename, when
// set, runs between the fsync and the rename (tests use it to simulate a
// crash there).
func WriteHooked(path string, write func(io.Writer) error, beforeRename func(tmp string) error) (err error) {
	dir, name := filepath.Split(path)
	tmp, err := createTemp(dir, name)
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
	return SyncDir(dir)
}

// createTemp creates a new temporary file .<name>.tmp-<random> in dir with
// mode 0666 less the umask: the kernel applies the umask at creation, so the
// renamed file gets the mode any other new file would, without reading the
// umask (which only a racy set-and-restore can do). os.CreateTemp would
// create it 0600, and the rename would keep that.
func createTemp(dir, name string) (*os.File, error) {
	for range 100 {
		path := filepath.Join(dir, "."+name+TempMarker+strconv.FormatUint(rand.Uint64(), 36))
		f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o666)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		return f, err
	}
	return nil, fmt.Errorf("no unused temporary name for %s in %s", name, dir)
}

// SyncDir fsyncs a directory, so that a rename or removal in it survives a
// crash.
func SyncDir(dir string) error {
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

// Write writes path through write with the same guarantees as the lake's
// own files: a reader sees the old file or the new one, never a part.
// The file gets mode 0666 and missing directories 0777, less the umask, like
// any file a program creates. Every file carry writes outside the lake
// (reports, charts, CSVs) goes through it.
func Write(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
		return fmt.Errorf("creating %s: %w", filepath.Dir(path), err)
	}
	return WriteHooked(path, write, nil)
}
