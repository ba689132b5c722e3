package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/views"
)

// blockingViews is a lake whose funding rates wait for release, after
// saying on entered that a request holds a slot.
type blockingViews struct {
	entered chan struct{}
	release chan struct{}
}

func newBlockingViews() *blockingViews {
	return &blockingViews{entered: make(chan struct{}, 16), release: make(chan struct{})}
}

func (b *blockingViews) RatesJSON() ([]byte, error) {
	b.entered <- struct{}{}
	<-b.release
	return []byte("[]"), nil
}
func (b *blockingViews) RateJSON(string) ([]byte, error) {
	return nil, views.ErrUnknownSymbol
}
func (b *blockingViews) HistoryJSON(string, int) (views.EventsJSON, error) {
	return views.EventsJSON{}, views.ErrUnknownSymbol
}
func (b *blockingViews) BasisJSON() ([]byte, error) {
	return []byte(`{"data":{"rows":[],"tableMissing":true,"lastTs":null,"stale":false},"meta":{"total":0,"tableMissing":true}}`), nil
}

// serveAsync serves one request in the background; its recorder arrives
// on the channel when done.
func serveAsync(h http.Handler, url string) <-chan *httptest.ResponseRecorder {
	done := make(chan *httptest.ResponseRecorder, 1)
	go func() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", url, nil))
		done <- rec
	}()
	return done
}

// TestBusyServerAnswers503: with every slot held and no room to wait, a
// request is answered 503 at once with Retry-After and the API's error
// shape; once the slot is free, requests are served again.
func TestBusyServerAnswers503(t *testing.T) {
	fake := newBlockingViews()
	h := newHandler(fake, t.TempDir(), nil, limits{inFlight: 1, queue: 0, wait: time.Hour, retryAfter: 2 * time.Second})
	held := serveAsync(h, "/api/v1/funding-rates")
	<-fake.entered // the one slot is taken

	status, hdr, body := get(t, h, "GET", "/api/v1/futures/basis")
	if status != http.StatusServiceUnavailable || hdr.Get("Retry-After") != "2" {
		t.Fatalf("with the slot taken: %d, Retry-After %q", status, hdr.Get("Retry-After"))
	}
	var e apiError
	if err := json.Unmarshal(body, &e); err != nil || e.Error.Code != "overloaded" || e.Error.Message == "" {
		t.Errorf("503 body: %s", body)
	}
	if ct := hdr.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("content type %q", ct)
	}

	close(fake.release)
	if rec := <-held; rec.Code != 200 {
		t.Errorf("the held request: %d %s", rec.Code, rec.Body)
	}
	if status, _, body := get(t, h, "GET", "/api/v1/futures/basis"); status != 200 {
		t.Errorf("after the slot was freed: %d %s", status, body)
	}
}

// TestQueuedRequestWaitsForASlot: a request beyond the slots waits in the
// queue and is served when a slot frees; one more than the queue holds is
// refused; a wait longer than the limit is refused.
func TestQueuedRequestWaitsForASlot(t *testing.T) {
	fake := newBlockingViews()
	lim := newLimiter(limits{inFlight: 1, queue: 1, wait: time.Hour, retryAfter: time.Second}, slog.New(slog.DiscardHandler))
	h := lim.wrap(routes(fake, t.TempDir(), slog.New(slog.DiscardHandler)))
	first := serveAsync(h, "/api/v1/funding-rates")
	<-fake.entered
	queued := serveAsync(h, "/api/v1/futures/basis")
	for lim.waiting.Load() != 1 {
		runtime.Gosched() // until the second request waits in the queue
	}
	if status, hdr, _ := get(t, h, "GET", "/api/v1/futures/basis"); status != 503 || hdr.Get("Retry-After") != "1" {
		t.Errorf("with the queue full: %d", status)
	}
	close(fake.release)
	if rec := <-first; rec.Code != 200 {
		t.Errorf("first: %d", rec.Code)
	}
	if rec := <-queued; rec.Code != 200 {
		t.Errorf("the queued request: %d %s", rec.Code, rec.Body)
	}

	fake = newBlockingViews()
	h = newHandler(fake, t.TempDir(), nil, limits{inFlight: 1, queue: 1, wait: time.Millisecond, retryAfter: time.Second})
	held := serveAsync(h, "/api/v1/funding-rates")
	<-fake.entered
	if status, _, body := get(t, h, "GET", "/api/v1/futures/basis"); status != 503 {
		t.Errorf("after waiting longer than the limit: %d %s", status, body)
	}
	close(fake.release)
	<-held
}

func TestServerLimits(t *testing.T) {
	srv := NewServer(http.NotFoundHandler(), nil)
	for name, got := range map[string]time.Duration{
		"ReadHeaderTimeout": srv.ReadHeaderTimeout, "ReadTimeout": srv.ReadTimeout,
		"WriteTimeout": srv.WriteTimeout, "IdleTimeout": srv.IdleTimeout,
	} {
		if got <= 0 {
			t.Errorf("%s not set", name)
		}
	}
	if srv.WriteTimeout <= defaultLimits().wait {
		t.Errorf("WriteTimeout %v leaves no room after the longest wait for a slot (%v)", srv.WriteTimeout, defaultLimits().wait)
	}
	if srv.MaxHeaderBytes != MaxHeaderBytes || MaxHeaderBytes >= http.DefaultMaxHeaderBytes {
		t.Errorf("MaxHeaderBytes %d", srv.MaxHeaderBytes)
	}
	if srv.ErrorLog == nil {
		t.Error("the server's own errors are not logged")
	}
}
