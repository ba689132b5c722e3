package lake

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/apache/arrow/go/v17/arrow/memory"
	"github.com/carry-research/carry/data"
)

// seriesFileName is the one Parquet file of a partition.
const seriesFileName = "data.parquet"

// The lake's dataset directories.
const (
	DatasetBasis   = "basis"
	DatasetFunding = "funding"
	DatasetKlines  = "klines"
)

// Lake is a directory of Parquet partitions. Methods are safe for concurrent
// use; writers of one partition are serialized by a file lock, across
// processes too.
type Lake struct {
	root string
	now  func() time.Time
	mem  memory.Allocator
	// logger says when a writer waits for a partition's lock.
	logger *slog.Logger
	// lockWait bounds that wait (DefaultLockWait).
	lockWait time.Duration
	// beforeRename runs between a write's fsync and its rename (tests).
	beforeRename func(tmp string) error
	// rebuildDamaged sets damaged series files aside (WithRebuildDamaged).
	rebuildDamaged bool
}

// Option configures a Lake.
type Option func(*Lake)

// WithClock sets the clock used to stamp updated_at in series footers.
// Default: time.Now.
func WithClock(now func() time.Time) Option { return func(l *Lake) { l.now = now } }

// WithLogger sets the logger that says when a write waits for a partition
// another writer holds. Default: discard.
func WithLogger(logger *slog.Logger) Option {
	return func(l *Lake) {
		if logger != nil {
			l.logger = logger
		}
	}
}

// WithLockWait sets how long a write waits for a partition another writer
// holds before failing with a *LockTimeoutError (0: not at all). Default:
// DefaultLockWait.
func WithLockWait(d time.Duration) Option { return func(l *Lake) { l.lockWait = d } }

// Open opens the lake rooted at dir. It creates nothing: the first write
// creates the directories it needs, so reading a mistyped path never
// leaves an empty lake behind (see Exists).
func Open(dir string, opts ...Option) (*Lake, error) {
	if dir == "" {
		return nil, errors.New("lake directory not set")
	}
	if st, err := os.Stat(dir); err == nil && !st.IsDir() {
		return nil, fmt.Errorf("lake %s is a file, not a directory", dir)
	}
	l := &Lake{root: dir, now: time.Now, mem: memory.DefaultAllocator,
		logger: slog.New(slog.DiscardHandler), lockWait: DefaultLockWait}
	for _, o := range opts {
		o(l)
	}
	return l, nil
}

// Exists reports whether the lake's directory exists.
func (l *Lake) Exists() bool {
	st, err := os.Stat(l.root)
	return err == nil && st.IsDir()
}

// Root is the lake's directory.
func (l *Lake) Root() string { return l.root }

// BasisPath is the partition file of a basis series.
func (l *Lake) BasisPath(k data.BasisKey) string {
	return filepath.Join(l.root, DatasetBasis, "pair="+k.Pair, "contract_type="+string(k.ContractType), "period="+string(k.Period), seriesFileName)
}

// FundingPath is the partition file of a symbol's funding history.
func (l *Lake) FundingPath(symbol string) string {
	return filepath.Join(l.root, DatasetFunding, "symbol="+symbol, seriesFileName)
}

// BasisKeys lists the basis series in the lake, sorted.
func (l *Lake) BasisKeys() ([]data.BasisKey, error) {
	matches, err := globParallel(filepath.Join(l.root, DatasetBasis, "pair=*"), "contract_type=*", "period=*", seriesFileName)
	if err != nil {
		return nil, err
	}
	var keys []data.BasisKey
	for _, m := range matches {
		rel, _ := filepath.Rel(filepath.Join(l.root, DatasetBasis), filepath.Dir(m))
		var k data.BasisKey
		var ct, p string
		parts := strings.Split(filepath.ToSlash(rel), "/")
		if len(parts) != 3 || !cut(parts[0], "pair=", &k.Pair) || !cut(parts[1], "contract_type=", &ct) || !cut(parts[2], "period=", &p) {
			continue
		}
		k.ContractType, k.Period = data.ContractType(ct), data.Period(p)
		if k.Validate() == nil {
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// FundingSymbols lists the symbols with a funding history, sorted.
func (l *Lake) FundingSymbols() ([]string, error) {
	matches, err := globParallel(filepath.Join(l.root, DatasetFunding, "symbol=*"), seriesFileName)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		var s string
		if cut(filepath.Base(filepath.Dir(m)), "symbol=", &s) && data.ValidateSymbol(s) == nil {
			out = append(out, s)
		}
	}
	return out, nil
}

// cut sets *out to s without prefix, reporting whether s had it.
func cut(s, prefix string, out *string) bool {
	v, ok := strings.CutPrefix(s, prefix)
	*out = v
	return ok && v != ""
}
