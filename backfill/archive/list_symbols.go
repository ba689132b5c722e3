package archive

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/carry-research/carry/data"
)

// archiveStart is the first month the USDⓈ-M archive can hold: Binance
// USDⓈ-M futures began in September 2019.
func archiveStart() time.Time { return time.Date(2019, 9, 1, 0, 0, 0, 0, time.UTC) }

// listConcurrency bounds the months listings sent at once (one per
// candidate symbol; the bucket has no request weight, but hundreds at once
// would be rude).
const listConcurrency = 8

// monthlyFolder is the folder listing the symbols of a dataset's monthly
// files, e.g. data/futures/um/monthly/klines/.
func monthlyFolder(ds Dataset) string {
	return fmt.Sprintf("%s/monthly/%s/", ds.prefix(), ds.folder())
}

// Symbols lists the symbols (pairs for index klines) with monthly files of
// a dataset: delisted and delivered ones too, as the archive keeps them.
func (l *Lister) Symbols(ctx context.Context, ds Dataset) ([]string, error) {
	if !ds.valid() {
		return nil, fmt.Errorf("listing symbols: unknown dataset %q", ds)
	}
	folder := monthlyFolder(ds)
	ls, err := l.List(ctx, folder)
	if err != nil {
		return nil, fmt.Errorf("listing the symbols of %s: %w", ds, err)
	}
	var out []string
	for _, p := range ls.Prefixes {
		if s := strings.TrimSuffix(strings.TrimPrefix(p, folder), "/"); s != "" && !strings.Contains(s, "/") {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Months lists the months (their first instant, UTC) with a monthly file of
// a series, read from the names of its folder's zips (checksums and
// anything not named like the series' files are ignored).
func (l *Lister) Months(ctx context.Context, ds Dataset, symbol, interval string) ([]time.Time, error) {
	probe := Monthly(ds, symbol, interval, archiveStart())
	if err := probe.Validate(); err != nil {
		return nil, fmt.Errorf("listing months: %w", err)
	}
	folder := probe.Path()[:strings.LastIndex(probe.Path(), "/")+1]
	ls, err := l.List(ctx, folder)
	if err != nil {
		return nil, fmt.Errorf("listing the months of %s %s %s: %w", ds, symbol, interval, err)
	}
	head := strings.TrimSuffix(probe.Name(), probe.Start.Format("2006-01")+".zip")
	var out []time.Time
	for _, k := range ls.Keys {
		rest, ok := strings.CutPrefix(k, folder+head)
		if !ok {
			continue
		}
		if stamp, ok := strings.CutSuffix(rest, ".zip"); ok && len(stamp) == len("2006-01") {
			if t, err := time.Parse("2006-01", stamp); err == nil {
				out = append(out, t)
			}
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return slices.CompactFunc(out, func(a, b time.Time) bool { return a.Equal(b) }), nil
}

// PerpetualsIn lists the USDⓈ-M perpetuals that existed in [since, until]
// by the archive, delisted ones included: the symbols of the monthly
// futures klines folder whose name has no "_" (delivery contracts are
// BTCUSDT_240628) and is a valid symbol, and that have a monthly file of
// interval for a month overlapping the window.
//
// Cost: one listing of the symbols (a page per 1,000), plus one listing
// of each candidate's months (one page: a few hundred keys at most), 8 at
// a time. When the window holds every month the archive can hold (from
// September 2019 to the month of now or later), every symbol with files
// qualifies and no symbol's months are listed.
//
// Months only: a perpetual listed and delisted within months whose monthly
// files are not published yet is not found (one still trading is, through
// exchangeInfo).
func (l *Lister) PerpetualsIn(ctx context.Context, since, until, now time.Time, interval string) ([]string, error) {
	all, err := l.Symbols(ctx, FuturesKlines)
	if err != nil {
		return nil, err
	}
	var cands []string
	for _, s := range all {
		if !strings.Contains(s, "_") && data.ValidateSymbol(s) == nil {
			cands = append(cands, s)
		}
	}
	first, last := monthOf(since), monthOf(until)
	if !first.After(archiveStart()) && !last.Before(monthOf(now)) {
		return cands, nil
	}
	keep := make([]bool, len(cands))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(listConcurrency)
	for i, s := range cands {
		g.Go(func() error {
			months, err := l.Months(gctx, FuturesKlines, s, interval)
			if err != nil {
				return err
			}
			keep[i] = slices.ContainsFunc(months, func(m time.Time) bool { return !m.Before(first) && !m.After(last) })
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return nil, fmt.Errorf("listing the perpetuals of %s to %s: %w", since.Format(time.DateOnly), until.Format(time.DateOnly), err)
	}
	var out []string
	for i, s := range cands {
		if keep[i] {
			out = append(out, s)
		}
	}
	return out, nil
}
