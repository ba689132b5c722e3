package backfill

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// maxLoggedDisagreements bounds the log lines of one file's interval
// disagreements; the result counts them all.
const maxLoggedDisagreements = 5

// fromArchive reads the archive's funding files for the months the spans
// touch (those published): each event's funding interval, as the exchange
// states it, is compared with the lake's history (from REST, intervals
// inferred) and the disagreements are logged and counted; events the lake
// lacks are added (no mark price, Regular: the archive has neither); each
// file's checksum is kept. Events the lake has from REST are never
// replaced: REST rows carry mark prices and rate types. With cover (the
// archive is the only source) each file's part of a span is marked
// covered; otherwise REST has covered it already.
func (p *fundingPager) fromArchive(ctx context.Context, spans []data.Span, cover bool) error {
	stored, err := p.b.lake.ReadFunding(p.symbol)
	if err != nil && !errors.Is(err, lake.ErrNoSeries) {
		return err
	}
	have := make(map[int64]bool, len(stored.Rows))
	for _, r := range stored.Rows {
		have[r.Instant().UnixMilli()] = true
	}
	history := stored.Rows
	im := archive.NewImporter(p.b.archive, keptChecksums(stored.State.Checksums), func() time.Time { return p.now }, p.b.logger)
	for _, sp := range spans {
		pl, err := archive.PlanSpan(archive.Series{Dataset: archive.FundingRate, Symbol: p.symbol}, sp, p.now)
		if err != nil {
			return err
		}
		// The span's files are written at once (a few events a day: a
		// span's are few), with their checksums and coverage.
		var pending []data.FundingRow
		opts := []lake.MergeOption{lake.WithIntervalHours(p.interval)}
		store := func(f archive.File, sum string, rows []data.FundingRow) error {
			var in, add []data.FundingRow
			for _, r := range rows {
				if r.FundingTime.Before(sp.From) || r.FundingTime.After(sp.To) {
					continue
				}
				in = append(in, r)
				if !have[r.Instant().UnixMilli()] {
					add = append(add, r)
				}
			}
			if d := archive.CompareIntervals(in, history, p.interval); len(d) > 0 {
				p.res.Archive.IntervalDisagreements += len(d)
				for i, x := range d[:min(len(d), maxLoggedDisagreements)] {
					p.b.logger.Warn("the archive states another funding interval than the REST history", "symbol", p.symbol, "file", f.Path(), "event", x.Instant, "archive_hours", x.Archive, "rest_hours", x.REST, "of", len(d), "n", i+1)
				}
			}
			opts = append(opts, lake.WithChecksum(f.Name(), sum))
			if cover {
				opts = append(opts, lake.WithCovered(f.Span().Intersect(sp)))
			}
			for _, r := range add {
				have[r.Instant().UnixMilli()] = true
				history = append(history, r)
			}
			pending = append(pending, add...)
			return nil
		}
		r, err := im.ImportFunding(ctx, archive.Plan{Files: pl.Files}, store)
		if len(r.Imported) > 0 {
			mr, werr := p.b.lake.MergeFunding(p.symbol, pending, opts...)
			if werr != nil {
				return fmt.Errorf("storing funding %s imported from the archive: %w", p.symbol, werr)
			}
			p.res.NewRows += mr.Added
			p.res.Updated += mr.Updated
			p.res.Rows, p.res.Missing = mr.Rows, mr.Missing
			for range r.Imported {
				p.tracker.Request(0)
			}
		}
		p.res.Archive.Imported += len(r.Imported)
		p.res.Archive.Unchanged += len(r.Unchanged)
		p.res.Archive.Missing += len(r.Missing)
		p.res.Archive.Failed = append(p.res.Archive.Failed, r.Failed...)
		if err != nil {
			return fmt.Errorf("importing funding %s from the archive: %w", p.symbol, err)
		}
		if cover {
			for _, left := range append(pl.REST, r.REST...) {
				p.res.Archive.LeftToREST = p.res.Archive.LeftToREST.Add(left.Intersect(sp))
			}
		}
	}
	return nil
}
