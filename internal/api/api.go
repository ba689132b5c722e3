// Package api serves carry's views of the lake as read-only JSON over HTTP
// for dashboards and notebooks. See docs/views.md.
package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/views"
)

// Limits of the history and settlements endpoints.
const (
	DefaultLimit = 100
	MaxLimit     = views.MaxHistory
)

// lakeViews is what the handlers read: a *views.Cache (fakes in tests).
// Every answer comes encoded, once per version of the lake.
type lakeViews interface {
	RatesJSON() ([]byte, error)
	RateJSON(symbol string) ([]byte, error)
	HistoryJSON(symbol string, limit int) (views.EventsJSON, error)
	BasisJSON() ([]byte, error)
}

// Server holds what the handlers read.
type Server struct {
	views   lakeViews
	reports string
	logger  *slog.Logger
}

// Handler is the API over a lake.
type Handler struct {
	http.Handler
	cache *views.Cache
}

// Option configures New.
type Option func(*options)

type options struct {
	now func() time.Time
}

// WithClock sets the clock that decides which data is stale (default
// time.Now).
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.now = now }
}

// New returns the API's handler over lake, with backtest runs under reports:
// the views come from memory, refreshed within views.DefaultRecheck of a
// partition file's change (views.Cache), and the work done at once is
// capped (see limits).
func New(lake *lake.Lake, reports string, logger *slog.Logger, opts ...Option) *Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	o := options{now: time.Now}
	for _, opt := range opts {
		opt(&o)
	}
	c := views.NewCache(lake, views.DefaultRecheck, logger, views.WithClock(o.now))
	return &Handler{Handler: newHandler(c, reports, logger, defaultLimits()), cache: c}
}

// Warm reads every partition of the lake into memory, so that the first
// requests need not; `carry serve` runs it in the background at start.
func (h *Handler) Warm() error {
	if _, err := h.cache.RatesJSON(); err != nil {
		return err
	}
	_, err := h.cache.BasisJSON()
	return err
}

// newHandler is the endpoints behind the limiter.
func newHandler(v lakeViews, reports string, logger *slog.Logger, lim limits) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	return newLimiter(lim, logger).wrap(routes(v, reports, logger))
}

func routes(v lakeViews, reports string, logger *slog.Logger) http.Handler {
	s := &Server{views: v, reports: reports, logger: logger}
	mux := http.NewServeMux()
	mux.HandleFunc("/api/v1/funding-rates", s.get(s.rates))
	mux.HandleFunc("/api/v1/funding-rates/{symbol}", s.get(s.rate))
	mux.HandleFunc("/api/v1/funding-rates/{symbol}/history", s.get(s.history))
	mux.HandleFunc("/api/v1/futures/basis", s.get(s.basis))
	mux.HandleFunc("/api/v1/funding/settlements", s.get(s.settlements))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not_found", "no endpoint "+r.URL.Path+" (see docs/views.md)", "")
	})
	return mux
}

// apiError is the body of every error answer.
type apiError struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		Parameter string `json:"parameter,omitempty"`
	} `json:"error"`
}

// encoded is an answer already encoded as encoding/json would encode it,
// in parts written one after the other: the views come encoded from the
// cache, once per version of the lake, and only the envelope is added.
type encoded [][]byte

