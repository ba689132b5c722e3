package sweep

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// BookJob is a portfolio sweep to compute: a portfolio grid's
// combinations (of one shard) run with the book's float64 kernel into
// Out, with the single-pair sweep's files and machinery (results.csv and
// results.parquet, sweep.json, resume by id, shards and Merge).
type BookJob struct {
	Lake     *lake.Lake
	Out      string
	Workers  int
	Shard    int // 0-based
	Shards   int // 1: unsharded
	Split    *Split
	Progress Progress
	// Universe, when set, is run instead of loading the grid's from the
	// lake (a hand-built universe: tests, notebooks); the grid's market
	// fields must then have one value each.
	Universe *portfolio.Universe
}

// bookSource is one market's universe, loaded once and shared read-only:
// in-sample when split, with its out-of-sample part beside it.
type bookSource struct {
	universe *portfolio.Universe
	oos      *portfolio.Universe
}

// Compute computes the shard's combinations not yet in Out/results.csv on
// r.Workers workers, appending each row as it completes, then rewrites
// the results sorted by index and writes results.parquet. The workers
// take the grid's plans (the combinations sharing a market and the
// book's decisions) one at a time: each plan is made and prepared once
// for all its combinations and dropped after, so what is held is the
// universes and one prepared plan per worker (portfolio.Prepared: 20
// bytes per member × book point), whatever the number of combinations.
// Cancelling ctx stops it with every completed row kept; running it
// again resumes, recomputing no done id.
func (r *BookJob) Compute(ctx context.Context, gridText []byte, ex *BookExpansion) (Tally, error) {
	var res Tally
	r.Shards, r.Workers = max(r.Shards, 1), max(r.Workers, 1)
	if err := os.MkdirAll(r.Out, 0o755); err != nil {
		return res, err
	}
	man := Manifest{GridSHA256: sha(gridText), Grid: string(gridText), Combinations: ex.Len(), Invalid: ex.Invalid,
		Duplicates: ex.Duplicates, Shard: r.Shard, Shards: r.Shards, Split: r.Split.String()}
	if r.Lake != nil {
		man.Lake = r.Lake.Root()
	}
	results := filepath.Join(r.Out, ResultsCSV)
	done, err := readDoneIDs(ctx, results)
	if err != nil {
		return res, err
	}
	// The work: this shard's combinations not done, by plan.
	type todo struct{ lo, hi int }
	var work []todo
	for _, g := range ex.groups() {
		pending := false
		for i := g[0]; i < g[1]; i++ {
			if i%r.Shards != r.Shard {
				continue
			}
			res.Total++
			if done.has(ex.idAt(i)) {
				res.Skipped++
				continue
			}
			pending = true
		}
		if pending {
			work = append(work, todo{g[0], g[1]})
		}
	}
	if res.Total == 0 {
		return res, errors.New("this shard has no combinations")
	}
	sources, err := r.sources(ex)
	if err != nil {
		return res, err
	}
	if err := checkManifest(r.Out, man); err != nil {
		return res, err
	}
	header, kinds := bookColumns()
	if len(work) > 0 {
		if res.Computed, err = r.compute(ctx, ex, res.Total-res.Skipped, done, sources, header, func(yield func(lo, hi int) error) error {
			return forEachChunk(ctx, len(work), r.Workers, nil, func(_ context.Context, _, c int) error { return yield(work[c].lo, work[c].hi) })
		}); err != nil {
			return res, err
		}
	}
	h, rows, err := indexRows(ctx, []string{results})
	if err != nil {
		return res, err
	}
	if h == nil {
		h = header
	}
	return res, finalize(ctx, r.Out, h, kinds, []string{results}, rows, map[string]string{"carry.sweep.grid_sha256": man.GridSHA256}, r.Workers)
}

// compute runs the groups each yields and appends their rows. It returns
// the rows written.
func (r *BookJob) compute(ctx context.Context, ex *BookExpansion, todo int, done doneSet, sources map[BookMarket]*bookSource, header []string,
	each func(func(lo, hi int) error) error) (int, error) {
	app, err := openAppender(r.Out, header)
	if err != nil {
		return 0, err
	}
	var mu sync.Mutex // the appender and the progress
	written := 0
	lastFlush := time.Now()
	if r.Progress != nil {
		r.Progress.Start(todo, 0)
		defer r.Progress.Finish()
	}
	err = each(func(lo, hi int) error {
		var run *bookRunner
		for i := lo; i < hi; i++ {
			if i%r.Shards != r.Shard {
				continue
			}
			if err := ctx.Err(); err != nil {
				return err // interrupted: stop between combinations
			}
			c, err := ex.At(i)
			if err != nil {
				return err
			}
			if done.has(c.ID) {
				continue
			}
			if run == nil {
				if run, err = newBookRunner(sources[c.Market].universe, c.Params); err != nil {
					return fmt.Errorf("combination %d (%s): %w", c.Index, c.ID, err)
				}
			}
			fig := run.run(c)
			line, err := csvLine(bookRecord(ex, c, run.plan, fig))
			if err != nil {
				return err
			}
			mu.Lock()
			err = app.writeLine(line)
			if err == nil && time.Since(lastFlush) > 200*time.Millisecond {
				err, lastFlush = app.flush(false), time.Now()
			}
			if err == nil {
				written++
				if r.Progress != nil {
					r.Progress.Done()
				}
			}
			mu.Unlock()
			if err != nil {
				return fmt.Errorf("writing results: %w", err)
			}
		}
		return nil
	})
	return written, errors.Join(err, app.close())
}

// sources loads each market's universe the valid combinations use, once.
func (r *BookJob) sources(ex *BookExpansion) (map[BookMarket]*bookSource, error) {
	out := map[BookMarket]*bookSource{}
	for i := range ex.valid {
		c, err := ex.At(i)
		if err != nil {
			return nil, err
		}
		if out[c.Market] != nil {
			continue
		}
		u := r.Universe
		if u == nil {
			if r.Lake == nil {
				return nil, errors.New("a portfolio sweep needs a lake or a universe")
			}
			lu, err := book.LoadUniverse(r.Lake, book.UniverseSpec{Symbols: ex.grid.Universe, AllHistory: ex.grid.AllHistory,
				Period: c.Market.Period, From: ex.from, To: ex.to, Prices: c.Market.Prices, Spot: c.Market.Spot})
			if err != nil {
				return nil, fmt.Errorf("loading the universe (%s %s): %w", ex.grid.universeName(), c.Market.Period, err)
			}
			u = lu.Universe
		} else if len(out) > 0 {
			return nil, errors.New("a hand-built universe runs one market: give periods, prices and spot one value each")
		}
		if len(u.Members) == 0 {
			return nil, fmt.Errorf("the universe %s has no member with data in the window", ex.grid.universeName())
		}
		src := &bookSource{universe: u}
		if r.Split != nil {
			in, oos, err := splitUniverse(u, r.Split)
			if err != nil {
				return nil, err
			}
			src.universe, src.oos = in, oos
		}
		out[c.Market] = src
	}
	return out, nil
}

// idAt is the id of the index-th valid combination.
func (ex *BookExpansion) idAt(i int) string {
	pos := make([]int, len(ex.fields))
	ex.decode(ex.valid[i], pos)
	return ex.id(pos)
}
