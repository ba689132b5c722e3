package backfill

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// These tests run a backfill against a fake exchange whose limits are lower
// than Binance's documented ones (docs/backfill.md, "Rate limits").

// limitedAnswers counts the answers 429 and 418.
func limitedAnswers(srv *binancesim.Server) (tooMany, banned int) {
	for _, r := range srv.Requests() {
		switch r.Status {
		case http.StatusTooManyRequests:
			tooMany++
		case http.StatusTeapot:
			banned++
		}
	}
	return tooMany, banned
}

// TestStatedWeightLimitMeansNo429: a server stating 600 request weight a
// minute in exchangeInfo, against carry's default of 2,400. Read first (as
// `--symbols all` does), it paces the run with no 429 at all; not read,
// the run learns only from 429s.
func TestStatedWeightLimitMeansNo429(t *testing.T) {
	for _, read := range []bool{true, false} {
		name := map[bool]string{true: "exchangeInfo read", false: "not read"}[read]
		t.Run(name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m, syms := dailyBasisMarket(1000)
				srv, lake, c := syncEnv(t, m, binancesim.Options{WeightPerMinute: 600, StrikesBeforeBan: 1000}, binance.DefaultLimits)
				b := New(c, lake)
				if read {
					if _, err := b.AllPerpetuals(context.Background()); err != nil {
						t.Fatal(err)
					}
				}
				now := time.Now()
				cfg := Config{Symbols: syms, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual},
					Since: now.Add(-20 * 24 * time.Hour), Until: now, Concurrency: 8}
				if _, err := b.Run(context.Background(), cfg); err != nil {
					t.Fatal(err)
				}
				tooMany, banned := limitedAnswers(srv)
				elapsed := time.Since(now)
				t.Logf("%s: %d requests, %d answered 429, %d 418, %s", name, len(srv.Requests()), tooMany, banned, elapsed)
				if read && tooMany+banned != 0 {
					t.Errorf("%d 429s and %d 418s against a limit exchangeInfo stated", tooMany, banned)
				}
				if !read && tooMany == 0 {
					t.Errorf("no 429 with the limit unread: the test proves nothing")
				}
				// 1,002 requests at 568 a minute (600 less 32 in flight):
				// one full minute, then the rest, from a minute's start.
				if read && elapsed > 2*time.Minute {
					t.Errorf("took %s, want within the second minute", elapsed)
				}
			})
		})
	}
}

// TestLowerFundingLimitIsLearntOnce: a server allowing 300 funding
// requests per 5 minutes, where 500 are documented and exchangeInfo states
// none. The first 429 (with weight to spare under the stated weight
// limit) teaches the limiter the funding limit from its send log; no
// other request is refused, and the run stays near that limit's bound.
func TestLowerFundingLimitIsLearntOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, syms := fundingMarket(900)
		srv, lake, c := syncEnv(t, m, binancesim.Options{FundingPer5Min: 300}, binance.DefaultLimits)
		b := New(c, lake)
		if _, err := b.AllPerpetuals(context.Background()); err != nil {
			t.Fatal(err)
		}
		now := time.Now()
		cfg := Config{Symbols: syms, Funding: true, Since: now.Add(-30 * 24 * time.Hour), Until: now, Concurrency: 8}
		if _, err := b.Run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		tooMany, banned := limitedAnswers(srv)
		elapsed := time.Since(now)
		t.Logf("%d requests, %d answered 429, %d 418, %s", len(srv.Requests()), tooMany, banned, elapsed)
		if tooMany != 1 || banned != 0 {
			t.Errorf("%d 429s and %d 418s, want the one that teaches the limit", tooMany, banned)
		}
		// 901 funding requests (+1 retried): 300 in the first window,
		// then 284 a window (299 learnt, less 15): 3 more windows.
		if bound := 3 * 5 * time.Minute; elapsed > bound+bound/20 {
			t.Errorf("took %s, want within 1.05× %s", elapsed, bound)
		}
	})
}
