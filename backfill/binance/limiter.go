package binance

import (
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Limits are the exchange's request limits the Limiter keeps to. Binance
// USDⓈ-M: 2,400 request weight per minute per IP, counted per calendar
// minute and reported in X-MBX-USED-WEIGHT-1m; fundingRate and fundingInfo
// share 500 requests per 5 minutes per IP. Binance spot (spot klines)
// has its own pool: 6,000 per minute, in its own X-MBX-USED-WEIGHT-1m.
// The windows are fields so that tests and benchmarks can run the same
// logic faster.
type Limits struct {
	Weight int
	// SpotWeight is the spot pool's limit per WeightWindow; 0 means
	// Weight.
	SpotWeight    int
	WeightWindow  time.Duration
	Funding       int
	FundingWindow time.Duration
	// FundingMargin is kept free of Funding in every window, for requests
	// the exchange counts that carry's log does not hold (another client
	// on the IP, a send that arrived later than another); 0 means a
	// twentieth of Funding, at least 1.
	FundingMargin int
	// InFlight is how many requests may be on their way when a weight
	// header arrives: the limiter holds at Weight − InFlight.
	InFlight int
}

// DefaultLimits are Binance's published limits, with room for 32 requests
// in flight (carry's largest --concurrency) and a margin of 25 funding
// requests per window. The weight limits are replaced by those exchangeInfo
// states when an exchangeInfo answer passes through the limiter
// (UseRateLimits); the funding limit is not among them, so it stays the
// documented one unless a 429 shows the exchange allows fewer.
var DefaultLimits = Limits{Weight: 2400, SpotWeight: 6000, WeightWindow: time.Minute, Funding: 500, FundingWindow: 5 * time.Minute, FundingMargin: 25, InFlight: 32}

// Limiter is an http.RoundTripper decorator that keeps a client within the
// exchange's limits (docs/backfill.md, "Rate limits"):
//
//   - funding: no header reports this limit's use, so a log of carry's own
//     funding sends is kept, and a request goes when fewer than the limit
//     less a margin were sent in the trailing window (a hundredth longer
//     than the exchange's, for latency jitter), else when the oldest that
//     must leave it has;
//   - weight, per pool (the futures API and the spot API of each host,
//     each with its own limit): X-MBX-USED-WEIGHT-1m on every answer; once
//     the window's used weight reaches the limit less the requests that
//     may be in flight, it holds the pool's requests until shortly after
//     the next window begins (by a fiftieth of the window, for clock
//     skew), behind a token bucket of the limit per window that smooths
//     the start;
//   - on 429 it holds every request not yet sent, of every pool, for
//     Retry-After, and lets one request be in flight at a time until a
//     minute passes without a 429. A 429 it can explain does not slow it
//     down further: a funding request refused while its weight pool had
//     room shows the funding limit (learnt from the log, for the rest of
//     the run), and a pool whose limit exchangeInfo stated is exact on its
//     header. Any other 429 halves the rates that are only assumed (down to
//     a floor of 1/20 of the limit); each minute without a 429 undoes one
//     halving;
//   - on 418 it stops calling the host at once: every request until the
//     ban's end fails with BannedError, without touching the network.
//
// A request looks for holds and bans once more after its last wait, right
// before it is sent. Its waits end only when it may be sent, or when its
// context ends: a deadline is never judged too close in advance. Set
// WithSendTimeout rather than http.Client.Timeout, whose clock would count
// the time spent waiting here.
type Limiter struct {
	base        http.RoundTripper
	limits      Limits
	logger      *slog.Logger
	sendTimeout time.Duration
	onBan       func(until time.Time)

	funding *sendWindow

	mu sync.Mutex
	// pools are the weight pools met so far, by host and API.
	pools map[string]*weightPool
	// holdUntil: a 429's Retry-After, for every pool.
	holdUntil   time.Time
	bannedUntil time.Time
	// holdBegan is closed, and replaced, when a hold or a ban begins or
	// grows: requests waiting for their tokens give them back and look
	// again. slotFreed is closed, and replaced, when a send ends.
	holdBegan, slotFreed chan struct{}
	inFlight             int
	// oneAtATimeUntil: after a 429, one request in flight at a time until
	// then.
	oneAtATimeUntil time.Time
	// halvings of the rates in force; the next is undone at recoverAt.
	halvings  int
	recoverAt time.Time
	// backoffs counts the 429s that started a back-off: those answering a
	// request sent after the previous back-off began.
	backoffs int
}

// LimiterOption configures a Limiter.
type LimiterOption func(*Limiter)

// WithSendTimeout bounds each request from the moment the limiter sends it
// until its body is closed. The time spent waiting in the limiter does not
// count, as it would with http.Client.Timeout.
func WithSendTimeout(d time.Duration) LimiterOption {
	return func(l *Limiter) { l.sendTimeout = d }
}

// OnBan calls f, outside the limiter's lock, when a 418 starts a ban or
// makes it longer, with the ban's end: to store it for later processes.
func OnBan(f func(until time.Time)) LimiterOption {
	return func(l *Limiter) { l.onBan = f }
}

// WithBannedUntil starts the limiter inside a ban received earlier, by
// another process: no request reaches the host before until.
func WithBannedUntil(until time.Time) LimiterOption {
	return func(l *Limiter) { l.bannedUntil = until }
}

// NewLimiter wraps base (http.DefaultTransport if nil).
func NewLimiter(base http.RoundTripper, limits Limits, logger *slog.Logger, opts ...LimiterOption) *Limiter {
	if base == nil {
		base = http.DefaultTransport
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	l := &Limiter{
		base:      base,
		limits:    limits,
		logger:    logger,
		pools:     map[string]*weightPool{},
		funding:   newSendWindow(limits.Funding, limits.FundingMargin, limits.FundingWindow),
		holdBegan: make(chan struct{}),
		slotFreed: make(chan struct{}),
	}
	for _, o := range opts {
		o(l)
	}
	return l
}

// RoundTrip waits for the request's turn, sends it, and learns from the
// answer.
func (l *Limiter) RoundTrip(req *http.Request) (*http.Response, error) {
	r := classify(req.URL)
	l.mu.Lock()
	p := l.poolLocked(r)
	l.mu.Unlock()
	t, err := l.admit(req.Context(), p, r.weight, r.funding)
	if err != nil {
		if req.Body != nil {
			req.Body.Close() // as a RoundTripper must, even when it fails
		}
		return nil, err
	}
	resp, err := l.send(req)
	l.done(t, resp)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// Slowdowns reports how many times a 429 made the limiter back off (hold
// every request for its Retry-After), whether or not it halved its rates.
func (l *Limiter) Slowdowns() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.backoffs
}
