package sweep

import "slices"

// chunkRow is a worker's message to the writer: a row of a chunk, or the
// chunk's end.
type chunkRow struct {
	chunk int
	line  []byte
	end   bool
}

// reorder writes rows chunk by chunk in grid order: rows of the chunk
// being written go straight out, those of chunks ahead are held until
// their turn. Each chunk passed gives its token back to the window.
type reorder struct {
	next   int
	held   map[int]*heldChunk
	window chan struct{}
}

type heldChunk struct {
	lines [][]byte
	ended bool
}

func (o *reorder) add(r chunkRow, write func([]byte) error) error {
	if r.chunk != o.next {
		h := o.held[r.chunk]
		if h == nil {
			h = &heldChunk{}
			o.held[r.chunk] = h
		}
		if r.end {
			h.ended = true
		} else {
			h.lines = append(h.lines, r.line)
		}
		return nil
	}
	if !r.end {
		return write(r.line)
	}
	// The chunk is done: write those held behind it that are, and the
	// start of the first that is not.
	for {
		o.next++
		o.window <- struct{}{}
		h := o.held[o.next]
		if h == nil {
			return nil
		}
		delete(o.held, o.next)
		for _, l := range h.lines {
			if err := write(l); err != nil {
				return err
			}
		}
		if !h.ended {
			return nil
		}
	}
}

// flushHeld writes what is held, in chunk order: after an interrupt the
// chunks before them are missing, and the file is sorted at the end.
func (o *reorder) flushHeld(write func([]byte) error) error {
	keys := make([]int, 0, len(o.held))
	for k := range o.held {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, l := range o.held[k].lines {
			if err := write(l); err != nil {
				return err
			}
		}
	}
	o.held = map[int]*heldChunk{}
	return nil
}
