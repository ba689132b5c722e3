package backfill

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// These tests check the back-off after a 429 (docs/backfill.md, "Rate
// limits") under testing/synctest, through the fake exchange in-process.

// fundingMarket has n symbols with a month of 8h funding each: one page a
// symbol, so a run is n fundingRate requests behind fundingInfo.
func fundingMarket(n int) (*binancesim.Market, []string) {
	now := time.Now()
	m := binancesim.NewMarket()
	var syms []string
	for i := range n {
		sym := "S" + itoa(int64(i)) + "USDT"
		syms = append(syms, sym)
		m.AddContract(binancesim.Contract{Symbol: sym})
		m.GenerateFunding(sym, 8, now.Add(-30*24*time.Hour), now, now, uint64(i))
	}
	return m, syms
}

// cliClient wires the fake as `carry backfill` wires the exchange: the
// limiter times each send itself, so a wait in its queue never counts
// against the request's timeout.
func cliClient(t *testing.T, srv *binancesim.Server, base http.RoundTripper) (*binance.Client, *binance.Limiter) {
	t.Helper()
	if base == nil {
		base = srv.Transport()
	}
	limiter := binance.NewLimiter(base, binance.DefaultLimits, testLogger(t), binance.WithSendTimeout(30*time.Second))
	c, err := binance.NewClient("http://fake.invalid", &http.Client{Transport: limiter})
	if err != nil {
		t.Fatal(err)
	}
	return c, limiter
}

// sentDuringRetryAfter counts the requests that reached the fake after an
// injected 429 and before its Retry-After ended. A request arriving at the
// 429's very instant was already on its way: fake time stands still while
// the fake answers.
func sentDuringRetryAfter(reqs []binancesim.Request, retryAfter time.Duration) int {
	n := 0
	for _, limited := range reqs {
		if limited.Fault != binancesim.TooManyRequests {
			continue
		}
		for _, r := range reqs {
			if r.Time.After(limited.Time) && r.Time.Before(limited.Time.Add(retryAfter)) {
				n++
			}
		}
	}
	return n
}

// TestQueuedRequestsWaitOutRetryAfter is issue 18: with 80 symbols the
// funding bucket queues requests; a 429 arriving meanwhile must hold the
// queued ones too, and no series may fail for having waited in carry's own
// limiter. The fake bans after two requests sent during a Retry-After; the
// tolerant one never bans, so extra 429s would slow the limiter down
// instead.
func TestQueuedRequestsWaitOutRetryAfter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		strikes int
	}{{"banning fake", 0}, {"tolerant fake", 1000}} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				m, syms := fundingMarket(80)
				const retryAfter = 3 * time.Second
				srv := binancesim.NewUnstarted(m, binancesim.Options{
					// Past the bucket's burst of 50, while requests queue.
					Faults:           binancesim.EveryNth(binancesim.Fault{Kind: binancesim.TooManyRequests, RetryAfter: retryAfter}, 12, 55),
					StrikesBeforeBan: tc.strikes,
				})
				lake, err := lake.Open(t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				c, _ := cliClient(t, srv, nil)
				now := time.Now()
				cfg := Config{Symbols: syms, Funding: true, Since: now.Add(-30 * 24 * time.Hour), Until: now, Concurrency: 4}
				results, runErr := New(c, lake).Run(context.Background(), cfg)

				reqs := srv.Requests()
				injected, penalized := 0, 0
				injectedAt := map[time.Time]bool{}
				for _, r := range reqs {
					if r.Fault == binancesim.TooManyRequests {
						injected++
						injectedAt[r.Time] = true
					}
				}
				for _, r := range reqs {
					// A request that reached the exchange at the very instant
					// of an injected 429 was sent before anyone could know
					// of it (the window limiter sends the queue at once): a
					// real exchange answers it 429 too. Only one sent later
					// is carry's fault.
					if r.Fault == "" && (r.Status == http.StatusTooManyRequests || r.Status == http.StatusTeapot) && !injectedAt[r.Time] {
						penalized++
					}
				}
				if injected == 0 {
					t.Fatal("no 429 was injected")
				}
				if n := sentDuringRetryAfter(reqs, retryAfter); n != 0 {
					t.Errorf("%d requests reached the exchange during a Retry-After (%d 429s injected)", n, injected)
				}
				if penalized != 0 {
					t.Errorf("%d requests were answered 429 or 418 for coming during a Retry-After", penalized)
				}
				failed := 0
				for _, r := range results {
					if r.Err != nil {
						failed++
						if failed <= 3 {
							t.Errorf("%s failed: %v", r.Series, r.Err)
						}
					}
				}
				if failed > 0 || runErr != nil {
					t.Errorf("%d of %d series failed", failed, len(results))
				}
			})
		})
	}
}

