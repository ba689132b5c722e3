package sweep

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
)

// TestReorderWritesChunksInOrder: rows of chunks arriving interleaved and
// out of order (each chunk's own rows in order, as one worker sends them)
// are written in chunk order, every chunk passed giving its window token
// back; what is held when the run stops is written too.
func TestReorderWritesChunksInOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const chunks = 40
	var queues [][]chunkRow
	var want []string
	for c := range chunks {
		var q []chunkRow
		for r := range rng.IntN(4) { // some chunks have no row of the shard
			line := strconv.Itoa(c) + "." + strconv.Itoa(r)
			q = append(q, chunkRow{chunk: c, line: []byte(line)})
			want = append(want, line)
		}
		queues = append(queues, append(q, chunkRow{chunk: c, end: true}))
	}
	window := make(chan struct{}, chunks)
	o := reorder{held: map[int]*heldChunk{}, window: window}
	var got []string
	write := func(l []byte) error { got = append(got, string(l)); return nil }
	// Three "workers" each take the next chunk and send its rows, their
	// messages interleaved at random.
	next, active := 0, [][]chunkRow{}
	for next < chunks || len(active) > 0 {
		for len(active) < 3 && next < chunks {
			active = append(active, queues[next])
			next++
		}
		k := rng.IntN(len(active))
		if err := o.add(active[k][0], write); err != nil {
			t.Fatal(err)
		}
		if active[k] = active[k][1:]; len(active[k]) == 0 {
			active = slices.Delete(active, k, k+1)
		}
	}
	if !slices.Equal(got, want) || o.next != chunks || len(window) != chunks || len(o.held) != 0 {
		t.Fatalf("wrote %v (next %d, %d tokens back, %d held), want %v", got, o.next, len(window), len(o.held), want)
	}

	// Stopped with chunk 0 unfinished: chunks 2 and 1 held are written, in order.
	o = reorder{held: map[int]*heldChunk{}, window: make(chan struct{}, 4)}
	got = nil
	for _, r := range []chunkRow{{chunk: 2, line: []byte("2.0")}, {chunk: 0, line: []byte("0.0")}, {chunk: 1, line: []byte("1.0")}, {chunk: 1, end: true}} {
		o.add(r, write)
	}
	o.flushHeld(write)
	if want := []string{"0.0", "1.0", "2.0"}; !slices.Equal(got, want) {
		t.Fatalf("after a stop wrote %v, want %v", got, want)
	}
}