func writeJSON(w http.ResponseWriter, status int, v any) {
	parts, ok := v.(encoded)
	if !ok {
		b, err := json.Marshal(v)
		if err != nil {
			status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"encoding the answer failed"}}`)
		}
		parts = encoded{b}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	for _, p := range parts {
		w.Write(p)
	}
	w.Write(newline)
}

var newline = []byte{'\n'}

func writeError(w http.ResponseWriter, status int, code, msg, param string) {
	var e apiError
	e.Error.Code, e.Error.Message, e.Error.Parameter = code, msg, param
	writeJSON(w, status, e)
}

// handler answers with a status and a value, or an error.
type handler func(r *http.Request) (any, error)

// badParam is a 400 naming the parameter.
type badParam struct{ param, msg string }

func (e *badParam) Error() string { return e.msg }

// notFound is a 404 naming the path parameter that matched nothing.
type notFound struct{ param, msg string }

func (e *notFound) Error() string { return e.msg }

// get serves GET (and HEAD) only, mapping errors to statuses in one place.
func (s *Server) get(h handler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "this API is read-only: GET only", "")
			return
		}
		v, err := h(r)
		var bp *badParam
		var nf *notFound
		switch {
		case err == nil:
			writeJSON(w, http.StatusOK, v)
		case errors.As(err, &bp):
			writeError(w, http.StatusBadRequest, "bad_parameter", bp.msg, bp.param)
		case errors.As(err, &nf):
			writeError(w, http.StatusNotFound, "not_found", nf.msg, nf.param)
		default:
			s.logger.Error("serving "+r.URL.Path, "err", err)
			writeError(w, http.StatusInternalServerError, "internal", "reading the lake failed", "")
		}
	}
}

// limit parses ?limit= (default 100, 1 to 1000).
func limit(r *http.Request) (int, error) {
	v := r.URL.Query().Get("limit")
	if v == "" {
		return DefaultLimit, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > MaxLimit {
		return 0, &badParam{"limit", "limit must be a whole number from 1 to 1000, got " + strconv.Quote(v)}
	}
	return n, nil
}

func symbolParam(r *http.Request) (string, error) {
	sym := r.PathValue("symbol")
	if err := data.ValidateSymbol(sym); err != nil {
		return "", &badParam{"symbol", err.Error()}
	}
	return sym, nil
}

func (s *Server) rates(r *http.Request) (any, error) {
	rates, err := s.views.RatesJSON()
	if err != nil {
		return nil, err
	}
	// What json.Marshal writes for {"rates":[…]}.
	return encoded{[]byte(`{"rates":`), rates, []byte{'}'}}, nil
}

func (s *Server) rate(r *http.Request) (any, error) {
	sym, err := symbolParam(r)
	if err != nil {
		return nil, err
	}
	rate, err := s.views.RateJSON(sym)
	if errors.Is(err, views.ErrUnknownSymbol) {
		return nil, &notFound{"symbol", "unknown symbol " + sym + ": the lake has no funding history for it"}
	}
	if err != nil {
		return nil, err
	}
	return encoded{rate}, nil
}

func (s *Server) history(r *http.Request) (any, error) {
	sym, err := symbolParam(r)
	if err != nil {
		return nil, err
	}
	n, err := limit(r)
	if err != nil {
		return nil, err
	}
	h, err := s.views.HistoryJSON(sym, n)
	if errors.Is(err, views.ErrUnknownSymbol) {
		return nil, &notFound{"symbol", "unknown symbol " + sym + ": the lake has no funding history for it"}
	}
	if err != nil {
		return nil, err
	}
	// What json.Marshal writes for {"rates":[…],"symbol":…} (keys
	// sorted), the events straight from the cache, not encoded again.
	q, err := json.Marshal(sym)
	if err != nil {
		return nil, err
	}
	return encoded{[]byte(`{"rates":[`), h.Elements, []byte(`],"symbol":`), q, []byte{'}'}}, nil
}

func (s *Server) basis(r *http.Request) (any, error) {
	b, err := s.views.BasisJSON()
	if err != nil {
		return nil, err
	}
	// {"data":…,"meta":{"total":…,"tableMissing":…}}, whole from the cache.
	return encoded{b}, nil
}

// runName is a run's name: a single path component.
var runName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

func (s *Server) settlements(r *http.Request) (any, error) {
	name := r.URL.Query().Get("run")
	if name == "" {
		return nil, &badParam{"run", "run is required: the name of a backtest run directory under the reports directory"}
	}
	if !runName.MatchString(name) || name == "." || name == ".." {
		return nil, &badParam{"run", "run must be a name (letters, digits, '.', '_', '-'), not a path: " + strconv.Quote(name)}
	}
	n, err := limit(r)
	if err != nil {
		return nil, err
	}
	rows, err := views.Settlements(filepath.Join(s.reports, name), n)
	if errors.Is(err, views.ErrNoRun) {
		return nil, &notFound{"run", "no backtest run named " + name}
	}
	if err != nil {
		return nil, err
	}
	return map[string]any{"run": name, "settlements": rows}, nil
}
