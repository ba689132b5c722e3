package sim

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Backfill fetches the simulated market from an Exchange at baseURL (over
// transport; nil: the network stack, e.g. loopback) into lake with
// carry's real backfiller, REST and archive both at baseURL: see
// backfillConfigs.
func Backfill(ctx context.Context, c Config, lake *lake.Lake, baseURL string, transport http.RoundTripper) ([]backfill.Result, error) {
	client, err := binance.NewClient(baseURL, &http.Client{Timeout: 10 * time.Second, Transport: binance.NewLimiter(transport, binance.DefaultLimits, nil)},
		binance.WithSpotBaseURL(baseURL))
	if err != nil {
		return nil, err
	}
	bf := backfill.New(client, lake, backfill.WithClock(func() time.Time { return c.End }),
		backfill.WithArchive(baseURL, &http.Client{Timeout: 30 * time.Second, Transport: transport}))
	var all []backfill.Result
	for _, cfg := range backfillConfigs(c) {
		results, err := bf.Run(ctx, cfg)
		all = append(all, results...)
		if err != nil {
			return all, fmt.Errorf("backfilling the simulated market: %w", err)
		}
	}
	return all, nil
}

// backfillConfigs are Backfill's runs, each series in one only: the
// KlinePairs' futures, index, mark and spot 1h klines and their funding
// over the Years (--source auto: whole months from the archive, the rest
// from REST); the QuarterlyPairs' continuous quarterly klines (REST: the
// archive has none); the 1h basis of every contract of every pair over
// the basis window, and the funding of the pairs without klines; the
// UniversePairs' klines and funding with the KlinePairs'. Without Years,
// the basis and funding only (and nothing of the UniversePairs).
func backfillConfigs(c Config) []backfill.Config {
	var all, klines, others []string
	for _, p := range c.Pairs {
		all = append(all, p.Symbol)
		if c.Years > 0 && slices.Contains(c.KlinePairs, p.Symbol) {
			klines = append(klines, p.Symbol)
		} else {
			others = append(others, p.Symbol)
		}
	}
	if c.Years > 0 {
		for _, p := range c.UniversePairs {
			klines = append(klines, p.Symbol)
		}
	}
	quarterlies := []data.ContractType{data.CurrentQuarter, data.NextQuarter}
	hourly := []data.Interval{"1h"}
	var out []backfill.Config
	if len(klines) > 0 {
		out = append(out, backfill.Config{Symbols: klines, Klines: true, Funding: true, Intervals: hourly, Source: backfill.SourceAuto,
			Kinds: []data.KlineKind{data.KlineFutures, data.KlineIndex, data.KlineMark, data.KlineSpot}})
	}
	if c.Years > 0 && len(c.QuarterlyPairs) > 0 {
		out = append(out, backfill.Config{Symbols: c.QuarterlyPairs, Klines: true, Intervals: hourly, Source: backfill.SourceAuto,
			Kinds: []data.KlineKind{data.KlineContinuous}, ContractTypes: quarterlies})
	}
	out = append(out, backfill.Config{Symbols: all, Basis: true, Periods: []data.Period{"1h"},
		ContractTypes: append([]data.ContractType{data.Perpetual}, quarterlies...)})
	if len(others) > 0 {
		out = append(out, backfill.Config{Symbols: others, Funding: true})
	}
	for i := range out {
		out[i].Since, out[i].Until, out[i].Concurrency = c.KlinesFrom(), c.End, 4
		if out[i].Basis || !out[i].Klines {
			out[i].Since = c.From()
		}
	}
	return out
}
