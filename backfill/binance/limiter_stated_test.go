package binance

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

func TestStatedRateLimitsSizeTheirPool(t *testing.T) {
	l := NewLimiter(&stubExchange{}, DefaultLimits, nil)
	stated := []RateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 1200}, {"ORDERS", "MINUTE", 1, 50}, {"REQUEST_WEIGHT", "SECOND", 10, 99}}
	l.UseRateLimits(&url.URL{Scheme: "http", Host: "fake.invalid", Path: "/fapi/v1/exchangeInfo"}, stated)
	l.UseRateLimits(&url.URL{Scheme: "http", Host: "fake.invalid", Path: "/api/v3/exchangeInfo"}, []RateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 3000}})
	l.UseRateLimits(&url.URL{Scheme: "http", Host: "other.invalid", Path: "/fapi/v1/exchangeInfo"}, []RateLimit{{"ORDERS", "MINUTE", 1, 50}})
	for pool, want := range map[string]int{"fake.invalid futures": 1200, "fake.invalid spot": 3000, "other.invalid futures": 2400} {
		l.mu.Lock()
		p := l.poolLocked(request{pool: pool, spot: pool == "fake.invalid spot"})
		l.mu.Unlock()
		if p.limit != want || p.bucket.Limit() != rate.Limit(float64(want)/60) {
			t.Errorf("%s: limit %d at %v/s, want %d", pool, p.limit, p.bucket.Limit(), want)
		}
	}
}

// TestA429WithWeightToSpare: a 429 answering a request while the weight
// header shows room halves nothing when the pool's limit was stated, and
// teaches the funding window its limit when the request was funding.
func TestA429WithWeightToSpare(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &headerExchange{refuseAt: 300}
		l := NewLimiter(ex, DefaultLimits, nil)
		l.UseRateLimits(&url.URL{Scheme: "http", Host: "fake.invalid", Path: "/fapi/v1/exchangeInfo"}, []RateLimit{{"REQUEST_WEIGHT", "MINUTE", 1, 2400}})
		weight, _ := rates(l)
		for range 300 {
			get(context.Background(), l, "/fapi/v1/fundingRate")
		}
		if w, f := rates(l); w != weight || f != 284 {
			// learnt 299 (300 sent, one refused), less a 5 % margin (15).
			t.Errorf("after a funding 429: weight rate %v (want %v unchanged), funding allowance %d (want 284)", w, weight, f)
		}
		// The learnt limit holds for the rest of the run: no more 429.
		time.Sleep(10 * time.Minute)
		ex.refuseAt = 0
		fundingRun(t, l, 600, 8)
		if w, f := rates(l); w != weight || f != 284 {
			t.Errorf("later: weight rate %v, funding allowance %d", w, f)
		}
		// A basis request answered 429 with weight to spare: not the
		// funding limit, and the pool's limit is stated: nothing halves.
		ex.refuseAt = len(ex.sent) + 1
		get(context.Background(), l, "/futures/data/basis")
		if w, f := rates(l); w != weight || f != 284 {
			t.Errorf("after a basis 429: weight rate %v, funding allowance %d", w, f)
		}
		if l.Slowdowns() != 2 {
			t.Errorf("%d back-offs, want 2", l.Slowdowns())
		}
	})
}

// headerExchange answers 429 (Retry-After 1) to its refuseAt-th request,
// else 200, always with a used weight of 10.
type headerExchange struct {
	mu       sync.Mutex
	refuseAt int
	sent     []time.Time
}

func (s *headerExchange) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.sent = append(s.sent, time.Now())
	status := http.StatusOK
	if len(s.sent) == s.refuseAt {
		status = http.StatusTooManyRequests
	}
	s.mu.Unlock()
	resp, err := (&stubExchange{answers: []int{status}}).RoundTrip(req)
	resp.Header.Set("X-MBX-USED-WEIGHT-1m", "10")
	return resp, err
}
