package api

import (
	"log/slog"
	"net/http"
	"time"
)

// The HTTP server's limits (docs/views.md, "Under load"). WriteTimeout
// leaves room for the longest wait for a slot (5 s) and a cold read of the
// lake.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 10 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 60 * time.Second
	// MaxHeaderBytes: a GET of this API needs a few hundred bytes.
	MaxHeaderBytes = 16 << 10
)

// NewServer is the http.Server for handler, with the timeouts above; its
// own errors (accept failures, malformed requests) go to logger.
func NewServer(handler http.Handler, logger *slog.Logger) *http.Server {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
}
