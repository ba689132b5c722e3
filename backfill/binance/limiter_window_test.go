package binance

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// latent answers 200 after a fixed latency and logs each send's time.
type latent struct {
	mu      sync.Mutex
	latency time.Duration
	sent    []time.Time
}

func (s *latent) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.sent = append(s.sent, time.Now())
	s.mu.Unlock()
	time.Sleep(s.latency)
	return (&stubExchange{}).RoundTrip(req)
}

// fundingRun sends n funding requests through l from workers goroutines
// and returns how long they took.
func fundingRun(t *testing.T, l *Limiter, n, workers int) time.Duration {
	t.Helper()
	start := time.Now()
	jobs := make(chan struct{}, n)
	for range n {
		jobs <- struct{}{}
	}
	close(jobs)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range jobs {
				if status, err := get(context.Background(), l, "/fapi/v1/fundingRate"); err != nil || status != http.StatusOK {
					t.Errorf("status %d, err %v", status, err)
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// maxInAnyWindow is the most sends any trailing window of length w holds
// (ending at a send: a count only grows at one).
func maxInAnyWindow(sent []time.Time, w time.Duration) int {
	most := 0
	for i, end := range sent {
		n := 0
		for _, s := range sent[:i+1] {
			if s.After(end.Add(-w)) {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

// windowBound is what no client keeping allow sends per window can beat:
// allow at once, then ceil((n − allow)/allow) more windows.
func windowBound(n, allow int, w time.Duration) time.Duration {
	return time.Duration(math.Ceil(float64(n-allow)/float64(allow))) * w
}

func TestFundingWindowNeverHoldsMoreThanItsAllowance(t *testing.T) {
	for _, n := range []int{200, 600, 1500} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				ex := &latent{latency: 10 * time.Millisecond}
				l := NewLimiter(ex, DefaultLimits, nil)
				took := fundingRun(t, l, n, 8)
				allow := DefaultLimits.Funding - DefaultLimits.FundingMargin // 475
				if most := maxInAnyWindow(ex.sent, DefaultLimits.FundingWindow); most > allow {
					t.Errorf("%d sends in a trailing 5 minutes, want at most %d", most, allow)
				}
				// The bound: whole windows, then the last requests at 8 per
				// 10 ms round trip (a first window alone: latency only).
				bound := windowBound(n, allow, DefaultLimits.FundingWindow)
				tail := min(n, allow)
				bound += time.Duration(math.Ceil(float64(tail)/8)) * ex.latency
				ratio := float64(took) / float64(bound)
				if ratio < 1 || ratio > 1.05 {
					t.Errorf("%d requests took %s, %.3f× the window's bound %s", n, took, ratio, bound)
				}
				t.Logf("%d requests: %s, %.4f× the window's bound %s", n, took, ratio, bound)
			})
		})
	}
}
