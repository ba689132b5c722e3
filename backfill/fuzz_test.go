package backfill

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// bodyServer answers every data request with one body, whatever is asked:
// the page handlers must survive any body without panicking or paging
// forever, and store only rows of the series inside the windows asked.
type bodyServer struct {
	path string
	body []byte
	n    int
}

func (s *bodyServer) RoundTrip(req *http.Request) (*http.Response, error) {
	s.n++
	body := []byte("[]")
	switch {
	case strings.HasSuffix(req.URL.Path, "/fapi/v1/time"):
		body = []byte(`{"serverTime":1774009800000}`)
	case strings.HasSuffix(req.URL.Path, s.path):
		body = s.body
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(body)), Request: req}, nil
}

// fuzzRun backfills one series from a server that always answers body and
// checks what the lake holds afterwards.
func fuzzRun(t *testing.T, path string, body []byte, cfg Config) {
	srv := &bodyServer{path: path, body: body}
	lake, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	c, err := binance.NewClient("http://fuzz.invalid", &http.Client{Transport: srv})
	if err != nil {
		t.Fatal(err)
	}
	now := time.UnixMilli(1774009800000).UTC()
	b := New(c, lake, WithClock(func() time.Time { return now }),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Nanosecond, MaxDelay: time.Nanosecond}))
	cfg.Since, cfg.Until, cfg.Concurrency = now.Add(-60*24*time.Hour), now, 1
	cfg.Symbols = []string{"BTCUSDT"}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	b.Run(ctx, cfg) // any error is fine; a panic or a hang is not
	if ctx.Err() != nil {
		t.Fatalf("the run did not end within 10 s (%d requests)", srv.n)
	}
	if srv.n > 2000 {
		t.Fatalf("%d requests for one series: the pager does not stop", srv.n)
	}
	for _, k := range must(lake.BasisKeys()) {
		s := must(lake.ReadBasis(k))
		for _, r := range s.Rows {
			if r.Timestamp.Before(cfg.Since) || r.Timestamp.After(now) {
				t.Fatalf("stored a basis row at %s, outside what was asked", r.Timestamp)
			}
		}
	}
	for _, sym := range must(lake.FundingSymbols()) {
		s := must(lake.ReadFunding(sym))
		for _, r := range s.Rows {
			if r.FundingTime.Before(cfg.Since) || r.FundingTime.After(now) {
				t.Fatalf("stored a funding event at %s, outside what was asked", r.FundingTime)
			}
		}
		for _, sp := range s.State.Covered {
			if len(s.Rows) == 0 && sp.To.Sub(sp.From) > 0 && len(body) > 0 && !bytes.Equal(bytes.TrimSpace(body), []byte("[]")) {
				t.Fatalf("covered %v with no rows from a body that was not an empty list", sp)
			}
		}
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func FuzzFundingPage(f *testing.F) {
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"symbol":"BTCUSDT","fundingTime":1773993600003,"fundingRate":"0.00010000","markPrice":"60000.1","rateType":"Regular"}]`))
	f.Add([]byte(`[{"symbol":"ETHUSDT","fundingTime":1773993600003,"fundingRate":"0.00010000","markPrice":"","rateType":"Regular"}]`))
	f.Add([]byte(`[{"symbol":"BTCUSDT","fundingTime":1999993600003,"fundingRate":"1e400","markPrice":"x"}]`))
	f.Add([]byte(`{"code":-1121,"msg":"Invalid symbol."}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzRun(t, "/fapi/v1/fundingRate", body, Config{Funding: true})
	})
}

func FuzzBasisPage(f *testing.F) {
	f.Add([]byte(`null`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`[{"indexPrice":"60000","contractType":"PERPETUAL","basisRate":"0.0001","futuresPrice":"60006","annualizedBasisRate":"","basis":"6","pair":"BTCUSDT","timestamp":1773993600000}]`))
	f.Add([]byte(`[{"indexPrice":"-1","contractType":"PERPETUAL","basisRate":"0","futuresPrice":"0","annualizedBasisRate":"","basis":"0","pair":"BTCUSDT","timestamp":1773993600001}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		fuzzRun(t, "/futures/data/basis", body, Config{Basis: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual}})
	})
}
