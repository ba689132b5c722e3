package binance

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"golang.org/x/time/rate"
)

// These tests run the Limiter under testing/synctest over a stub exchange,
// so that waits of minutes take no time and their lengths are exact.

// stubExchange answers the statuses queued in answers, in order, then 200;
// a 429 or 418 carries Retry-After: 1. block, when set, holds every answer
// until it is closed.
type stubExchange struct {
	mu      sync.Mutex
	answers []int
	sent    []time.Time
	block   chan struct{}
}

func (s *stubExchange) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	status := http.StatusOK
	if len(s.answers) > 0 {
		status, s.answers = s.answers[0], s.answers[1:]
	}
	s.sent = append(s.sent, time.Now())
	block := s.block
	s.mu.Unlock()
	if block != nil {
		select {
		case <-block:
		case <-req.Context().Done():
			return nil, req.Context().Err()
		}
	}
	h := http.Header{}
	if status == http.StatusTooManyRequests || status == http.StatusTeapot {
		h.Set("Retry-After", "1")
	}
	return &http.Response{StatusCode: status, Header: h, Body: io.NopCloser(strings.NewReader("[]")), Request: req}, nil
}

func (s *stubExchange) sends() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sent)
}

// get sends one request through l, closing the answer's body.
func get(ctx context.Context, l *Limiter, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://fake.invalid"+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := l.RoundTrip(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// rates returns the futures pool's rate and the funding window's
// allowance.
func rates(l *Limiter) (weight rate.Limit, funding int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.poolLocked(request{pool: "fake.invalid futures"}).bucket.Limit(), l.funding.allow
}

func TestLimiterRestoresItsRatesStepByStep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{answers: []int{http.StatusTooManyRequests, http.StatusTooManyRequests}}
		l := NewLimiter(ex, DefaultLimits, nil)
		weight, funding := rates(l)
		ctx := context.Background()
		check := func(when string, divisor float64) {
			t.Helper()
			w, f := rates(l)
			if float64(w) != float64(weight)/divisor || f != funding/int(divisor) {
				t.Errorf("%s: rates %v and %v, want %v and %v", when, w, f, float64(weight)/divisor, funding/int(divisor))
			}
		}
		get(ctx, l, "/fapi/v1/fundingRate") // 429
		check("after a 429", 2)
		get(ctx, l, "/fapi/v1/fundingRate") // 429, sent after the first one's Retry-After
		check("after a second 429", 4)
		if l.Slowdowns() != 2 {
			t.Errorf("%d slowdowns, want 2", l.Slowdowns())
		}
		time.Sleep(calm)
		get(ctx, l, "/fapi/v1/fundingRate")
		check("after a minute without a 429", 2)
		time.Sleep(calm / 2)
		get(ctx, l, "/fapi/v1/fundingRate")
		check("half a minute later", 2)
		time.Sleep(calm / 2)
		get(ctx, l, "/fapi/v1/fundingRate")
		check("after two minutes without a 429", 1)
		time.Sleep(10 * calm)
		get(ctx, l, "/fapi/v1/fundingRate")
		check("long after", 1)
	})
}

func TestLimiterRatesStopAtTheirFloor(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{answers: []int{429, 429, 429, 429, 429, 429, 429, 429}}
		l := NewLimiter(ex, DefaultLimits, nil)
		for range 8 {
			get(context.Background(), l, "/futures/data/basis")
		}
		w, f := rates(l)
		if want := rate.Limit(2400.0 / 20 / 60); w != want {
			t.Errorf("weight rate %v after 8 429s, want the floor %v", w, want)
		}
		if want := 500 / 20; f != want {
			t.Errorf("funding allowance %v after 8 429s, want the floor %v", f, want)
		}
		// Five calm minutes undo the five halvings that reached the floor.
		time.Sleep(5 * calm)
		get(context.Background(), l, "/futures/data/basis")
		if w, _ := rates(l); w != 40 {
			t.Errorf("weight rate %v five calm minutes later, want 40 again", w)
		}
	})
}

