package backfillcmd

import (
	"log/slog"
	"strings"
	"sync"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/internal/iostreams"
)

// barsProgress shows a backfill on the terminal's bars (iostreams.Bars).
type barsProgress struct{ *iostreams.Bars }

// Series is a bar counting requests, or for a kline series pages and
// archive files (its tracker counts both as steps).
func (b barsProgress) Series(name string, requests int) backfill.Tracker {
	if strings.HasPrefix(name, "klines ") {
		return b.Bars.SeriesOf(name, requests, klineUnit)
	}
	return b.Bars.Series(name, requests)
}

// klineUnit is what a kline series' bar counts: REST pages and archive
// files alike.
const klineUnit = "pages+files"

// logProgress reports each series' end as a log line: for cron jobs and
// pipes, where no bar is drawn.
type logProgress struct{ logger *slog.Logger }

// Series returns a tracker that logs when the series is done.
func (l logProgress) Series(name string, requests int) backfill.Tracker {
	return &logTracker{logger: l.logger, name: name}
}

// Wait does nothing.
func (logProgress) Wait() {}

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
