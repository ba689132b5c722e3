package iostreams

import (
	"context"
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Bars draws one bar per series of requests or files (a backfill's) on a terminal
// (github.com/vbauerster/mpb). Log lines written through Writer go above
// the bars, never through them.
type Bars struct {
	p    *mpb.Progress
	term io.Writer
	ctx  context.Context

	mu       sync.Mutex
	trackers []*SeriesBar
	waited   bool
}

// StartBars starts a bar container on ErrOut; ok is false when ErrOut is
// not a terminal (pipes and cron jobs get log lines instead). The bars stop
// drawing when ctx ends.
func (s *IOStreams) StartBars(ctx context.Context) (b *Bars, ok bool) {
	if !s.errTTY {
		return nil, false
	}
	return &Bars{p: mpb.NewWithContext(ctx, mpb.WithOutput(s.ErrOut), mpb.WithAutoRefresh()), term: s.ErrOut, ctx: ctx}, true
}

// Series adds a bar for one series with an estimate of its requests. The
// estimate only scales the bar: the bar ends when the series does, whatever
// was planned, and grows if more requests are needed.
func (b *Bars) Series(name string, requests int) *SeriesBar {
	return b.SeriesOf(name, requests, "requests")
}

// SeriesOf is Series counting steps named unit ("pages+files" for a kline
// series, which counts archive files and REST pages alike).
func (b *Bars) SeriesOf(name string, steps int, unit string) *SeriesBar {
	// Created without a total, so that the bar does not complete on its
	// own when the estimate is reached and can be completed at any count.
	t := &SeriesBar{total: int64(max(steps, 1)), ctx: b.ctx}
	pct := decor.Percentage() // drawn by the decorator below, which takes part in column sync
	// Add, not AddBar: after Ctrl-C the container has shut down (its
	// context ended) while series not started yet still ask for a bar, and
	// AddBar panics then. Such a series gets no bar: it ends at once.
	bar, err := b.p.Add(0, mpb.BarStyle().Build(),
		mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d "+unit, decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Any(func(st decor.Statistics) string {
			switch {
			case st.Aborted:
				return t.endLabel()
			case st.Completed:
				return "done"
			}
			s, _ := pct.Decor(st)
			return s
		}, decor.WCSyncSpace)),
	)
	if err != nil {
		t.done = true
		return t
	}
	t.bar = bar
	t.bar.SetTotal(t.total, false)
	b.mu.Lock()
	b.trackers = append(b.trackers, t)
	b.mu.Unlock()
	return t
}

// Wait ends every bar still running (a series that never reported its
// end) and waits for the last frame to be drawn.
func (b *Bars) Wait() {
	b.mu.Lock()
	trackers, waited := b.trackers, b.waited
	b.mu.Unlock()
	if waited {
		return
	}
	for _, t := range trackers {
		t.Done(nil)
	}
	b.p.Wait()
	b.mu.Lock()
	b.waited = true
	b.mu.Unlock()
}

// Writer returns a writer for log lines: above the bars while they are
// drawn, straight to the terminal after Wait.
func (b *Bars) Writer() io.Writer { return barsWriter{b} }

type barsWriter struct{ b *Bars }

func (w barsWriter) Write(p []byte) (int, error) {
	w.b.mu.Lock()
	waited := w.b.waited
	w.b.mu.Unlock()
	if waited {
		return w.b.term.Write(p)
	}
	if n, err := w.b.p.Write(p); err == nil {
		return n, nil
	}
	return w.b.term.Write(p) // the container has shut down (ctx ended)
}

// SeriesBar is one series' bar: a step (request, page or file) at a time,
// then its end.
type SeriesBar struct {
	mu    sync.Mutex
	bar   *mpb.Bar
	n     int64
	total int64
	done  bool
	// interrupted is read by the drawing goroutine, without t.mu.
	interrupted atomic.Bool
	ctx         context.Context // the run's
}

// endLabel is what an ended bar says: interrupted (Ctrl-C, SIGTERM; what
// was stored is kept) or failed. The container stops its bars itself when
// the run's context ends, before the series reports, hence ctx.
func (t *SeriesBar) endLabel() string {
	if t.interrupted.Load() || t.ctx.Err() != nil {
		return "interrupted"
	}
	return "failed"
}

// Request counts one step: a request, a page or a file.
func (t *SeriesBar) Request(int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.n++
	if t.n >= t.total {
		t.total = t.n + 1
		t.bar.SetTotal(t.total, false)
	}
	t.bar.Increment()
}

// Done ends the bar: complete at the count reached, or aborted with err.
func (t *SeriesBar) Done(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.done = true
	t.interrupted.Store(errors.Is(err, context.Canceled))
	if err != nil {
		t.bar.Abort(false)
		return
	}
	t.bar.SetTotal(-1, true) // the count reached is the total
}
