// Package backfill pages Binance basis and funding histories into the lake:
// minimal requests, within rate limits, resumable, surviving faults. See
// docs/backfill.md.
package backfill

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
)

// Source is what the backfiller needs from an exchange. *binance.Client
// implements it; decorators add metering and retries.
type Source interface {
	Basis(context.Context, binance.BasisQuery) ([]binance.BasisPoint, error)
	Klines(context.Context, binance.KlineQuery) ([]data.KlineRow, error)
	FundingRates(context.Context, binance.FundingQuery) ([]binance.FundingEvent, error)
	FundingInfo(context.Context) ([]binance.FundingInfo, error)
	ExchangeInfo(context.Context) ([]binance.Contract, error)
	ServerTime(context.Context) (time.Time, error)
}

// counters are a series' request and retry counts, carried in the context
// so decorators can attribute calls to the series making them.
type counters struct {
	requests atomic.Int64
	retries  atomic.Int64
	// The public archive's: requests (.CHECKSUMs and zips), zip
	// downloads, bytes received (archiveMeter).
	archiveRequests, downloads, archiveBytes atomic.Int64
}

type countersKey struct{}

func withCounters(ctx context.Context, c *counters) context.Context {
	return context.WithValue(ctx, countersKey{}, c)
}

func countersOf(ctx context.Context) *counters {
	if c, ok := ctx.Value(countersKey{}).(*counters); ok {
		return c
	}
	return &counters{}
}

// metered counts every call that reaches the wrapped source.
type metered struct{ src Source }

func (m metered) Basis(ctx context.Context, q binance.BasisQuery) ([]binance.BasisPoint, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.Basis(ctx, q)
}

func (m metered) Klines(ctx context.Context, q binance.KlineQuery) ([]data.KlineRow, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.Klines(ctx, q)
}

func (m metered) FundingRates(ctx context.Context, q binance.FundingQuery) ([]binance.FundingEvent, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.FundingRates(ctx, q)
}

func (m metered) FundingInfo(ctx context.Context) ([]binance.FundingInfo, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.FundingInfo(ctx)
}

func (m metered) ExchangeInfo(ctx context.Context) ([]binance.Contract, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.ExchangeInfo(ctx)
}

func (m metered) ServerTime(ctx context.Context) (time.Time, error) {
	countersOf(ctx).requests.Add(1)
	return m.src.ServerTime(ctx)
}

// RetryPolicy is bounded exponential backoff with full jitter: attempt k
// (from 0) waits a uniform random time in [0, min(MaxDelay, BaseDelay·2^k)),
// and at least what a 429's Retry-After asks.
type RetryPolicy struct {
	MaxAttempts int           // default 8
	BaseDelay   time.Duration // default 500ms
	MaxDelay    time.Duration // default 30s
	// Jitter returns a number in [0, 1); default math/rand/v2.
	Jitter func() float64
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 8
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = 30 * time.Second
	}
	if p.Jitter == nil {
		p.Jitter = rand.Float64
	}
	return p
}

func (p RetryPolicy) delay(attempt int, err error) time.Duration {
	ceiling := float64(p.BaseDelay) * math.Pow(2, float64(attempt))
	d := time.Duration(p.Jitter() * math.Min(float64(p.MaxDelay), ceiling))
	var rl *binance.RateLimitedError
	if errors.As(err, &rl) && rl.RetryAfter > d {
		d = rl.RetryAfter
	}
	return d
}

// retrying retries transient failures (binance.Transient) of the wrapped
// source.
type retrying struct {
	src    Source
	policy RetryPolicy
	logger *slog.Logger
}

func retry[T any](ctx context.Context, r retrying, op string, call func() (T, error)) (T, error) {
	return retryWhile(ctx, r.policy, r.logger, op, binance.Transient, call)
}

// retryWhile calls call until it succeeds or fails with an error again
// does not accept, at most policy.MaxAttempts times, waiting as the policy
// says between attempts and logging each retry.
func retryWhile[T any](ctx context.Context, policy RetryPolicy, logger *slog.Logger, op string, again func(error) bool, call func() (T, error)) (T, error) {
	for attempt := 0; ; attempt++ {
		v, err := call()
		if err == nil || !again(err) || attempt+1 >= policy.MaxAttempts {
			return v, err
		}
		d := policy.delay(attempt, err)
		countersOf(ctx).retries.Add(1)
		// Visible at once: a run without network must not sit silent
		// through its backoff.
		logger.Warn("request failed; retrying", "op", op, "attempt", attempt+1, "of", policy.MaxAttempts, "wait", d.Round(time.Millisecond), "err", err)
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			var zero T
			return zero, ctx.Err()
		case <-t.C:
		}
	}
}

func (r retrying) Basis(ctx context.Context, q binance.BasisQuery) ([]binance.BasisPoint, error) {
	return retry(ctx, r, "basis", func() ([]binance.BasisPoint, error) { return r.src.Basis(ctx, q) })
}

func (r retrying) Klines(ctx context.Context, q binance.KlineQuery) ([]data.KlineRow, error) {
	return retry(ctx, r, "klines", func() ([]data.KlineRow, error) { return r.src.Klines(ctx, q) })
}

func (r retrying) FundingRates(ctx context.Context, q binance.FundingQuery) ([]binance.FundingEvent, error) {
	return retry(ctx, r, "fundingRate", func() ([]binance.FundingEvent, error) { return r.src.FundingRates(ctx, q) })
}

func (r retrying) FundingInfo(ctx context.Context) ([]binance.FundingInfo, error) {
	return retry(ctx, r, "fundingInfo", func() ([]binance.FundingInfo, error) { return r.src.FundingInfo(ctx) })
}

func (r retrying) ExchangeInfo(ctx context.Context) ([]binance.Contract, error) {
	return retry(ctx, r, "exchangeInfo", func() ([]binance.Contract, error) { return r.src.ExchangeInfo(ctx) })
}

// ServerTime is here for the interface: the run reads the clock through the
// unretried source (Backfiller.measureClock).
func (r retrying) ServerTime(ctx context.Context) (time.Time, error) {
	return retry(ctx, r, "time", func() (time.Time, error) { return r.src.ServerTime(ctx) })
}
