package lake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/carry-research/carry/internal/atomicfile"
)

// DamagedError says a series file exists but does not hold a readable
// series of its partition: it is truncated, empty, not Parquet, has another
// schema, or its footer names another dataset or series (a file copied into
// the wrong partition). Reading it again gives the same answer; re-fetching
// the series rebuilds it (see WithRebuildDamaged).
type DamagedError struct {
	Path string
	Err  error
	info os.FileInfo // the file as read, when it could be opened
}

func (e *DamagedError) Error() string {
	return fmt.Sprintf("damaged series file %s: %v", e.Path, e.Err)
}
func (e *DamagedError) Unwrap() error { return e.Err }

// UnreadableError says a series file exists but could not be opened (its
// permissions, say): the file itself may be fine, so it is never set aside.
type UnreadableError struct {
	Path string
	Err  error
}

func (e *UnreadableError) Error() string {
	return fmt.Sprintf("unreadable series file %s: %v", e.Path, e.Err)
}
func (e *UnreadableError) Unwrap() error { return e.Err }

// damagedMarker is part of the name a damaged file is set aside under:
// _data.parquet.damaged-20260320T123000Z. The name starts with an
// underscore and does not end in .parquet, so **/*.parquet globs (DuckDB),
// pyarrow.dataset and Spark (which skip names starting with _ or .) never
// read it, and carry's own listings and stale-temporary sweeps ignore it.
const damagedMarker = ".damaged-"

// SetAsidePrefix starts the name of every file set aside.
const SetAsidePrefix = "_"

// WithRebuildDamaged makes a read that meets a damaged series file (a
// *DamagedError) set the file aside — rename it, never delete it — and
// answer as if the series were not in the lake (ErrNoSeries), logging what
// it did; the caller then fetches the series from scratch and writes a new
// file. carry backfill opens its lake with it; readers never do, so that
// they change nothing and report the damage instead.
func WithRebuildDamaged() Option { return func(l *Lake) { l.rebuildDamaged = true } }

// setAside renames a damaged series file to
// _data.parquet.damaged-<UTC time> in its partition and returns the new
// path. Unless the caller holds the partition's lock, it takes it and
// checks the file is still the one that was read (seen), so a file a
// concurrent writer has just replaced is never moved; it then reports
// errReplaced.
func (l *Lake) setAside(path string, seen os.FileInfo, locked bool) (string, error) {
	var moved string
	move := func() error {
		now, err := os.Stat(path)
		if errors.Is(err, os.ErrNotExist) {
			return errReplaced
		}
		if err != nil {
			return err
		}
		if seen != nil && (!os.SameFile(seen, now) || seen.Size() != now.Size() || !seen.ModTime().Equal(now.ModTime())) {
			return errReplaced
		}
		dir, name := filepath.Split(path)
		stamp := l.now().UTC().Format("20060102T150405Z")
		for i := 0; ; i++ {
			moved = filepath.Join(dir, SetAsidePrefix+name+damagedMarker+stamp)
			if i > 0 {
				moved += fmt.Sprintf("-%d", i)
			}
			// Never over an earlier damaged file: each one is kept.
			_, err := os.Lstat(moved)
			if errors.Is(err, os.ErrNotExist) {
				break
			}
			if err != nil {
				return fmt.Errorf("choosing a name to set %s aside: %w", path, err)
			}
		}
		if err := os.Rename(path, moved); err != nil {
			return err
		}
		return atomicfile.SyncDir(dir)
	}
	var err error
	if locked {
		err = move()
	} else {
		err = l.withPartitionLock(path, move)
	}
	if err != nil && !errors.Is(err, errReplaced) {
		return "", fmt.Errorf("setting the damaged file %s aside: %w", path, err)
	}
	return moved, err
}

// errReplaced says a damaged file was replaced while it was being set aside.
var errReplaced = errors.New("replaced meanwhile")

// IsSetAside reports whether name is the name of a damaged file set aside.
func IsSetAside(name string) bool {
	return strings.HasPrefix(name, SetAsidePrefix) && strings.Contains(name, damagedMarker)
}

// SetAsideFiles lists the damaged files set aside anywhere in the lake,
// sorted; they are kept for inspection until someone removes them.
func (l *Lake) SetAsideFiles() ([]string, error) {
	var out []string
	aside := SetAsidePrefix + seriesFileName + damagedMarker + "*"
	for _, pattern := range [][]string{
		{filepath.Join(l.root, DatasetBasis, "pair=*"), "contract_type=*", "period=*", aside},
		{filepath.Join(l.root, DatasetFunding, "symbol=*"), aside},
		{filepath.Join(l.root, DatasetContracts, "pair=*"), aside},
		{filepath.Join(l.root, DatasetKlines, "kind=*", "symbol=*"), "interval=*", aside},
		{filepath.Join(l.root, DatasetKlines, "kind=*", "symbol=*"), "contract_type=*", "interval=*", aside},
	} {
		m, err := globParallel(pattern[0], pattern[1:]...)
		if err != nil {
			return nil, err
		}
		out = append(out, m...)
	}
	return out, nil
}
