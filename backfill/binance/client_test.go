package binance

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

func sharedFile(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(sharedtest.Path(t, rel))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// serveBytes answers every request with body, byte for byte.
func serveBytes(t *testing.T, status int, body []byte, header map[string]string) *Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, srv.Client())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFundingRatesParsesRealResponses(t *testing.T) {
	cases := []struct {
		file        string
		rows        int
		nullMarks   int
		firstTime   int64
		firstRate   string
		firstMark   string
		maxOffsetMs int64
	}{
		// A full 1,000-row page from 2021-22: every markPrice is "".
		{"binance-samples/fundingRate-BTCUSDT-2021-12-to-2022-10-markPrice-empty.json", 1000, 1000, 1638316800000, "0.00012689", "", 31},
		// A recent page with mark prices and a tiny negative rate.
		{"binance-samples/fundingRate-SOLUSDT-2026-09-05-to-10-06.json", -1, 0, 1788566400000, "-0.00000007", "101.86", 31},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.file), func(t *testing.T) {
			client := serveBytes(t, 200, sharedFile(t, c.file), map[string]string{"Content-Type": "application/json"})
			evs, err := client.FundingRates(context.Background(), FundingQuery{Symbol: "X", Start: time.UnixMilli(0), End: time.Now(), Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if c.rows >= 0 && len(evs) != c.rows {
				t.Errorf("%d rows, want %d", len(evs), c.rows)
			}
			nulls := 0
			for _, e := range evs {
				if !e.MarkPrice.Valid {
					nulls++
				}
				if off := e.FundingTime.UnixMilli() % 60000; off > c.maxOffsetMs {
					t.Errorf("fundingTime %d is %d ms past the minute", e.FundingTime.UnixMilli(), off)
				}
				if e.RateType != data.Regular {
					t.Errorf("rateType %q", e.RateType)
				}
			}
			if nulls != c.nullMarks {
				t.Errorf("%d rows without mark price, want %d", nulls, c.nullMarks)
			}
			first := evs[0]
			if first.FundingTime.UnixMilli() != c.firstTime || data.FormatExact(first.FundingRate) != trimZeros(c.firstRate) || first.MarkPrice.String() != c.firstMark {
				t.Errorf("first row %+v", first)
			}
		})
	}
}

func trimZeros(s string) string { return data.FormatExact(mustParse(s)) }

func mustParse(s string) float64 {
	f, err := data.ParseExact(s)
	if err != nil {
		panic(err)
	}
	return f
}

func TestErrorsAreTyped(t *testing.T) {
	cases := []struct {
		name      string
		status    int
		body      string
		header    map[string]string
		check     func(error) bool
		transient bool
	}{
		{"invalid symbol", 400, `{"code":-1121,"msg":"Invalid symbol."}`, nil, func(err error) bool {
			e, ok := err.(*APIError)
			return ok && e.Code == CodeInvalidSymbol && e.Msg == "Invalid symbol."
		}, false},
		{"429", 429, `{"code":-1003,"msg":"Too many requests"}`, map[string]string{"Retry-After": "7"}, func(err error) bool {
			e, ok := err.(*RateLimitedError)
			return ok && e.RetryAfter == 7*time.Second
		}, true},
		{"418", 418, `{"code":-1003,"msg":"banned"}`, map[string]string{"Retry-After": "120"}, func(err error) bool {
			e, ok := err.(*BannedError)
			return ok && time.Until(e.Until) > 110*time.Second
		}, false},
		{"503 html", 503, `<html>Service Unavailable</html>`, nil, func(err error) bool { _, ok := err.(*ServerError); return ok }, true},
		{"garbage 200", 200, `<html>maintenance</html>`, nil, func(err error) bool { _, ok := err.(*BadResponseError); return ok }, true},
		{"truncated 200", 200, `[{"symbol":"BTCUSDT","fundingTime":16383168`, nil, func(err error) bool { _, ok := err.(*BadResponseError); return ok }, true},
		{"truncated 400", 400, `{"code":-1130,"msg":"Data se`, nil, func(err error) bool { _, ok := err.(*BadResponseError); return ok }, true},
		{"unparsable number", 200, `[{"symbol":"X","fundingTime":1,"fundingRate":"1.2.3","markPrice":"","rateType":"Regular"}]`, nil, func(err error) bool { _, ok := err.(*BadResponseError); return ok }, true},
		{"internal error", 500, `{"code":-1001,"msg":"Internal error"}`, nil, func(err error) bool { _, ok := err.(*ServerError); return ok }, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			client := serveBytes(t, c.status, []byte(c.body), c.header)
			_, err := client.FundingRates(context.Background(), FundingQuery{Symbol: "X", Start: time.UnixMilli(0), End: time.Now(), Limit: 10})
			if err == nil || !c.check(err) {
				t.Fatalf("err = %#v", err)
			}
			if Transient(err) != c.transient {
				t.Errorf("Transient = %v, want %v", Transient(err), c.transient)
			}
		})
	}
}

func TestNewClientRejectsBadURLs(t *testing.T) {
	for _, u := range []string{"", "fapi.binance.com", "ftp://x", "http://"} {
		if _, err := NewClient(u, nil); err == nil {
			t.Errorf("NewClient(%q) accepted", u)
		}
	}
}
