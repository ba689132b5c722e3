package lake

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/internal/atomicfile"
)

// StaleTempAge is how long a temporary file must have gone unmodified before
// RemoveStaleTemps deletes it. A live writer writes its temporary file and
// renames it within seconds (every write updates its modification time), so
// an hour-old one belongs to a writer that crashed or was killed. Should a
// writer frozen for longer (a stopped process) wake up, its rename fails and
// its write is lost with an error; the stored file is never harmed.
const StaleTempAge = time.Hour

// RemoveStaleTemps deletes the temporary files crashed writers left anywhere
// in the lake, those unmodified for StaleTempAge, and returns how many it
// removed. Commands that write the lake call it when they start, so a
// partition that is never written again does not keep its leftovers
// forever. A missing lake has none. It carries on past a file it cannot
// remove and reports every failure.
func (l *Lake) RemoveStaleTemps() (removed int, err error) {
	cutoff := time.Now().Add(-StaleTempAge)
	var errs []error
	// The trailing separator makes WalkDir follow a lake root that is a
	// symbolic link (to a bigger disk, say).
	root := l.root + string(filepath.Separator)
	walkErr := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			errs = append(errs, err)
			return nil
		}
		if !d.Type().IsRegular() || !atomicfile.IsTemp(d.Name()) {
			return nil
		}
		info, err := d.Info()
		if errors.Is(err, fs.ErrNotExist) {
			return nil // its writer renamed or removed it meanwhile
		}
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		if info.ModTime().After(cutoff) {
			return nil // perhaps a live writer's
		}
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
			return nil
		}
		removed++
		return nil
	})
	if err := errors.Join(append(errs, walkErr)...); err != nil {
		return removed, fmt.Errorf("removing stale temporary files from the lake %s: %w", l.root, err)
	}
	return removed, nil
}

// removeStaleTemps deletes every temporary file in dir, whatever its age.
// Call it only while holding the directory's lock: only the lock holder
// writes temporary files there, so any other one is a crashed writer's.
func removeStaleTemps(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if atomicfile.IsTemp(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
				return fmt.Errorf("removing stale temporary file: %w", err)
			}
		}
	}
	return nil
}
