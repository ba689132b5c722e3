package backfill

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// These tests run under testing/synctest: time is fake and advances only
// when every goroutine is blocked, so waits of minutes take no time and
// their lengths can be asserted exactly. The fake exchange is called
// in-process (binancesim.Transport), since the fake clock cannot drive
// sockets.

func syncEnv(t *testing.T, m *binancesim.Market, opts binancesim.Options, limits binance.Limits) (*binancesim.Server, *lake.Lake, *binance.Client) {
	srv, lake, c, _ := syncEnvLimiter(t, m, opts, limits)
	return srv, lake, c
}

func syncEnvLimiter(t *testing.T, m *binancesim.Market, opts binancesim.Options, limits binance.Limits) (*binancesim.Server, *lake.Lake, *binance.Client, *binance.Limiter) {
	srv := binancesim.NewUnstarted(m, opts)
	lake, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	limiter := binance.NewLimiter(srv.Transport(), limits, testLogger(t))
	c, err := binance.NewClient("http://fake.invalid", &http.Client{Transport: limiter})
	if err != nil {
		t.Fatal(err)
	}
	return srv, lake, c, limiter
}

// syncMarket builds a market relative to the bubble's clock.
func syncMarket(days int) *binancesim.Market {
	now := time.Now()
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "5m"}, 5*time.Minute, now.Add(-time.Duration(days)*24*time.Hour), now, 60000, 1, time.Time{})
	m.GenerateFunding("BTCUSDT", 8, now.Add(-time.Duration(days)*24*time.Hour), now, now, 2)
	return m
}

func TestRetryAfterIsHonouredAndRatesSlowDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, lake, c, limiter := syncEnvLimiter(t, syncMarket(3), binancesim.Options{
			Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.TooManyRequests, RetryAfter: 7 * time.Second}, "/futures/data/basis", 1),
		}, binance.DefaultLimits)
		b := New(c, lake)
		now := time.Now()
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"5m"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-3 * 24 * time.Hour), Until: now, Concurrency: 1}
		results, err := b.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		reqs := srv.Requests()
		var limitedAt time.Time
		for i, r := range reqs {
			if r.Status == http.StatusTooManyRequests {
				limitedAt = r.Time
				if next := reqs[i+1].Time; next.Sub(limitedAt) < 7*time.Second {
					t.Errorf("next request %s after the 429, want at least its Retry-After of 7s", next.Sub(limitedAt))
				}
			}
		}
		if limitedAt.IsZero() {
			t.Fatal("no 429 was served")
		}
		if r := results[0]; r.Retries != 1 || r.Err != nil {
			t.Errorf("result %+v, want one retry", r)
		}
		if limiter.Slowdowns() != 1 {
			t.Errorf("limiter slowed down %d times after one 429, want 1", limiter.Slowdowns())
		}
	})
}

func TestBanStopsCallingTheHost(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		srv, lake, c := syncEnv(t, syncMarket(3), binancesim.Options{
			Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.Banned, RetryAfter: time.Hour}, "/futures/data/basis", 2),
		}, binance.DefaultLimits)
		b := New(c, lake)
		now := time.Now()
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Funding: true, Periods: []data.Period{"5m"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-3 * 24 * time.Hour), Until: now, Concurrency: 2}
		_, err := b.Run(context.Background(), cfg)
		var ban *binance.BannedError
		if !errors.As(err, &ban) {
			t.Fatalf("err = %v, want BannedError", err)
		}
		if want := now.Add(time.Hour); ban.Until.Before(want.Add(-time.Minute)) {
			t.Errorf("ban until %s, want about %s", ban.Until, want)
		}
		if elapsed := time.Since(now); elapsed > time.Minute {
			t.Errorf("the run took %s: it waited for the ban instead of stopping", elapsed)
		}
		teapots := 0
		for _, r := range srv.Requests() {
			if r.Status == http.StatusTeapot {
				teapots++
			}
		}
		// With two workers the other one's request may already have passed
		// the limiter when the first 418 arrives: one 418 per worker at
		// most, and none sent after (the run below checks that).
		if teapots < 1 || teapots > cfg.Concurrency {
			t.Errorf("%d requests were answered 418; want one for each of at most %d requests in flight", teapots, cfg.Concurrency)
		}
		// A new run during the ban sends nothing at all.
		before := len(srv.Requests())
		if _, err := b.Run(context.Background(), cfg); !errors.As(err, &ban) {
			t.Errorf("run during the ban: err = %v", err)
		}
		if n := len(srv.Requests()) - before; n != 0 {
			t.Errorf("a run during the ban sent %d requests", n)
		}
	})
}

func TestLimiterKeepsWithinTheFundingWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		// 12 symbols of 8h funding over 4 years: 5 pages each, 60
		// requests against a limit of 20 per 5 minutes.
		m := binancesim.NewMarket()
		now := time.Now()
		var syms []string
		for i := range 12 {
			sym := "S" + itoa(int64(i)) + "USDT"
			syms = append(syms, sym)
			m.AddContract(binancesim.Contract{Symbol: sym})
			m.GenerateFunding(sym, 8, now.Add(-4*365*24*time.Hour), now, now, uint64(i))
		}
		limits := binance.Limits{Weight: 2400, WeightWindow: time.Minute, Funding: 20, FundingWindow: 5 * time.Minute}
		srv, lake, c := syncEnv(t, m, binancesim.Options{FundingPer5Min: 20}, limits)
		b := New(c, lake)
		cfg := Config{Symbols: syms, Funding: true, Since: now.Add(-4 * 365 * 24 * time.Hour), Until: now, Concurrency: 4}
		if _, err := b.Run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		var reqs []binancesim.Request
		for _, r := range srv.Requests() {
			if r.Status != http.StatusOK {
				t.Fatalf("request %d answered %d: the limiter let the client exceed the limit", r.N, r.Status)
			}
			if strings.HasPrefix(r.Path, "/fapi/v1/funding") {
				reqs = append(reqs, r)
			}
		}
		// Bound: (limit − margin) = 19 requests at once, then 19 per
		// window: ceil((61 − 19)/19) = 3 windows.
		allow := 19
		bound := time.Duration((len(reqs)-1)/allow) * 5 * time.Minute
		elapsed := time.Since(now)
		if elapsed < bound || elapsed > bound+bound/20 {
			t.Errorf("%d requests took %s, want within 1.05× the window's bound %s", len(reqs), elapsed, bound)
		}
	})
}

func TestRetryBackoffIsBoundedAndCancellable(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, lake, c := syncEnv(t, syncMarket(1), binancesim.Options{
			Faults: func(int, *http.Request) binancesim.Fault { return binancesim.Fault{Kind: binancesim.ServerError} },
		}, binance.DefaultLimits)
		policy := RetryPolicy{MaxAttempts: 5, BaseDelay: time.Second, MaxDelay: 4 * time.Second, Jitter: func() float64 { return 0.999 }}
		b := New(c, lake, WithRetryPolicy(policy))
		now := time.Now()
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"5m"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-time.Hour), Until: now, Concurrency: 1}
		results, err := b.Run(context.Background(), cfg)
		var se *binance.ServerError
		if !errors.As(err, &se) {
			t.Fatalf("err = %v, want the server error after the last attempt", err)
		}
		if r := results[0]; r.Requests != 5 || r.Retries != 4 {
			t.Errorf("requests %d retries %d, want 5 and 4", r.Requests, r.Retries)
		}
		// Waits ≈ 1 + 2 + 4 + 4 s (capped at MaxDelay), times the jitter.
		if elapsed := time.Since(now); elapsed < 10*time.Second || elapsed > 11*time.Second {
			t.Errorf("retries took %s, want about 11s", elapsed)
		}

		// Cancelling during a backoff returns at once.
		ctx, cancel := context.WithCancel(context.Background())
		go func() { time.Sleep(1500 * time.Millisecond); cancel() }()
		start := time.Now()
		_, err = b.Run(ctx, cfg)
		if !errors.Is(err, context.Canceled) || time.Since(start) > 2*time.Second {
			t.Errorf("cancelled run: err %v after %s", err, time.Since(start))
		}
	})
}

func TestDroppedConnectionIsRetried(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		_, lake, c := syncEnv(t, syncMarket(1), binancesim.Options{
			Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.DropConnection}, "/futures/data/basis", 0),
		}, binance.DefaultLimits)
		b := New(c, lake, WithRetryPolicy(RetryPolicy{BaseDelay: time.Millisecond}))
		now := time.Now()
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"5m"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-time.Hour), Until: now, Concurrency: 1}
		results, err := b.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		if r := results[0]; r.Retries != 1 || r.NewRows == 0 {
			t.Errorf("result %+v, want one retry and rows", r)
		}
	})
}

// TestWeightHeaderHoldsUntilTheNextWindow: with a small weight limit, the
// limiter reads X-MBX-USED-WEIGHT-1m and waits for the next minute instead
// of running into 429s.
func TestWeightHeaderHoldsUntilTheNextWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := binancesim.NewMarket()
		now := time.Now()
		var syms []string
		for i := range 30 {
			sym := "S" + itoa(int64(i)) + "USDT"
			syms = append(syms, sym)
			m.AddContract(binancesim.Contract{Symbol: sym})
			m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1d"}, 24*time.Hour, now.Add(-20*24*time.Hour), now, 100, uint64(i), time.Time{})
		}
		limits := binance.Limits{Weight: 10, WeightWindow: time.Minute, Funding: 500, FundingWindow: 5 * time.Minute, InFlight: 2}
		srv, lake, c := syncEnv(t, m, binancesim.Options{WeightPerMinute: 10}, limits)
		cfg := Config{Symbols: syms, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual}, Since: now.Add(-20 * 24 * time.Hour), Until: now, Concurrency: 2}
		if _, err := New(c, lake).Run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		for _, r := range srv.Requests() {
			if r.Status != http.StatusOK {
				t.Fatalf("request %d answered %d", r.N, r.Status)
			}
		}
		// 30 requests, at most 10 a minute: the last starts in minute 3
		// or later (8 a minute with the in-flight margin: minute 3).
		if elapsed := time.Since(now); elapsed < 2*time.Minute || elapsed > 4*time.Minute {
			t.Errorf("30 requests at 10 a minute took %s", elapsed)
		}
	})
}
