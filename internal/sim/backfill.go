package sim

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Backfill fetches the simulated market from a fake exchange at baseURL
// (over transport; nil: the network stack, e.g. loopback) into lake with
// carry's real backfiller: 1h basis of every contract and all funding.
func Backfill(ctx context.Context, c Config, lake *lake.Lake, baseURL string, transport http.RoundTripper) ([]backfill.Result, error) {
	client, err := binance.NewClient(baseURL, &http.Client{Timeout: 10 * time.Second, Transport: binance.NewLimiter(transport, binance.DefaultLimits, nil)})
	if err != nil {
		return nil, err
	}
	var symbols []string
	for _, p := range c.Pairs {
		symbols = append(symbols, p.Symbol)
	}
	bf := backfill.New(client, lake, backfill.WithClock(func() time.Time { return c.End }))
	results, err := bf.Run(ctx, backfill.Config{
		Symbols: symbols, Basis: true, Funding: true, Periods: []data.Period{"1h"},
		ContractTypes: []data.ContractType{data.Perpetual, data.CurrentQuarter, data.NextQuarter},
		Since:         c.From(), Until: c.End, Concurrency: 4,
	})
	if err != nil {
		return results, fmt.Errorf("backfilling the simulated market: %w", err)
	}
	return results, nil
}
