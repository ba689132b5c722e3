package binance

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/carry-research/carry/data"
)

// weightPool is one request-weight limit: the futures API's or the spot
// API's, per host. Each has its own limit, its own X-MBX-USED-WEIGHT-1m,
// and so its own holds: a spot page near its limit must not hold futures
// requests, nor a futures header count against spot.
type weightPool struct {
	limit  int
	bucket *rate.Limiter
	rate   rate.Limit // before any 429 slowed it
	// stated: the limit is the one exchangeInfo stated, not assumed; a
	// 429 does not halve the pool's rate then (see learnLocked).
	stated bool
	// holdUntil: the pool's used weight reached its limit; its requests
	// wait for the next window.
	holdUntil time.Time
}

// holdAt is the used weight at which a pool's requests wait for the next
// window: the limit less the requests that may be in flight.
func (p *weightPool) holdAt(inFlight int) int {
	return p.limit - min(max(inFlight, 1), p.limit/2)
}

// request is what the limiter needs to know of a request: its weight, the
// pool it counts against, and whether the funding limit applies.
type request struct {
	weight  int
	pool    string
	spot    bool
	funding bool
}

// classify weighs a request. The basis endpoint is documented as weight 0
// but clients have been rate-limited on it, so it is budgeted as 1. Kline
// endpoints weigh by their limit (KlineWeight); spot paths (/api/…) count
// against the spot pool of their host.
func classify(u *url.URL) request {
	r := request{weight: 1, pool: u.Host + " futures"}
	path := u.Path
	switch {
	case strings.HasSuffix(path, "/fapi/v1/fundingRate"), strings.HasSuffix(path, "/fapi/v1/fundingInfo"):
		r.funding = true
	}
	if strings.HasPrefix(path, "/api/") {
		r.spot, r.pool = true, u.Host+" spot"
	}
	for _, kind := range data.KlineKinds() {
		if path == KlineEndpoint(kind) {
			limit, err := strconv.Atoi(u.Query().Get("limit"))
			if err != nil || limit < 1 {
				limit = DefaultKlineLimit
			}
			r.weight = KlineWeight(kind, limit)
		}
	}
	return r
}

// poolLocked returns the pool of a request, made on first use at the
// rates in force.
func (l *Limiter) poolLocked(r request) *weightPool {
	if p, ok := l.pools[r.pool]; ok {
		return p
	}
	limit := l.limits.Weight
	if r.spot && l.limits.SpotWeight > 0 {
		limit = l.limits.SpotWeight
	}
	p := &weightPool{}
	p.setLimit(limit, l.limits)
	l.pools[r.pool] = p
	if l.halvings > 0 {
		l.setRatesLocked(time.Now())
	}
	return p
}

// setLimit sizes the pool's bucket for limit per window.
func (p *weightPool) setLimit(limit int, limits Limits) {
	p.limit = limit
	p.rate = rate.Limit(float64(limit) / limits.WeightWindow.Seconds())
	burst := max(1, p.holdAt(limits.InFlight))
	if p.bucket == nil {
		p.bucket = rate.NewLimiter(p.rate, burst)
		return
	}
	now := time.Now()
	p.bucket.SetLimitAt(now, p.rate)
	p.bucket.SetBurstAt(now, burst)
}
