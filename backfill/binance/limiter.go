package binance

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limits are the exchange's request limits the Limiter keeps to. Binance
// USDⓈ-M: 2,400 request weight per minute per IP, counted per calendar
// minute and reported in X-MBX-USED-WEIGHT-1m; fundingRate and fundingInfo
// share 500 requests per 5 minutes per IP. The windows are fields so that
// tests and benchmarks can run the same logic faster.
type Limits struct {
	Weight        int
	WeightWindow  time.Duration
	Funding       int
	FundingWindow time.Duration
	// InFlight is how many requests may be on their way when a weight
	// header arrives: the limiter holds at Weight − InFlight.
	InFlight int
}

// DefaultLimits are Binance's published limits, with room for 32 requests
// in flight (carry's largest --concurrency).
var DefaultLimits = Limits{Weight: 2400, WeightWindow: time.Minute, Funding: 500, FundingWindow: 5 * time.Minute, InFlight: 32}

// holdAt is the used weight at which requests wait for the next window.
func (l Limits) holdAt() int {
	return l.Weight - min(max(l.InFlight, 1), l.Weight/2)
}

// bucket of an endpoint: its request weight and whether the funding limit
// applies. The basis endpoint is documented as weight 0 but clients have
// been rate-limited on it, so it is budgeted as 1.
func bucket(path string) (weight int, funding bool) {
	switch {
	case strings.HasSuffix(path, "/fapi/v1/fundingRate"), strings.HasSuffix(path, "/fapi/v1/fundingInfo"):
		return 1, true
	default:
		return 1, false
	}
}

// Limiter is an http.RoundTripper decorator that keeps a client within the
// exchange's limits:
//
//   - funding: a token bucket sized so that no window of the exchange's
//     length ever holds more than the limit, however the window is aligned
//     (burst + rate·window ≤ limit: the burst is a tenth of the limit, the
//     rate the other nine tenths spread over the window), since no header
//     reports this bucket's use;
//   - weight: X-MBX-USED-WEIGHT-1m on every answer; once the window's used
//     weight reaches the limit less the requests that may be in flight, it
//     holds all requests until shortly after the next window begins (by a
//     fiftieth of the window, for clock skew), behind a token bucket of
//     the limit per window that smooths the start;
//   - on 429 it holds every request for Retry-After, then halves its rates
//     (down to a floor of 1/20 of the limit);
//   - on 418 it stops calling the host at once: every request until the
//     ban's end fails with BannedError, without touching the network.
type Limiter struct {
	base    http.RoundTripper
	limits  Limits
	logger  *slog.Logger
	weight  *rate.Limiter
	funding *rate.Limiter

	mu          sync.Mutex
	holdUntil   time.Time
	bannedUntil time.Time
	slowdowns   int
}

// NewLimiter wraps base (http.DefaultTransport if nil).
func NewLimiter(base http.RoundTripper, limits Limits, logger *slog.Logger) *Limiter {
	if base == nil {
		base = http.DefaultTransport
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &Limiter{
		base:    base,
		limits:  limits,
		logger:  logger,
		weight:  rate.NewLimiter(rate.Limit(float64(limits.Weight)/limits.WeightWindow.Seconds()), max(1, limits.holdAt())),
		funding: newSafeBucket(limits.Funding, limits.FundingWindow),
	}
}

// newSafeBucket never lets a window of the given length, wherever it
// starts, hold more than limit requests.
func newSafeBucket(limit int, window time.Duration) *rate.Limiter {
	burst := max(1, limit/10)
	return rate.NewLimiter(rate.Limit(float64(limit-burst)/window.Seconds()), burst)
}

// RoundTrip waits for the request's buckets, sends it, and learns from the
// answer.
func (l *Limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := l.waitHold(ctx); err != nil {
		return nil, err
	}
	w, isFunding := bucket(req.URL.Path)
	if err := l.weight.WaitN(ctx, w); err != nil {
		return nil, ctxOr(ctx, err)
	}
	if isFunding {
		if err := l.funding.Wait(ctx); err != nil {
			return nil, ctxOr(ctx, err)
		}
	}
	// A ban may have begun while this request waited.
	if err := l.banned(); err != nil {
		return nil, err
	}
	resp, err := l.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	l.learn(resp)
	return resp, nil
}

// ctxOr prefers the context's error: rate.Limiter reports a wait that would
// outlast the deadline with an error of its own.
func ctxOr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

func (l *Limiter) banned() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if time.Now().Before(l.bannedUntil) {
		return &BannedError{Until: l.bannedUntil}
	}
	return nil
}

func (l *Limiter) waitHold(ctx context.Context) error {
	for {
		if err := l.banned(); err != nil {
			return err
		}
		l.mu.Lock()
		wait := time.Until(l.holdUntil)
		l.mu.Unlock()
		if wait <= 0 {
			return nil
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
}

func (l *Limiter) learn(resp *http.Response) {
	now := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	switch resp.StatusCode {
	case http.StatusTeapot:
		until := now.Add(retryAfter(resp, 2*time.Minute))
		if until.After(l.bannedUntil) {
			l.bannedUntil = until
		}
		l.logger.Error("Binance banned this IP (HTTP 418); no more requests until the ban ends", "until", l.bannedUntil.UTC().Format(time.RFC3339))
		return
	case http.StatusTooManyRequests:
		d := retryAfter(resp, time.Second)
		l.hold(now.Add(d))
		l.slowDown()
		l.logger.Warn("rate limited (HTTP 429): holding requests and slowing down", "retry_after", d, "slowdowns", l.slowdowns)
		return
	}
	if used, err := strconv.Atoi(resp.Header.Get("X-MBX-USED-WEIGHT-1m")); err == nil && l.limits.Weight > 0 {
		if used >= l.limits.holdAt() {
			// Resume a fiftieth of a window after our clock's boundary: the
			// exchange's clock may run a little behind ours.
			next := now.Truncate(l.limits.WeightWindow).Add(l.limits.WeightWindow + l.limits.WeightWindow/50)
			l.hold(next)
			l.logger.Debug("request weight near the limit: holding until the next window", "used_weight", used, "limit", l.limits.Weight, "until", next)
		}
	}
}

func (l *Limiter) hold(until time.Time) {
	if until.After(l.holdUntil) {
		l.holdUntil = until
	}
}

func (l *Limiter) slowDown() {
	l.slowdowns++
	for _, b := range []struct {
		lim   *rate.Limiter
		limit int
		win   time.Duration
	}{{l.weight, l.limits.Weight, l.limits.WeightWindow}, {l.funding, l.limits.Funding, l.limits.FundingWindow}} {
		floor := rate.Limit(float64(b.limit) / 20 / b.win.Seconds())
		b.lim.SetLimit(max(b.lim.Limit()/2, floor))
	}
}

// Slowdowns reports how many times a 429 made the limiter halve its rates.
func (l *Limiter) Slowdowns() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.slowdowns
}
