package cmdutil

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/carry-research/carry/data/lake"
)

// NoLakeError says there is no lake at the directory a reading command was
// given: a mistyped --data or $CARRY_DATA, or no backfill yet. It is exit 1:
// a cron job reading the lake must see it.
type NoLakeError struct {
	Dir string
	Err error // why: the directory's stat error
}

func (e *NoLakeError) Error() string {
	why := e.Err.Error()
	if errors.Is(e.Err, fs.ErrNotExist) {
		why = "no such directory"
	}
	return fmt.Sprintf("no lake at %s (%s): check --data or $%s, or create one with: carry backfill --symbols BTCUSDT", e.Dir, why, DataDirEnv)
}
func (e *NoLakeError) Unwrap() error { return e.Err }

// OpenLake opens the lake at dir for a command that only reads it, failing
// with a *NoLakeError when there is none (lake.Open alone would show an
// empty lake).
func OpenLake(dir string) (*lake.Lake, error) {
	lake, err := lake.Open(dir)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil {
		return nil, &NoLakeError{Dir: dir, Err: err}
	} else if !st.IsDir() {
		return nil, &NoLakeError{Dir: dir, Err: fmt.Errorf("%s is not a directory", dir)}
	}
	return lake, nil
}
