package views

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// MaxHistory is how many of a symbol's newest funding events a Cache keeps,
// so the most a History from it returns.
const MaxHistory = 1000

// DefaultRecheck is how often a Cache looks for changed files while it
// is asked: a change shows within this long.
const DefaultRecheck = time.Second

// Cache serves the views from memory, for `carry serve`. It keeps, per
// partition file, only what the views read (a basis series' last row, a
// perpetual's times and premiums, a funding series' newest MaxHistory
// events as JSON) and reads a file again only when it changed. The first
// request recheck or more after the last scan of the lake's directories
// scans them again, comparing every file's size, modification time and
// inode with the version in memory. Requests arriving while a scan or a
// read runs share it, so a changed file is read once however many requests
// want it. Safe for concurrent use.
type Cache struct {
	lake    *lake.Lake
	recheck time.Duration
	now     func() time.Time
	logger  *slog.Logger

	mu      sync.Mutex
	snap    *snapshot        // the last scan; nil: scan at the next request
	entries map[string]entry // by partition file

	scans singleflight.Group
	loads singleflight.Group
	reads atomic.Int64
}

// entry is one version of a partition file's digest.
type entry struct {
	stamp fileStamp
	value any // *basisDigest or *fundingDigest
}

// snapshot is one scan of the lake: its series and their files' versions,
// and the answers over all series computed from them (cache_views.go).
type snapshot struct {
	at        time.Time // when the scan began
	basisKeys []data.BasisKey
	symbols   []string
	stamps    map[string]fileStamp // by path; absent when stat failed

	mu    sync.Mutex
	rates *encodedRates // RatesJSON, RateJSON
	basis []byte        // BasisJSON
}

// CacheOption configures a Cache.
type CacheOption func(*Cache)

// WithClock sets the clock that times the scans and decides which data is
// stale (default time.Now).
func WithClock(now func() time.Time) CacheOption {
	return func(c *Cache) { c.now = now }
}

// NewCache returns an empty cache over lake that looks for changes at most
// every recheck (0: at every request); it reads nothing until asked.
func NewCache(lake *lake.Lake, recheck time.Duration, logger *slog.Logger, opts ...CacheOption) *Cache {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Cache{lake: lake, recheck: recheck, now: time.Now, logger: logger, entries: map[string]entry{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Reads counts the partition files the cache has read (diagnostics, tests).
func (c *Cache) Reads() int64 { return c.reads.Load() }

// reader reads the last scan if it is recent enough, else a new one (or the
// one under way).
func (c *Cache) reader() (*cacheReader, error) {
	s := c.fresh()
	if s == nil {
		v, err, _ := c.scans.Do("", func() (any, error) {
			if s := c.fresh(); s != nil {
				return s, nil // a scan ended just now
			}
			return c.scan()
		})
		if err != nil {
			return nil, err
		}
		s = v.(*snapshot)
	}
	return &cacheReader{c: c, snap: s}, nil
}

// fresh is the last scan if it began less than recheck ago.
func (c *Cache) fresh() *snapshot {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snap != nil && c.now().Sub(c.snap.at) < c.recheck {
		return c.snap
	}
	return nil
}

// invalidate makes the next request scan again.
func (c *Cache) invalidate() {
	c.mu.Lock()
	c.snap = nil
	c.mu.Unlock()
}

func (c *Cache) scan() (*snapshot, error) {
	at := c.now()
	keys, err := c.lake.BasisKeys()
	if err != nil {
		return nil, fmt.Errorf("listing the lake's basis series: %w", err)
	}
	syms, err := c.lake.FundingSymbols()
	if err != nil {
		return nil, fmt.Errorf("listing the lake's funding series: %w", err)
	}
	s := &snapshot{at: at, basisKeys: keys, symbols: syms, stamps: make(map[string]fileStamp, len(keys)+len(syms))}
	stat := func(path string) {
		if fi, err := os.Stat(path); err == nil {
			s.stamps[path] = stampOf(fi)
		}
	}
	for _, k := range keys {
		stat(c.lake.BasisPath(k))
	}
	for _, sym := range syms {
		stat(c.lake.FundingPath(sym))
	}
	c.mu.Lock()
	for path := range c.entries {
		if _, ok := s.stamps[path]; !ok {
			delete(c.entries, path) // the series left the lake
		}
	}
	c.snap = s
	c.mu.Unlock()
	return s, nil
}

// get is the digest of the file at path in the version snap saw: from
// memory, or read once for all the requests that want it at the same time.
// A file the scan did not see is read directly, as without a cache.
func (c *Cache) get(snap *snapshot, path string, read func() (any, int, error)) (any, error) {
	st, ok := snap.stamps[path]
	if !ok {
		v, _, err := read()
		return v, err
	}
	if v, ok := c.lookup(path, st); ok {
		return v, nil
	}
	v, err, _ := c.loads.Do(path+"\x00"+st.String(), func() (any, error) {
		if v, ok := c.lookup(path, st); ok {
			return v, nil // stored by a read that ended just now
		}
		start := time.Now()
		c.reads.Add(1)
		v, rows, err := read()
		if err != nil {
			return nil, err
		}
		// Keep it only if the file is still the version scanned: then what
		// was read is that version. If not, it changed since the scan:
		// serve what was read (a whole version) and scan again.
		if fi, err := os.Stat(path); err == nil && stampOf(fi) == st {
			c.mu.Lock()
			c.entries[path] = entry{stamp: st, value: v}
			c.mu.Unlock()
		} else {
			c.invalidate()
		}
		c.logger.Debug("read a partition into the cache", "path", path, "rows", rows, "took", time.Since(start))
		return v, nil
	})
	return v, err
}

func (c *Cache) lookup(path string, st fileStamp) (any, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[path]
	return e.value, ok && e.stamp == st
}

// cacheReader reads one snapshot through the cache.
type cacheReader struct {
	c    *Cache
	snap *snapshot
}

func (r *cacheReader) basisKeys() ([]data.BasisKey, error) { return r.snap.basisKeys, nil }
func (r *cacheReader) fundingSymbols() ([]string, error)   { return r.snap.symbols, nil }

func (r *cacheReader) basis(k data.BasisKey) (*basisDigest, error) {
	v, err := r.c.get(r.snap, r.c.lake.BasisPath(k), func() (any, int, error) {
		s, err := r.c.lake.ReadBasis(k)
		if err != nil {
			return nil, 0, err
		}
		return newBasisDigest(s), len(s.Rows), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*basisDigest), nil
}

func (r *cacheReader) funding(symbol string) (*fundingDigest, error) {
	if err := data.ValidateSymbol(symbol); err != nil {
		return nil, err // never a path outside the lake
	}
	v, err := r.c.get(r.snap, r.c.lake.FundingPath(symbol), func() (any, int, error) {
		s, err := r.c.lake.ReadFunding(symbol)
		if err != nil {
			return nil, 0, err
		}
		d := newFundingDigest(s, MaxHistory)
		if err := d.encodeEvents(); err != nil {
			return nil, 0, fmt.Errorf("funding %s: %w", symbol, err)
		}
		return d, len(s.Rows), nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*fundingDigest), nil
}
