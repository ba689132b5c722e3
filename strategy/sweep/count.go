package sweep

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/carry-research/carry/strategy"
)

// maxChunks bounds the chunks a space is walked in: what is recorded per
// chunk stays a few kilobytes whatever the number of combinations, and a
// chunk is small enough (≤ 0.1% of the grid) to balance the workers.
const maxChunks = 1024

// checkEvery is how many positions a walk covers between looks at its
// context: a few milliseconds of work.
const checkEvery = 256

// counted is what the counting pass finds.
type counted struct {
	count      int // valid, distinct combinations
	invalid    int
	duplicates int
	reasons    map[string]int
	// values are each parameter's values among the combinations, in the
	// order of their first occurrence.
	values [fieldCount][]string

	chunkLen   int
	chunkFirst []int // combination index at each chunk's start; the last is count
	// marketFirst is the combination index at each market's start; the
	// last is count.
	marketFirst []int
}

func (s *space) chunks() int { return len(s.chunkFirst) - 1 }

// chunkCount is one chunk's share of the counts.
type chunkCount struct {
	valid, invalid, duplicates int
	reasons                    map[string]int
	firstSeen                  [][2]int // (slot, entry) in order of first valid occurrence
	markets                    [][2]int // (market, valid combinations), in order
}

// countAll walks every position once, on all cores, and fills s.counted:
// combinations the engine refuses count with the weight of their listed
// duplicates, and a valid tuple standing for w listed combinations counts
// one combination and w−1 duplicates.
func (s *space) countAll(ctx context.Context) error {
	n := min(maxChunks, s.size)
	s.chunkLen = (s.size + n - 1) / n
	n = (s.size + s.chunkLen - 1) / s.chunkLen
	parts := make([]chunkCount, n)
	if err := forEachChunk(ctx, n, runtime.GOMAXPROCS(0), nil, func(ctx context.Context, _, c int) error {
		return s.countChunk(ctx, c, &parts[c])
	}); err != nil {
		return err
	}
	s.reasons = map[string]int{}
	s.chunkFirst = make([]int, n+1)
	perMarket := make([]int, s.markets())
	seen := make([][]bool, len(s.slots))
	for k, sl := range s.slots {
		seen[k] = make([]bool, len(sl.entries))
	}
	inValues := make([]map[string]bool, fieldCount)
	for f := range inValues {
		inValues[f] = map[string]bool{}
	}
	for c, p := range parts {
		s.chunkFirst[c] = s.count
		s.count += p.valid
		s.invalid += p.invalid
		s.duplicates += p.duplicates
		for r, w := range p.reasons {
			s.reasons[r] += w
		}
		for _, m := range p.markets {
			perMarket[m[0]] += m[1]
		}
		for _, ke := range p.firstSeen {
			k, e := ke[0], ke[1]
			if seen[k][e] {
				continue
			}
			seen[k][e] = true
			for j, v := range s.slots[k].entries[e] {
				if f := s.slots[k].first + j; !inValues[f][v.canon] {
					inValues[f][v.canon] = true
					s.values[f] = append(s.values[f], v.canon)
				}
			}
		}
	}
	s.chunkFirst[n] = s.count
	s.marketFirst = make([]int, len(perMarket)+1)
	for m, v := range perMarket {
		s.marketFirst[m+1] = s.marketFirst[m] + v
	}
	return nil
}

func (s *space) countChunk(ctx context.Context, c int, out *chunkCount) error {
	seen := make([][]bool, len(s.slots))
	for k, sl := range s.slots {
		seen[k] = make([]bool, len(sl.entries))
	}
	market, inMarket := -1, 0
	err := s.tuples(ctx, c, func(pos []int, t *tuple, weight int, _ *strategy.Params, err error) error {
		if err != nil {
			out.invalid += weight
			if out.reasons == nil {
				out.reasons = map[string]int{}
			}
			out.reasons[firstLine(err.Error())] += weight
			return nil
		}
		out.valid++
		out.duplicates += weight - 1
		for k := range s.slots {
			if !seen[k][pos[k]] {
				seen[k][pos[k]] = true
				out.firstSeen = append(out.firstSeen, [2]int{k, pos[k]})
			}
		}
		if m := s.market(pos); m != market {
			if inMarket > 0 {
				out.markets = append(out.markets, [2]int{market, inMarket})
			}
			market, inMarket = m, 0
		}
		inMarket++
		return nil
	})
	if inMarket > 0 {
		out.markets = append(out.markets, [2]int{market, inMarket})
	}
	return err
}

// tuples visits chunk c's positions in order with their values, weight and
// parameters (or why the engine refuses them), looking at ctx every
// checkEvery positions.
func (s *space) tuples(ctx context.Context, c int, visit func(pos []int, t *tuple, weight int, p *strategy.Params, err error) error) error {
	at, end := c*s.chunkLen, min((c+1)*s.chunkLen, s.size)
	pos := make([]int, len(s.slots))
	s.decode(at, pos)
	var t tuple
	for n := 0; at < end; at, n = at+1, n+1 {
		if n%checkEvery == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		weight := s.fill(pos, &t)
		p, err := s.params(&t)
		if err := visit(pos, &t, weight, &p, err); err != nil {
			return err
		}
		s.step(pos)
	}
	return nil
}

// walk visits chunk c's combinations in order, with their index (known
// once counted), values and parameters.
func (s *space) walk(ctx context.Context, c int, visit func(index int, pos []int, t *tuple, p *strategy.Params) error) error {
	index := s.chunkFirst[c]
	return s.tuples(ctx, c, func(pos []int, t *tuple, _ int, p *strategy.Params, err error) error {
		if err != nil {
			return nil
		}
		index++
		return visit(index-1, pos, t, p)
	})
}

// forEachChunk runs do for chunks 0 … n−1 on workers goroutines (do gets
// its worker's number), each taking the next chunk when done with one. The
// first error stops the others and is returned. With a window, a worker
// takes a token from it before it takes a chunk (whoever consumes the
// chunks' results gives the tokens back).
func forEachChunk(ctx context.Context, n, workers int, window chan struct{}, do func(ctx context.Context, worker, c int) error) error {
	run := &failFast{Context: ctx}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range max(1, min(workers, n)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if window != nil {
					select {
					case <-window:
					case <-run.Done():
						return
					}
				}
				c := int(next.Add(1) - 1)
				if c >= n || run.Err() != nil {
					return
				}
				if err := do(run, w, c); err != nil {
					run.fail(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	return run.Err()
}

// failFast is a context that also ends at the first worker's error. Its Err
// asks the parent's Err each time, so that walks, which look at Err every
// checkEvery positions, stop at the parent's first word.
type failFast struct {
	context.Context
	failed atomic.Pointer[error]
}

func (f *failFast) Err() error {
	if err := f.failed.Load(); err != nil {
		return *err
	}
	return f.Context.Err()
}

func (f *failFast) fail(err error) { f.failed.CompareAndSwap(nil, &err) }
