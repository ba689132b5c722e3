// Package progress shows a backfill's progress: live bars per series on a
// terminal (github.com/vbauerster/mpb), structured log lines otherwise.
package progress

import (
	"io"
	"log/slog"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/carry-research/carry/backfill"
)

// Bars draws one bar per series on w, which must be a terminal.
type Bars struct{ p *mpb.Progress }

// NewBars starts a bar container on w.
func NewBars(w io.Writer) *Bars {
	return &Bars{p: mpb.New(mpb.WithOutput(w), mpb.WithAutoRefresh())}
}

// Series adds a bar whose total is the planned number of requests; it grows
// if more are needed.
func (b *Bars) Series(name string, requests int) backfill.Tracker {
	bar := b.p.AddBar(int64(max(requests, 1)),
		mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR), decor.CountersNoUnit("%d/%d requests", decor.WCSyncSpace)),
		mpb.AppendDecorators(decor.Any(func(decor.Statistics) string { return "" }), decor.OnComplete(decor.Percentage(decor.WCSyncSpace), "done")),
	)
	return &barTracker{bar: bar, total: int64(max(requests, 1))}
}

// Wait waits for the bars to finish drawing.
func (b *Bars) Wait() { b.p.Wait() }

type barTracker struct {
	mu    sync.Mutex
	bar   *mpb.Bar
	n     int64
	total int64
}

func (t *barTracker) Request(int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	if t.n > t.total {
		t.total = t.n
		t.bar.SetTotal(t.total+1, false)
	}
	t.bar.Increment()
}

func (t *barTracker) Done(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.bar.Abort(false)
		return
	}
	t.bar.SetTotal(t.n, true)
}

// Log reports each series' end as a log line: for cron jobs and pipes.
type Log struct{ Logger *slog.Logger }

// Series returns a tracker that logs when the series is done.
func (l Log) Series(name string, requests int) backfill.Tracker {
	return &logTracker{logger: l.Logger, name: name}
}

// Wait does nothing.
func (Log) Wait() {}

type logTracker struct {
	logger   *slog.Logger
	name     string
	mu       sync.Mutex
	requests int
	rows     int
}

func (t *logTracker) Request(newRows int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests++
	t.rows += newRows
}

func (t *logTracker) Done(err error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if err != nil {
		t.logger.Error("series failed", "series", t.name, "pages", t.requests, "new_rows", t.rows, "err", err)
		return
	}
	t.logger.Info("series done", "series", t.name, "pages", t.requests, "new_rows", t.rows)
}
