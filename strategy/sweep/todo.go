package sweep

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"io"
	"slices"
	"sync"

	"github.com/carry-research/carry/strategy"
)

// doneSet is the ids of the combinations a results file holds, as sorted
// numbers: 8 bytes a row.
type doneSet []uint64

// idNumber reads an id (16 lowercase hex digits, as ids are written); ok
// is false for anything else, which no combination's id equals.
func idNumber(id string) (uint64, bool) {
	if len(id) != 16 {
		return 0, false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, false
		}
	}
	b, _ := hex.DecodeString(id)
	return binary.BigEndian.Uint64(b), true
}

func (d doneSet) has(id string) bool {
	if len(d) == 0 {
		return false
	}
	n, ok := idNumber(id)
	if !ok {
		return false
	}
	_, found := slices.BinarySearch(d, n)
	return found
}

// readDoneIDs reads the ids of the rows in a results file, streaming it.
func readDoneIDs(ctx context.Context, path string) (doneSet, error) {
	rr, err := openResults(path)
	if rr == nil || err != nil {
		return nil, err
	}
	defer rr.close()
	var ids doneSet
	for n := 0; ; n++ {
		if n%checkEvery == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, _, _, err := rr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if id, ok := idNumber(rec[1]); ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// shardWork is what a run of one shard has before it.
type shardWork struct {
	mine, todo int   // the shard's combinations; those not done
	perMarket  []int // combinations not done, per market
}

// shardWork counts the shard's combinations not done, per market. With
// nothing done the counts follow from the markets' index ranges; resuming,
// each of the shard's ids is looked up (on all workers).
func (r *Job) shardWork(ctx context.Context, s *space, done doneSet) (shardWork, error) {
	w := shardWork{mine: inShard(0, s.count, r.Shard, r.Shards), perMarket: make([]int, s.markets())}
	if len(done) == 0 {
		for m := range w.perMarket {
			w.perMarket[m] = inShard(s.marketFirst[m], s.marketFirst[m+1], r.Shard, r.Shards)
		}
	} else {
		var mu sync.Mutex
		err := forEachChunk(ctx, s.chunks(), r.Workers, nil, func(ctx context.Context, _, c int) error {
			perMarket := map[int]int{}
			err := s.walk(ctx, c, func(index int, pos []int, t *tuple, _ *strategy.Params) error {
				if index%r.Shards == r.Shard {
					if _, found := slices.BinarySearch(done, s.idKey(t)); !found {
						perMarket[s.market(pos)]++
					}
				}
				return nil
			})
			mu.Lock()
			defer mu.Unlock()
			for m, n := range perMarket {
				w.perMarket[m] += n
			}
			return err
		})
		if err != nil {
			return w, err
		}
	}
	for _, n := range w.perMarket {
		w.todo += n
	}
	return w, nil
}

// inShard is how many of the indexes lo … hi−1 are ≡ shard (mod shards).
func inShard(lo, hi, shard, shards int) int {
	first := lo + ((shard-lo%shards)%shards+shards)%shards
	if first >= hi {
		return 0
	}
	return (hi-first-1)/shards + 1
}