// dailyBasisMarket has n symbols with 20 days of 1d perpetual basis: one
// request a symbol.
func dailyBasisMarket(n int) (*binancesim.Market, []string) {
	now := time.Now()
	m := binancesim.NewMarket()
	var syms []string
	for i := range n {
		sym := "S" + itoa(int64(i)) + "USDT"
		syms = append(syms, sym)
		m.AddContract(binancesim.Contract{Symbol: sym})
		m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1d"}, 24*time.Hour, now.Add(-20*24*time.Hour), now, 100, uint64(i), time.Time{})
	}
	return m, syms
}

// sendLog is a transport under the limiter that records when each request
// left and when its answer came back.
type sendLog struct {
	base  http.RoundTripper
	mu    sync.Mutex
	sends []send
}

type send struct {
	start, end time.Time
	status     int
}

func (l *sendLog) RoundTrip(req *http.Request) (*http.Response, error) {
	s := send{start: time.Now()}
	resp, err := l.base.RoundTrip(req)
	s.end = time.Now()
	if err == nil {
		s.status = resp.StatusCode
	}
	l.mu.Lock()
	l.sends = append(l.sends, s)
	l.mu.Unlock()
	return resp, err
}

// maxInFlight is the most requests on their way at once as one left in
// [from, to), that one included.
func (l *sendLog) maxInFlight(from, to time.Time) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	most := 0
	for _, s := range l.sends {
		if s.start.Before(from) || !s.start.Before(to) {
			continue
		}
		n := 0
		for _, u := range l.sends {
			if !u.start.After(s.start) && s.start.Before(u.end) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// TestAfterA429OneRequestAtATime is issue 11: after a 429 no worker sends
// its next request until the Retry-After is over, and then the run goes on
// one request at a time until a minute passes without a 429, when it
// returns to its concurrency. Each answer takes 3 s, so that requests
// overlap; the fake is tolerant, since requests already on their way when
// the 429 is sent cannot be called back.
func TestAfterA429OneRequestAtATime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, syms := dailyBasisMarket(60)
		const retryAfter = 2 * time.Second
		srv := binancesim.NewUnstarted(m, binancesim.Options{
			Latency:          3 * time.Second,
			Faults:           binancesim.Once(binancesim.Fault{Kind: binancesim.TooManyRequests, RetryAfter: retryAfter}, "/futures/data/basis", 12),
			StrikesBeforeBan: 1000,
		})
		lake, err := lake.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		log := &sendLog{base: srv.Transport()}
		c, _ := cliClient(t, srv, log)
		now := time.Now()
		cfg := Config{Symbols: syms, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-20 * 24 * time.Hour), Until: now, Concurrency: 4}
		if _, err := New(c, lake).Run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}

		var first, last time.Time // answers of the first and last 429
		for _, s := range log.sends {
			if s.status == http.StatusTooManyRequests {
				if first.IsZero() {
					first = s.end
				}
				last = s.end
			}
		}
		if first.IsZero() {
			t.Fatal("no 429 was served")
		}
		// A request leaving at the very instant the 429 came back left
		// as it did, not after it: the fake clock stands still, and which
		// goroutine goes first is the scheduler's choice. The real clock
		// would have them microseconds apart, in either order.
		afterFirst := first.Add(time.Nanosecond)
		for _, s := range log.sends {
			if !s.start.Before(afterFirst) && s.start.Before(last.Add(retryAfter)) {
				t.Errorf("a request left %s after the 429, within its Retry-After", s.start.Sub(first))
			}
		}
		if n := log.maxInFlight(now, first); n != cfg.Concurrency {
			t.Errorf("%d requests in flight at most before the 429, want %d", n, cfg.Concurrency)
		}
		if n := log.maxInFlight(afterFirst, last.Add(time.Minute)); n != 1 {
			t.Errorf("%d requests in flight at most in the minute after the 429, want 1", n)
		}
		if n := log.maxInFlight(last.Add(time.Minute), time.Now().Add(time.Second)); n != cfg.Concurrency {
			t.Errorf("%d requests in flight at most after a minute without a 429, want %d again", n, cfg.Concurrency)
		}
	})
}