// TestRequestsOnTheirWayBelongToTheSameBackoff: 429s answering requests
// sent before the first 429 came back are one back-off, not several.
func TestRequestsOnTheirWayBelongToTheSameBackoff(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{answers: []int{429, 429, 429}, block: make(chan struct{})}
		l := NewLimiter(ex, DefaultLimits, nil)
		var wg sync.WaitGroup
		for range 3 {
			wg.Go(func() { get(context.Background(), l, "/futures/data/basis") })
		}
		synctest.Wait() // all three sent
		close(ex.block)
		wg.Wait()
		if l.Slowdowns() != 1 {
			t.Errorf("%d slowdowns for one burst of 429s, want 1", l.Slowdowns())
		}
	})
}

// TestWaitEndsOnlyWithTheContext: a request that must wait longer than its
// context's deadline waits until the deadline, and says so; it is never
// failed in advance (rate.Limiter.Wait's "would exceed context deadline").
func TestWaitEndsOnlyWithTheContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{}
		// 2 a window (3 less a margin of 1), then one when the first
		// leaves the window: 5 minutes and 3 s of slack later.
		l := NewLimiter(ex, Limits{Weight: 2400, WeightWindow: time.Minute, Funding: 3, FundingMargin: 1, FundingWindow: 5 * time.Minute}, nil)
		for range 2 {
			get(context.Background(), l, "/fapi/v1/fundingRate")
		}
		start := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_, err := get(ctx, l, "/fapi/v1/fundingRate")
		if !errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "rate:") {
			t.Errorf("err = %v, want the context's deadline", err)
		}
		if waited := time.Since(start); waited != time.Second {
			t.Errorf("gave up after %s, want at the deadline, 1s", waited)
		}
		// Without a deadline it waits for its token, however long.
		if status, err := get(context.Background(), l, "/fapi/v1/fundingRate"); err != nil || status != http.StatusOK {
			t.Errorf("status %d, err %v", status, err)
		}
		if ex.sends() != 3 {
			t.Errorf("%d requests sent, want 3", ex.sends())
		}
	})
}

// TestSendTimeoutStartsAtTheSend: the wait for a turn does not count
// against the send timeout; an answer slower than it fails.
func TestSendTimeoutStartsAtTheSend(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{}
		l := NewLimiter(ex, Limits{Weight: 2400, WeightWindow: time.Minute, Funding: 3, FundingMargin: 1, FundingWindow: 5 * time.Minute}, nil, WithSendTimeout(time.Second))
		for range 3 { // the third waits 5 minutes for its place
			if _, err := get(context.Background(), l, "/fapi/v1/fundingRate"); err != nil {
				t.Fatalf("a request that waited for its turn failed: %v", err)
			}
		}
		ex.block = make(chan struct{}) // never answers
		start := time.Now()
		_, err := get(context.Background(), l, "/futures/data/basis")
		if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) != time.Second {
			t.Errorf("an unanswered request ended after %s with %v, want the send timeout", time.Since(start), err)
		}
	})
}

func TestBanIsReportedAndHonoured(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{answers: []int{http.StatusTeapot}}
		var bans []time.Time
		l := NewLimiter(ex, DefaultLimits, nil, OnBan(func(until time.Time) { bans = append(bans, until) }))
		start := time.Now()
		get(context.Background(), l, "/futures/data/basis")
		_, err := get(context.Background(), l, "/futures/data/basis")
		var ban *BannedError
		if !errors.As(err, &ban) || !ban.Until.Equal(start.Add(time.Second)) {
			t.Errorf("err = %v, want a ban until %s", err, start.Add(time.Second))
		}
		if len(bans) != 1 || !bans[0].Equal(start.Add(time.Second)) {
			t.Errorf("OnBan got %v, want one ban until %s", bans, start.Add(time.Second))
		}
		if ex.sends() != 1 {
			t.Errorf("%d requests sent, want only the one answered 418", ex.sends())
		}
	})
}

func TestInitialBanSendsNothingUntilItEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &stubExchange{}
		until := time.Now().Add(time.Hour)
		l := NewLimiter(ex, DefaultLimits, nil, WithBannedUntil(until))
		var ban *BannedError
		if _, err := get(context.Background(), l, "/fapi/v1/fundingInfo"); !errors.As(err, &ban) || !ban.Until.Equal(until) {
			t.Errorf("err = %v, want the ban until %s", err, until)
		}
		if ex.sends() != 0 {
			t.Errorf("%d requests sent during the ban", ex.sends())
		}
		time.Sleep(time.Hour)
		if _, err := get(context.Background(), l, "/fapi/v1/fundingInfo"); err != nil {
			t.Errorf("after the ban: %v", err)
		}
	})
}
