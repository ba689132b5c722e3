package binance

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// send passes req to the base transport. With a send timeout, the deadline
// starts now, once the request has had its turn, and lasts until its body
// is closed.
func (l *Limiter) send(req *http.Request) (*http.Response, error) {
	if l.sendTimeout <= 0 {
		return l.base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeoutCause(req.Context(), l.sendTimeout,
		fmt.Errorf("no complete answer within %s of sending: %w", l.sendTimeout, context.DeadlineExceeded))
	resp, err := l.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends a send's deadline with its body.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b cancelOnClose) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
