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
func WriteHooked(path string, write func(io.Writer) error, beforeRename func(tmp string) error) error {
	p, err := Create(path)
	if err != nil {
		return err
	}
	defer p.Abort()
	if err := write(p.Writer()); err != nil {
		return fmt.Errorf("writing %s: %w", p.tmp.Name(), err)
	}
	return p.Commit(beforeRename)
}

// Pending is a file being written: a temporary file beside its target,
// which Commit puts in place and Abort removes. It is what WriteHooked does
// for writers that produce a file over many calls (the lake's streaming
// merges) rather than inside one function.
type Pending struct {
	path string
	tmp  *os.File
	done bool
}

// Create starts writing path (its directory must exist).
func Create(path string) (*Pending, error) {
	dir, name := filepath.Split(path)
	tmp, err := createTemp(dir, name)
	if err != nil {
		return nil, fmt.Errorf("creating temporary file for %s: %w", path, err)
	}
	return &Pending{path: path, tmp: tmp}, nil
}

// Writer is the temporary file, with Close hidden: writers such as
// pqarrow's close an io.Closer sink, and the file must stay open for the
// fsync.
func (p *Pending) Writer() io.Writer { return struct{ io.Writer }{p.tmp} }

// Commit fsyncs the temporary file, runs beforeRename (may be nil), renames
// it over the target and fsyncs the directory. After a failure the target
// is as it was and the temporary file is removed.
func (p *Pending) Commit(beforeRename func(tmp string) error) error {
	if p.done {
		return fmt.Errorf("writing %s: already committed or aborted", p.path)
	}
	defer p.Abort()
	if err := p.tmp.Sync(); err != nil {
		return fmt.Errorf("syncing %s: %w", p.tmp.Name(), err)
	}
	if err := p.tmp.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", p.tmp.Name(), err)
	}
	if beforeRename != nil {
		if err := beforeRename(p.tmp.Name()); err != nil {
			return err
		}
	}
	if err := os.Rename(p.tmp.Name(), p.path); err != nil {
		return fmt.Errorf("replacing %s: %w", p.path, err)
	}
	p.done = true
	return SyncDir(filepath.Dir(p.path))
}

// Abort removes the temporary file unless Commit put it in place; it may be
// called any number of times.
func (p *Pending) Abort() {
	if p.done {
		return
	}
	p.done = true
	p.tmp.Close()
	os.Remove(p.tmp.Name())
}

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
