package binancesim

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// apiError is Binance's JSON error body.
type apiError struct {
	status int
	Code   int    `json:"code"`
	Msg    string `json:"msg"`
}

func errInvalidSymbol() *apiError { return &apiError{400, -1121, "Invalid symbol."} }
func errMandatory(p string) *apiError {
	return &apiError{400, -1102, fmt.Sprintf("Mandatory parameter '%s' was not sent, was empty/null, or malformed.", p)}
}
func errInvalid(p string) *apiError {
	return &apiError{400, -1130, fmt.Sprintf("Data sent for parameter '%s' is not valid.", p)}
}
func errIllegal(p string) *apiError {
	return &apiError{400, -1100, fmt.Sprintf("Illegal characters found in parameter '%s'; legal range is '^[0-9]{1,20}$'.", p)}
}

// response is what an endpoint produced before faults and encoding.
type response struct {
	status int
	body   any // JSON value
	rows   int
}

// endpoint weights and whether the funding bucket applies (kline
// endpoints weigh by their limit: klineWeight).
var endpoints = map[string]struct {
	weight  int
	funding bool
}{
	"/futures/data/basis":   {1, false},
	"/fapi/v1/fundingRate":  {1, true},
	"/fapi/v1/fundingInfo":  {1, true},
	"/fapi/v1/exchangeInfo": {1, false},
	"/fapi/v1/time":         {1, false},
}

// ServeHTTP answers one request as the exchange would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.opts.Latency > 0 {
		sleep(r, s.opts.Latency)
	}
	s.mu.Lock()
	n := s.n
	s.n++
	now := s.opts.Now()
	entry := Request{N: n, Time: now, Path: r.URL.Path, Query: r.URL.Query()}
	var fault Fault
	if s.opts.Faults != nil {
		fault = s.opts.Faults(n, r)
	}
	if fault.Kind.altersData() {
		// Data faults are transient, like a bad proxy or a replica
		// catching up: the same query is never altered twice, so what a
		// client sees on asking again is the exchange's true answer.
		if s.altered[r.URL.RawQuery] {
			fault = Fault{}
		} else {
			s.altered[r.URL.RawQuery] = true
		}
	}
	entry.Fault = fault.Kind
	limited := s.admit(now, r, fault)
	weight := s.poolOf(r.URL.Path).used
	s.mu.Unlock()

	logIt := func(status, rows int) {
		entry.Status, entry.Rows = status, rows
		s.mu.Lock()
		s.log = append(s.log, entry)
		s.mu.Unlock()
	}
	w.Header().Set("X-MBX-USED-WEIGHT-1m", strconv.Itoa(weight))
	if limited != nil {
		writeLimited(w, limited)
		logIt(limited.status, 0)
		return
	}
	switch fault.Kind {
	case ServerError:
		status := fault.Status
		if status == 0 {
			status = http.StatusServiceUnavailable
		}
		if status == http.StatusInternalServerError {
			writeJSON(w, status, apiError{Code: -1001, Msg: "Internal error; unable to process your request. Please try again."})
		} else {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(status)
			fmt.Fprintf(w, "<html><body><h1>%d %s</h1></body></html>", status, http.StatusText(status))
		}
		logIt(status, 0)
		return
	case DropConnection:
		logIt(0, 0)
		panic(http.ErrAbortHandler)
	case Garbage:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "<html><head><title>Maintenance</title></head><body>We'll be back soon.</body></html>")
		logIt(http.StatusOK, 0)
		return
	case Slow:
		sleep(r, fault.Delay)
	}

	resp := s.route(r, now)
	resp.body = applyDataFault(fault.Kind, resp.body)
	if resp.status == http.StatusOK {
		resp.body = misbehave(fault.Kind, resp.body, r.URL.Query())
	}
	body, err := json.Marshal(resp.body)
	if err != nil {
		panic(err)
	}
	if fault.Kind == Truncated && len(body) > 2 {
		body = body[:len(body)/2]
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(resp.status)
	w.Write(body)
	logIt(resp.status, resp.rows)
}

