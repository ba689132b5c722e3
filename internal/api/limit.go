package api

import (
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

// limits bound the work the API does at once (docs/views.md, "Under load").
type limits struct {
	inFlight   int           // requests served at once
	queue      int           // requests that may wait for a slot beyond those
	wait       time.Duration // the longest a request waits for a slot
	retryAfter time.Duration // what a refusal tells the client to wait
}

// defaultLimits: 4 requests per CPU at once (at least 8), 4,096 waiting at
// most 5 s each; a refused client is told to retry after 1 s.
func defaultLimits() limits {
	return limits{inFlight: max(8, 4*runtime.GOMAXPROCS(0)), queue: 4096, wait: 5 * time.Second, retryAfter: time.Second}
}

// limiter is a semaphore of lim.inFlight slots with a bounded wait for one;
// a request that gets none is answered 503 with Retry-After.
type limiter struct {
	lim     limits
	slots   chan struct{}
	waiting atomic.Int64
	logger  *slog.Logger
	// refused counts refusals; lastWarn (Unix seconds) spaces the warnings.
	refused  atomic.Int64
	lastWarn atomic.Int64
}

func newLimiter(lim limits, logger *slog.Logger) *limiter {
	return &limiter{lim: lim, slots: make(chan struct{}, lim.inFlight), logger: logger}
}

func (l *limiter) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case l.slots <- struct{}{}:
		default:
			if !l.await(r) {
				l.refuse(w)
				return
			}
		}
		defer func() { <-l.slots }()
		next.ServeHTTP(w, r)
	})
}

// await waits for a slot in turn (waiters on a channel are served first in,
// first out); false when the queue is full, the wait too long or the
// client gone.
func (l *limiter) await(r *http.Request) bool {
	defer l.waiting.Add(-1)
	if l.waiting.Add(1) > int64(l.lim.queue) {
		return false
	}
	t := time.NewTimer(l.lim.wait)
	defer t.Stop()
	select {
	case l.slots <- struct{}{}:
		return true
	case <-t.C:
		return false
	case <-r.Context().Done():
		return false
	}
}

func (l *limiter) refuse(w http.ResponseWriter) {
	secs := max(1, int((l.lim.retryAfter+time.Second-1)/time.Second))
	n := l.refused.Add(1)
	if now, last := time.Now().Unix(), l.lastWarn.Load(); now > last && l.lastWarn.CompareAndSwap(last, now) {
		l.logger.Warn("at the request limit: answering 503", "in_flight", l.lim.inFlight, "queue", l.lim.queue, "refused_total", n)
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusServiceUnavailable, "overloaded", "the server is at its limit of concurrent requests: retry after "+strconv.Itoa(secs)+" s", "")
}
