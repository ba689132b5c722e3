// Package binancesim is carry's simulated Binance USDⓈ-M exchange: what
// `carry demo` and `carry simulate-market --serve` put on loopback, and the
// fake every backfill test runs against (in the spirit of net/http/httptest,
// but a product component, shipped in the binary). It serves /futures/data/basis,
// /fapi/v1/fundingRate, /fapi/v1/fundingInfo and /fapi/v1/exchangeInfo on
// loopback from a Market, with the documented semantics (limits and their
// defaults, inclusive bounds, the basis endpoint's 30-day window, string
// numbers, JSON error bodies, weight headers and rate limits that answer 429
// and then ban with 418), fault injection, and a log of every request. It
// serves the six kline endpoints too (klines.go), spot's among them on the
// same URL but with the spot API's own weight pool.
//
// Where the real exchange leaves behaviour undocumented the fake picks the
// nastier reading: a basis window holding more than limit rows answers with
// the latest limit rows, not the first.
package binancesim

import (
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"time"
)

// Options tune the fake. The zero value of each field means its default.
type Options struct {
	// Now is the exchange's clock. Default time.Now.
	Now func() time.Time
	// BasisRetention is how far back /futures/data/basis serves. Default
	// 30 days.
	BasisRetention time.Duration
	// DailyBasisRetention applies to period 1d, which has been seen
	// serving more than 30 days. Default: unlimited.
	DailyBasisRetention time.Duration
	// BasisAnchor chooses which rows a basis window holding more than
	// limit rows answers with, which Binance does not document: "end"
	// (default, the nastier reading) the latest, "start" the first.
	BasisAnchor string
	// BasisMaxLimit is the most rows a basis request gets, whatever limit
	// it asks: a server stricter than documented (500). Default 500.
	BasisMaxLimit int
	// OldBasisEmpty makes a basis request older than the retention answer
	// with an empty page instead of error -1130.
	OldBasisEmpty bool
	// Latency is added to every response.
	Latency time.Duration
	// Faults chooses a fault per request. Default: none.
	Faults FaultPlan
	// WeightPerMinute is the IP request-weight limit per WeightWindow
	// (default 2400 per calendar minute).
	WeightPerMinute int
	WeightWindow    time.Duration
	// SpotWeightPerMinute is the spot API's own limit (/api/v3/klines)
	// per WeightWindow: default 6000.
	SpotWeightPerMinute int
	// FundingPer5Min is the shared limit of fundingRate and fundingInfo
	// per rolling FundingWindow (default 500 per 5 minutes).
	FundingPer5Min int
	FundingWindow  time.Duration
	// StrikesBeforeBan is how many requests sent during a 429's
	// Retry-After are tolerated before the IP is banned. Default 2.
	StrikesBeforeBan int
	// BanDuration is how long a ban lasts. Default 2 minutes.
	BanDuration time.Duration
}

func (o *Options) defaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.BasisRetention == 0 {
		o.BasisRetention = 30 * 24 * time.Hour
	}
	if o.BasisMaxLimit == 0 {
		o.BasisMaxLimit = 500
	}
	if o.WeightPerMinute == 0 {
		o.WeightPerMinute = 2400
	}
	if o.SpotWeightPerMinute == 0 {
		o.SpotWeightPerMinute = 6000
	}
	if o.FundingPer5Min == 0 {
		o.FundingPer5Min = 500
	}
	if o.WeightWindow == 0 {
		o.WeightWindow = time.Minute
	}
	if o.FundingWindow == 0 {
		o.FundingWindow = 5 * time.Minute
	}
	if o.StrikesBeforeBan == 0 {
		o.StrikesBeforeBan = 2
	}
	if o.BanDuration == 0 {
		o.BanDuration = 2 * time.Minute
	}
}

// Request is one entry of the request log.
type Request struct {
	N      int
	Time   time.Time
	Path   string
	Query  url.Values
	Status int // 0 when the connection was dropped
	Fault  FaultKind
	Rows   int // rows in a successful data response
}

// Server is a running fake exchange.
type Server struct {
	Market *Market
	// URL is the base URL (http://127.0.0.1:port) once started.
	URL string

	opts Options
	ts   *httptest.Server

	mu           sync.Mutex
	n            int
	log          []Request
	weight       weightPool // the futures API's
	spotWeight   weightPool // the spot API's (/api/…)
	fundingCalls []time.Time
	penaltyUntil time.Time
	strikes      int
	bannedUntil  time.Time
	altered      map[string]bool
}

// NewServer starts a fake exchange on loopback serving m. Close it when done.
func NewServer(m *Market, opts Options) *Server {
	s := NewUnstarted(m, opts)
	s.ts = httptest.NewServer(s)
	s.URL = s.ts.URL
	return s
}

// NewUnstarted returns the fake as an http.Handler without a listener, for
// tests that call it through Transport (e.g. under testing/synctest).
func NewUnstarted(m *Market, opts Options) *Server {
	opts.defaults()
	return &Server{Market: m, opts: opts, altered: map[string]bool{},
		weight: weightPool{limit: opts.WeightPerMinute}, spotWeight: weightPool{limit: opts.SpotWeightPerMinute}}
}

// Close shuts the listener down.
func (s *Server) Close() {
	if s.ts != nil {
		s.ts.Close()
	}
}

// Requests returns a copy of the request log.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.log)
}

// CountRequests counts logged requests whose path ends with suffix.
func (s *Server) CountRequests(pathSuffix string) int {
	n := 0
	for _, r := range s.Requests() {
		if len(r.Path) >= len(pathSuffix) && r.Path[len(r.Path)-len(pathSuffix):] == pathSuffix {
			n++
		}
	}
	return n
}

// ResetLog clears the request log (limits and bans stay).
func (s *Server) ResetLog() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log = nil
}

// SetFaults replaces the fault plan.
func (s *Server) SetFaults(p FaultPlan) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opts.Faults = p
}