func sleep(r *http.Request, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// limitedAnswer is a 429 or 418 the limits (or a fault) produced.
type limitedAnswer struct {
	status     int
	retryAfter time.Duration
	msg        string
}

// admit applies bans, penalties and rate limits to a request arriving at now
// and returns a 429/418 answer, or nil to serve it. Called with s.mu held.
func (s *Server) admit(now time.Time, r *http.Request, fault Fault) *limitedAnswer {
	path := r.URL.Path
	if now.Before(s.bannedUntil) {
		return &limitedAnswer{http.StatusTeapot, s.bannedUntil.Sub(now), fmt.Sprintf("Way too many requests; IP(127.0.0.1) banned until %d. Please use the websocket for live updates to avoid bans.", s.bannedUntil.UnixMilli())}
	}
	if fault.Kind == Banned {
		d := fault.RetryAfter
		if d == 0 {
			d = s.opts.BanDuration
		}
		s.bannedUntil = now.Add(d)
		return s.admit(now, r, Fault{})
	}
	if now.Before(s.penaltyUntil) {
		s.strikes++
		if s.strikes > s.opts.StrikesBeforeBan {
			s.bannedUntil = now.Add(s.opts.BanDuration)
			return s.admit(now, r, Fault{})
		}
		return &limitedAnswer{http.StatusTooManyRequests, s.penaltyUntil.Sub(now), "Too many requests; please back off."}
	}
	s.strikes = 0
	if fault.Kind == TooManyRequests {
		d := fault.RetryAfter
		if d == 0 {
			d = time.Second
		}
		s.penaltyUntil = now.Add(d)
		return &limitedAnswer{http.StatusTooManyRequests, d, "Too many requests; please back off."}
	}
	ep := endpoints[path]
	if kind, ok := klinePaths[path]; ok {
		ep.weight = klineWeight(kind, r.URL.Query())
	}
	pool := s.poolOf(path)
	if minute := now.Truncate(s.opts.WeightWindow); !minute.Equal(pool.minute) {
		pool.minute, pool.used = minute, 0
	}
	if pool.used+ep.weight > pool.limit {
		s.penaltyUntil = pool.minute.Add(s.opts.WeightWindow)
		return &limitedAnswer{http.StatusTooManyRequests, s.penaltyUntil.Sub(now), fmt.Sprintf("Too many requests; current limit of IP(127.0.0.1) request weight per 1 MINUTE is %d. Please use WebSocket Streams for live updates to avoid polling the API.", pool.limit)}
	}
	if ep.funding {
		cutoff := now.Add(-s.opts.FundingWindow)
		i := 0
		for i < len(s.fundingCalls) && !s.fundingCalls[i].After(cutoff) {
			i++
		}
		s.fundingCalls = s.fundingCalls[i:]
		if len(s.fundingCalls) >= s.opts.FundingPer5Min {
			s.penaltyUntil = s.fundingCalls[0].Add(s.opts.FundingWindow)
			return &limitedAnswer{http.StatusTooManyRequests, s.penaltyUntil.Sub(now), "Too many requests; funding rate limit of 500 per 5 minutes exceeded."}
		}
		s.fundingCalls = append(s.fundingCalls, now)
	}
	pool.used += ep.weight
	return nil
}

// weightPool is one request-weight limit per calendar window: the futures
// API's, or the spot API's (paths /api/…), which Binance counts apart.
type weightPool struct {
	limit  int
	minute time.Time
	used   int
}

// poolOf returns the pool a path counts against. Called with s.mu held.
func (s *Server) poolOf(path string) *weightPool {
	if strings.HasPrefix(path, "/api/") {
		return &s.spotWeight
	}
	return &s.weight
}

func writeLimited(w http.ResponseWriter, a *limitedAnswer) {
	secs := int(math.Ceil(a.retryAfter.Seconds()))
	if secs < 1 {
		secs = 1
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeJSON(w, a.status, apiError{Code: -1003, Msg: a.msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func (s *Server) route(r *http.Request, now time.Time) response {
	q := r.URL.Query()
	var resp response
	var aerr *apiError
	switch r.URL.Path {
	case "/futures/data/basis":
		resp, aerr = s.basis(q, now)
	case "/fapi/v1/fundingRate":
		resp, aerr = s.fundingRate(q, now)
	case "/fapi/v1/fundingInfo":
		resp = s.fundingInfo()
	case "/fapi/v1/exchangeInfo":
		resp = s.exchangeInfo(now)
	case "/fapi/v1/time":
		resp = response{status: http.StatusOK, body: map[string]int64{"serverTime": now.UnixMilli()}}
	default:
		if kind, ok := klinePaths[r.URL.Path]; ok {
			resp, aerr = s.klines(kind, q, now)
			break
		}
		return response{status: http.StatusNotFound, body: apiError{Code: -5000, Msg: "Path " + r.URL.Path + ", Method " + r.Method + " is invalid"}}
	}
	if aerr != nil {
		return response{status: aerr.status, body: aerr}
	}
	return resp
}

// timeParam parses an optional millisecond timestamp parameter.
func timeParam(q map[string][]string, name string) (int64, bool, *apiError) {
	v := strings.TrimSpace(first(q, name))
	if v == "" {
		return 0, false, nil
	}
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil || ms < 0 {
		return 0, false, errIllegal(name)
	}
	return ms, true, nil
}

// page is a request's limit and optional time bounds.
type page struct {
	limit            int
	start, end       int64
	hasStart, hasEnd bool
}

// pageParams parses limit (with its default and maximum), startTime and
// endTime.
func pageParams(q map[string][]string, def, max int) (page, *apiError) {
	var p page
	var aerr *apiError
	if p.limit, aerr = limitParam(q, def, max); aerr != nil {
		return p, aerr
	}
	if p.start, p.hasStart, aerr = timeParam(q, "startTime"); aerr != nil {
		return p, aerr
	}
	p.end, p.hasEnd, aerr = timeParam(q, "endTime")
	return p, aerr
}

// limitParam parses limit with its default; values above max are clamped.
func limitParam(q map[string][]string, def, max int) (int, *apiError) {
	v := first(q, "limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n <= 0 {
		return 0, errInvalid("limit")
	}
	return min(n, max), nil
}

func first(q map[string][]string, k string) string {
	if v := q[k]; len(v) > 0 {
		return v[0]
	}
	return ""
}
