// Package binance is carry's client for the public Binance USDⓈ-M market-data
// endpoints it archives: basis, funding rates, funding info, exchange info
// and klines (spot klines from the spot host). It returns typed errors (see Transient) and leaves retrying to a
// decorator of the caller's; Limiter is the rate-limiting transport.
package binance

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// DefaultBaseURL is Binance USDⓈ-M futures.
const DefaultBaseURL = "https://fapi.binance.com"

// Endpoint limits.
const (
	MaxBasisLimit   = 500
	MaxFundingLimit = 1000
)

// Client calls one Binance-compatible futures server and, for spot
// klines, one spot server.
type Client struct {
	base, spot *url.URL
	http       *http.Client
	now        func() time.Time
}

// ClientOption configures a Client.
type ClientOption func(*Client) error

// WithSpotBaseURL sets the spot server (default DefaultSpotBaseURL): the
// simulated exchange serves both APIs on one URL.
func WithSpotBaseURL(spotURL string) ClientOption {
	return func(c *Client) error {
		u, err := parseBaseURL(spotURL)
		if err != nil {
			return fmt.Errorf("spot: %w", err)
		}
		c.spot = u
		return nil
	}
}

// NewClient returns a client for baseURL (e.g. DefaultBaseURL, or a test
// double's URL). hc's transport should be a Limiter.
func NewClient(baseURL string, hc *http.Client, opts ...ClientOption) (*Client, error) {
	u, err := parseBaseURL(baseURL)
	if err != nil {
		return nil, err
	}
	spot, err := parseBaseURL(DefaultSpotBaseURL)
	if err != nil {
		return nil, err
	}
	c := &Client{base: u, spot: spot, http: hc, now: time.Now}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

func parseBaseURL(s string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimRight(s, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid base URL %q: want http(s)://host[:port]", s)
	}
	return u, nil
}

// BasisQuery asks /futures/data/basis for one series between Start and End
// (inclusive; both required so that the window is explicit).
type BasisQuery struct {
	Pair         string
	ContractType data.ContractType
	Period       data.Period
	Start, End   time.Time
	Limit        int
}

// Basis fetches one page of basis rows.
func (c *Client) Basis(ctx context.Context, q BasisQuery) ([]BasisPoint, error) {
	v := url.Values{
		"pair":         {q.Pair},
		"contractType": {string(q.ContractType)},
		"period":       {string(q.Period)},
		"limit":        {strconv.Itoa(q.Limit)},
		"startTime":    {strconv.FormatInt(q.Start.UnixMilli(), 10)},
		"endTime":      {strconv.FormatInt(q.End.UnixMilli(), 10)},
	}
	var wire []basisWire
	const ep = "/futures/data/basis"
	if err := getList(c, ctx, ep, v, &wire); err != nil {
		return nil, err
	}
	out := make([]BasisPoint, len(wire))
	for i, w := range wire {
		p, err := w.point()
		if err != nil {
			return nil, &BadResponseError{Endpoint: ep, Err: err}
		}
		out[i] = p
	}
	return out, nil
}

// FundingQuery asks /fapi/v1/fundingRate for one symbol from Start to End
// (inclusive): the first Limit events from Start come back.
type FundingQuery struct {
	Symbol     string
	Start, End time.Time
	Limit      int
}

// FundingRates fetches one page of settled funding events.
func (c *Client) FundingRates(ctx context.Context, q FundingQuery) ([]FundingEvent, error) {
	v := url.Values{
		"symbol":    {q.Symbol},
		"limit":     {strconv.Itoa(q.Limit)},
		"startTime": {strconv.FormatInt(q.Start.UnixMilli(), 10)},
		"endTime":   {strconv.FormatInt(q.End.UnixMilli(), 10)},
	}
	var wire []fundingWire
	const ep = "/fapi/v1/fundingRate"
	if err := getList(c, ctx, ep, v, &wire); err != nil {
		return nil, err
	}
	out := make([]FundingEvent, len(wire))
	for i, w := range wire {
		e, err := w.event()
		if err != nil {
			return nil, &BadResponseError{Endpoint: ep, Err: err}
		}
		out[i] = e
	}
	return out, nil
}

// FundingInfo lists the symbols whose funding interval, cap or floor was
// adjusted; every other symbol funds every 8 hours.
func (c *Client) FundingInfo(ctx context.Context) ([]FundingInfo, error) {
	var wire []fundingInfoWire
	const ep = "/fapi/v1/fundingInfo"
	if err := c.get(ctx, ep, nil, &wire); err != nil {
		return nil, err
	}
	out := make([]FundingInfo, len(wire))
	for i, w := range wire {
		capv, err1 := data.ParseNullable(w.AdjustedFundingRateCap)
		floor, err2 := data.ParseNullable(w.AdjustedFundingRateFloor)
		if err := errors.Join(err1, err2); err != nil {
			return nil, &BadResponseError{Endpoint: ep, Err: fmt.Errorf("%s: %w", w.Symbol, err)}
		}
		out[i] = FundingInfo{Symbol: w.Symbol, IntervalHours: w.FundingIntervalHours, Cap: capv, Floor: floor}
	}
	return out, nil
}

// ExchangeInfo lists the exchange's futures contracts, and hands the
// rateLimits it states to the client's transport when that is a
// RateLimitUser (the Limiter), which sizes its pool from them.
func (c *Client) ExchangeInfo(ctx context.Context) ([]Contract, error) {
	var wire exchangeInfoWire
	const ep = "/fapi/v1/exchangeInfo"
	if err := c.get(ctx, ep, nil, &wire); err != nil {
		return nil, err
	}
	if u, ok := c.http.Transport.(RateLimitUser); ok && len(wire.RateLimits) > 0 {
		from := *c.base
		from.Path += ep
		u.UseRateLimits(&from, wire.RateLimits)
	}
	out := make([]Contract, len(wire.Symbols))
	for i, s := range wire.Symbols {
		out[i] = Contract{Symbol: s.Symbol, Pair: s.Pair, ContractType: s.ContractType, Status: s.Status, QuoteAsset: s.QuoteAsset,
			DeliveryDate: time.UnixMilli(s.DeliveryDate).UTC(), OnboardDate: time.UnixMilli(s.OnboardDate).UTC()}
	}
	return out, nil
}

// ServerTime asks the exchange for its clock (/fapi/v1/time). Windows near
// "now" and the basis history's edge are judged by the exchange's clock,
// never by ours.
func (c *Client) ServerTime(ctx context.Context) (time.Time, error) {
	var wire struct {
		ServerTime *int64 `json:"serverTime"`
	}
	const ep = "/fapi/v1/time"
	if err := c.get(ctx, ep, nil, &wire); err != nil {
		return time.Time{}, err
	}
	if wire.ServerTime == nil || *wire.ServerTime <= 0 {
		return time.Time{}, &BadResponseError{Endpoint: ep, Err: errors.New("no serverTime in the answer")}
	}
	return time.UnixMilli(*wire.ServerTime).UTC(), nil
}

// getList is get for endpoints that answer a JSON list: a body of null is a
// bad response, not an empty page, so it is never taken as "no rows here".
func getList[T any](c *Client, ctx context.Context, endpoint string, q url.Values, out *[]T) error {
	return getListFrom(c, ctx, c.base, endpoint, q, out)
}

// getListFrom is getList from another server than the futures one.
func getListFrom[T any](c *Client, ctx context.Context, base *url.URL, endpoint string, q url.Values, out *[]T) error {
	if err := c.getFrom(ctx, base, endpoint, q, out); err != nil {
		return err
	}
	if *out == nil {
		return &BadResponseError{Endpoint: endpoint, Err: errors.New("the body is null, not a list of rows")}
	}
	return nil
}

// maxBody bounds a response body; the largest page is well under 1 MiB.
const maxBody = 16 << 20

// get sends one GET and decodes a 200's JSON body into out, mapping every
// other answer to a typed error.
func (c *Client) get(ctx context.Context, endpoint string, q url.Values, out any) error {
	return c.getFrom(ctx, c.base, endpoint, q, out)
}

// getFrom is get from the server at base.
func (c *Client) getFrom(ctx context.Context, base *url.URL, endpoint string, q url.Values, out any) error {
	u := *base
	u.Path += endpoint
	u.RawQuery = q.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", endpoint, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return fmt.Errorf("GET %s: reading body: %w", endpoint, err)
	}
	switch {
	case resp.StatusCode == http.StatusTeapot:
		return &BannedError{Until: c.now().Add(retryAfter(resp, 2*time.Minute))}
	case resp.StatusCode == http.StatusTooManyRequests:
		return &RateLimitedError{Endpoint: endpoint, RetryAfter: retryAfter(resp, time.Second)}
	case resp.StatusCode >= 500:
		return &ServerError{Endpoint: endpoint, Status: resp.StatusCode}
	case resp.StatusCode != http.StatusOK:
		var e struct {
			Code int    `json:"code"`
			Msg  string `json:"msg"`
		}
		if json.Unmarshal(body, &e) != nil || e.Code == 0 {
			// Binance's own 4xx answers always carry its JSON error; any
			// other body came from a proxy or was cut short: transient.
			return &BadResponseError{Endpoint: endpoint, Err: fmt.Errorf("HTTP %d without a Binance error body (body starts %q)", resp.StatusCode, head(body))}
		}
		return &APIError{Endpoint: endpoint, Status: resp.StatusCode, Code: e.Code, Msg: e.Msg}
	}
	if err := json.Unmarshal(body, out); err != nil {
		return &BadResponseError{Endpoint: endpoint, Err: fmt.Errorf("%w (body starts %q)", err, head(body))}
	}
	return nil
}

func head(b []byte) string {
	if len(b) > 60 {
		return string(b[:60]) + "…"
	}
	return string(b)
}

// retryAfter reads Retry-After in seconds (Binance's form), else def.
func retryAfter(resp *http.Response, def time.Duration) time.Duration {
	if s, err := strconv.Atoi(strings.TrimSpace(resp.Header.Get("Retry-After"))); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	return def
}
