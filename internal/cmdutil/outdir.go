package cmdutil

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/carry-research/carry/internal/atomicfile"
)

// OutDir guards a command's --out directory: a manifest written into it
// after a run says which run the directory holds and which files it wrote,
// so that a later run into the same directory is refused (it would leave
// stale files beside its own) unless it is the same run, or --force
// replaces exactly those files.
type OutDir struct {
	Dir string
	// Kind names the runs in messages ("backtest", "portfolio"); Manifest
	// is the manifest's file name (".carry-backtest.json").
	Kind, Manifest string
	// Run identifies the run by its inputs (RunID); Force replaces an
	// earlier, different run of the same kind.
	Run   string
	Force bool
	// foreign are files in Dir that no carry run wrote (set by Prepare).
	foreign map[string]bool
}

type manifest struct {
	Run   string   `json:"run"`   // SHA-256 of the run's inputs
	Files []string `json:"files"` // relative paths written
}

// RunID is the SHA-256 of inputs in JSON: the same inputs give the same id.
func RunID(inputs any) string {
	b, _ := json.Marshal(inputs)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Prepare checks Dir before any work: absent or empty, or holding this
// same run, is fine; holding an earlier run of the kind is replaced with
// Force (its files removed, nothing else); anything else is refused with
// a flag error naming --out.
func (d *OutDir) Prepare() error {
	entries, err := os.ReadDir(d.Dir)
	if errors.Is(err, fs.ErrNotExist) || err == nil && len(entries) == 0 {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading --out %s: %w", d.Dir, err)
	}
	m, err := d.readManifest()
	if err != nil {
		why := "holds no carry " + d.Kind
		if !errors.Is(err, fs.ErrNotExist) {
			why = fmt.Sprintf("has an unusable %s (%v)", d.Manifest, err)
		}
		return FlagErrorf("--out %s is not empty and %s: choose an empty or new directory (--force replaces only an earlier carry %s)", d.Dir, why, d.Kind)
	}
	// Files beside the run that it did not write are the user's: never
	// listed as the run's, so never removed by a later --force.
	present, err := d.listFiles()
	if err != nil {
		return err
	}
	d.foreign = map[string]bool{}
	for _, f := range present {
		if !slices.Contains(m.Files, f) {
			d.foreign[f] = true
		}
	}
	switch {
	case m.Run == d.Run:
		return nil // the same run again: its files are rewritten in place
	case !d.Force:
		return FlagErrorf("--out %s holds an earlier, different %s (its files would stay beside this run's): choose another --out, or --force to replace it", d.Dir, d.Kind)
	}
	for _, f := range m.Files {
		if err := os.Remove(filepath.Join(d.Dir, f)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing the earlier %s's %s: %w", d.Kind, f, err)
		}
	}
	removeEmptyDirs(d.Dir)
	return nil
}

func (d *OutDir) readManifest() (manifest, error) {
	var m manifest
	b, err := os.ReadFile(filepath.Join(d.Dir, d.Manifest))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("reading %s: %w", d.Manifest, err)
	}
	for _, f := range m.Files {
		if !filepath.IsLocal(f) {
			return m, fmt.Errorf("%s names %q outside the directory", d.Manifest, f)
		}
	}
	return m, nil
}

// listFiles lists the files under Dir (relative paths, sorted), the
// manifest aside.
func (d *OutDir) listFiles() ([]string, error) {
	var files []string
	err := filepath.WalkDir(d.Dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		rel, err := filepath.Rel(d.Dir, p)
		if err == nil && rel != d.Manifest {
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("listing the files in %s: %w", d.Dir, err)
	}
	slices.Sort(files)
	return files, nil
}

// Seal records the files under Dir the run wrote: all of them but those
// that were there before and were not an earlier run's.
func (d *OutDir) Seal() error {
	all, err := d.listFiles()
	if err != nil {
		return err
	}
	files := slices.DeleteFunc(all, func(f string) bool { return d.foreign[f] })
	b, err := json.MarshalIndent(manifest{Run: d.Run, Files: files}, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(filepath.Join(d.Dir, d.Manifest), func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// removeEmptyDirs removes directories under root left empty, deepest first.
func removeEmptyDirs(root string) {
	var dirs []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != root {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, harmlessly, when not empty
	}
}
