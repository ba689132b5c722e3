package binance

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"time"
)

// Binance error codes carry acts on.
const (
	CodeInternal         = -1001 // internal error; try again
	CodeTooManyRequests  = -1003
	CodeInvalidSymbol    = -1121
	CodeInvalidParameter = -1130 // also: a basis window older than what is kept
)

// APIError is an error body {"code":…,"msg":…} with a 4xx status.
type APIError struct {
	Endpoint string
	Status   int
	Code     int
	Msg      string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("%s: Binance error %d: %s (HTTP %d)", e.Endpoint, e.Code, e.Msg, e.Status)
}

// RateLimitedError is an HTTP 429: back off for RetryAfter.
type RateLimitedError struct {
	Endpoint   string
	RetryAfter time.Duration
}

func (e *RateLimitedError) Error() string {
	return fmt.Sprintf("%s: rate limited (HTTP 429), retry after %s", e.Endpoint, e.RetryAfter)
}

// BannedError is an HTTP 418: the IP is banned until Until. No request may
// be sent to the host before then.
type BannedError struct {
	Until time.Time
}

func (e *BannedError) Error() string {
	return fmt.Sprintf("Binance has banned this IP for too many requests (HTTP 418) until %s; retry after that", e.Until.UTC().Format(time.RFC3339))
}

// ServerError is a 5xx answer.
type ServerError struct {
	Endpoint string
	Status   int
}

func (e *ServerError) Error() string {
	return fmt.Sprintf("%s: server error (HTTP %d)", e.Endpoint, e.Status)
}

// BadResponseError is a 200 whose body is not the expected JSON: truncated,
// HTML, or with numbers that do not parse.
type BadResponseError struct {
	Endpoint string
	Err      error
}

func (e *BadResponseError) Error() string {
	return fmt.Sprintf("%s: bad response: %v", e.Endpoint, e.Err)
}
func (e *BadResponseError) Unwrap() error { return e.Err }

// Transient reports whether err may go away if the request is sent again:
// 5xx, 429, Binance's internal error, timeouts, dropped connections and bad
// bodies. Bans, bad parameters, unknown symbols and cancellation are final.
func Transient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var (
		rl  *RateLimitedError
		se  *ServerError
		br  *BadResponseError
		api *APIError
		ban *BannedError
		ne  net.Error
	)
	switch {
	case errors.As(err, &ban):
		return false
	case errors.As(err, &rl), errors.As(err, &se), errors.As(err, &br):
		return true
	case errors.As(err, &api):
		return api.Code == CodeInternal || api.Code == CodeTooManyRequests
	case errors.Is(err, context.DeadlineExceeded):
		return true
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE):
		return true
	case errors.As(err, &ne):
		return true
	}
	return false
}
