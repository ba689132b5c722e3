package archive

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"log/slog"
	"time"

	"github.com/carry-research/carry/data"
)

// Checksums is what the importer asks of the store: the SHA-256 kept for a
// file imported before ("", false if none). A file whose upstream checksum
// equals it is skipped; one replaced upstream is imported again.
type Checksums interface {
	Checksum(f File) (string, bool)
}

// Imported is a file whose rows were stored.
type Imported struct {
	File   File
	SHA256 string // keep it (Checksums) to notice a later replacement
	Rows   int
}

// FileError is a file that failed: nothing of it was stored.
type FileError struct {
	File File
	Err  error
}

func (e FileError) Error() string { return e.Err.Error() }
func (e FileError) Unwrap() error { return e.Err }

// Result is what an import did. Failed files are named; the run went on
// with the others (a partial run: exit 3 for the command).
type Result struct {
	Imported  []Imported
	Unchanged []File      // the checksum kept matches upstream: not downloaded
	Missing   []File      // 404: their spans fell back (daily files, then REST)
	Failed    []FileError // checksum or body failures, unreadable files, rows refused
	REST      data.Spans  // left to REST: the plan's and the fallbacks'
}

// Partial reports whether some file failed.
func (r Result) Partial() bool { return len(r.Failed) > 0 }

// Importer runs plans: downloads each file, verifies it, reads its rows and
// hands them to a store, one file at a time.
type Importer struct {
	dl     *Downloader
	known  Checksums
	now    func() time.Time
	logger *slog.Logger
}

// NewImporter returns an importer downloading through dl. known may be nil
// (nothing imported before); now is the clock for fallback plans
// (default time.Now); logger may be nil (discard).
func NewImporter(dl *Downloader, known Checksums, now func() time.Time, logger *slog.Logger) *Importer {
	if now == nil {
		now = time.Now
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Importer{dl: dl, known: known, now: now, logger: logger}
}

// ImportKlines imports a kline plan. store gets each verified file's rows
// whole (a month at most: memory is flat in the length of history) and its
// checksum; a file whose rows fail to read is not stored at all. The rows
// slice is reused for the next file: store copies what it keeps.
func (im *Importer) ImportKlines(ctx context.Context, p Plan, store func(f File, sha256 string, rows []data.KlineRow) error) (Result, error) {
	return run(ctx, im, p, (*Download).Klines, store)
}

// ImportFunding imports a funding plan, like ImportKlines.
func (im *Importer) ImportFunding(ctx context.Context, p Plan, store func(f File, sha256 string, rows []data.FundingRow) error) (Result, error) {
	return run(ctx, im, p, (*Download).Funding, store)
}

// run imports p's files in order, queueing the fallback files of a month
// the archive does not have. Only a cancelled context stops it early.
func run[R any](ctx context.Context, im *Importer, p Plan, read func(*Download) iter.Seq2[R, error], store func(File, string, []R) error) (Result, error) {
	res := Result{REST: p.REST}
	queue := append([]File(nil), p.Files...)
	var rows []R // reused from file to file
	ahead := newPrefetch(ctx, im)
	defer ahead.discard()
	for len(queue) > 0 {
		f := queue[0]
		queue = queue[1:]
		if err := ctx.Err(); err != nil {
			return res, err
		}
		if len(queue) > 0 {
			ahead.start(queue[0]) // downloads while this one is read and stored
		}
		if im.known != nil {
			if kept, ok := im.known.Checksum(f); ok {
				up, err := im.dl.Checksum(ctx, f)
				if err == nil && up == kept {
					res.Unchanged = append(res.Unchanged, f)
					continue
				}
				if err == nil {
					im.logger.Info("archive file replaced upstream: importing it again", "file", f.Path(), "kept", kept, "upstream", up)
				}
			}
		}
		dl, err := ahead.take(f)
		if errors.Is(err, ErrNotFound) {
			fb := Fallback(f, im.now())
			im.logger.Info("archive file missing: falling back", "file", f.Path(), "files", len(fb.Files), "rest", len(fb.REST))
			res.Missing = append(res.Missing, f)
			queue = append(fb.Files, queue...)
			for _, sp := range fb.REST {
				res.REST = res.REST.Add(sp)
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil {
				return res, ctx.Err()
			}
			im.logger.Warn("archive file failed", "file", f.Path(), "err", err)
			res.Failed = append(res.Failed, FileError{File: f, Err: err})
			continue
		}
		rows = rows[:0]
		for r, err := range read(dl) {
			if err != nil {
				rows, dl.SHA256 = rows[:0], ""
				res.Failed = append(res.Failed, FileError{File: f, Err: err})
				im.logger.Warn("archive file refused", "file", f.Path(), "err", err)
				break
			}
			rows = append(rows, r)
		}
		dl.Remove()
		if dl.SHA256 == "" {
			continue
		}
		if err := store(f, dl.SHA256, rows); err != nil {
			res.Failed = append(res.Failed, FileError{File: f, Err: fmt.Errorf("storing %s: %w", f, err)})
			continue
		}
		res.Imported = append(res.Imported, Imported{File: f, SHA256: dl.SHA256, Rows: len(rows)})
	}
	return res, nil
}

// prefetch downloads the next file of a plan while the current one is
// read and stored: a file's round trips to a distant host then cost no
// time, and its download overlaps the parsing. One file ahead at most, and
// never one whose kept checksum may make the download unnecessary.
type prefetch struct {
	ctx     context.Context
	im      *Importer
	pending map[string]chan fetched // by File.Path
}

type fetched struct {
	dl  *Download
	err error
}

func newPrefetch(ctx context.Context, im *Importer) *prefetch {
	return &prefetch{ctx: ctx, im: im, pending: map[string]chan fetched{}}
}

func (p *prefetch) start(f File) {
	if _, ok := p.pending[f.Path()]; ok {
		return
	}
	if p.im.known != nil {
		if _, ok := p.im.known.Checksum(f); ok {
			return
		}
	}
	ch := make(chan fetched, 1)
	p.pending[f.Path()] = ch
	go func() {
		dl, err := p.im.dl.Download(p.ctx, f)
		ch <- fetched{dl, err}
	}()
}

// take returns f's download: the one started ahead, or a new one.
func (p *prefetch) take(f File) (*Download, error) {
	ch, ok := p.pending[f.Path()]
	if !ok {
		return p.im.dl.Download(p.ctx, f)
	}
	delete(p.pending, f.Path())
	r := <-ch
	return r.dl, r.err
}

// discard waits for the downloads not taken and removes their files.
func (p *prefetch) discard() {
	for path, ch := range p.pending {
		if r := <-ch; r.dl != nil {
			r.dl.Remove()
		}
		delete(p.pending, path)
	}
}
