package binance

import (
	"net/url"
	"time"
)

// RateLimit is an entry of exchangeInfo's rateLimits, e.g.
// {"rateLimitType":"REQUEST_WEIGHT","interval":"MINUTE","intervalNum":1,"limit":2400}.
type RateLimit struct {
	Type        string `json:"rateLimitType"`
	Interval    string `json:"interval"`
	IntervalNum int    `json:"intervalNum"`
	Limit       int    `json:"limit"`
}

// RateLimitUser is a transport that sizes itself from the rateLimits an
// exchangeInfo answer states (the Limiter): the Client hands them over
// when its transport is one, so that no extra request is needed.
type RateLimitUser interface {
	UseRateLimits(from *url.URL, limits []RateLimit)
}

// UseRateLimits sizes the weight pool of the API that answered exchangeInfo
// at from (the futures API's, or spot's for /api/… paths) from its
// REQUEST_WEIGHT limit per 1 MINUTE: the window X-MBX-USED-WEIGHT-1m
// reports, and the only one the pool keeps to (the Limits' WeightWindow,
// which tests shorten, keeps its length). Orders limits do not apply to
// market data; the funding limit is not among rateLimits on Binance and
// keeps its documented value. An answer without the entry changes nothing.
func (l *Limiter) UseRateLimits(from *url.URL, limits []RateLimit) {
	limit := 0
	for _, rl := range limits {
		if rl.Type == "REQUEST_WEIGHT" && rl.Interval == "MINUTE" && rl.IntervalNum == 1 && rl.Limit > 0 {
			limit = rl.Limit
		}
	}
	if limit == 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	p := l.poolLocked(classify(from))
	if p.stated && p.limit == limit {
		return
	}
	was := p.limit
	p.setLimit(limit, l.limits)
	p.stated = true
	l.setRatesLocked(time.Now())
	l.logger.Info("request weight limit read from exchangeInfo", "pool", classify(from).pool, "limit", limit, "assumed", was)
}
