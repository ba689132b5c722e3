package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/views"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var t0 = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)

// clock is the tests' now: 30 h after t0, when the test lake was written.
// Its funding (last at 16:00) is 14 h old, within two 8 h intervals; its
// basis (last at 23:00) is 7 h old, over two 1 h periods: stale.
func clock() time.Time { return t0.Add(30 * time.Hour) }

// testLake: BTCUSDT with perpetual and current-quarter basis and 8h
// funding (old rows without mark price); ETHUSDT with only a quarterly
// series (its perpetual leg is missing) and no funding.
func testLake(t *testing.T) (*lake.Lake, string) {
	t.Helper()
	dir := t.TempDir()
	l, err := lake.Open(filepath.Join(dir, "lake"), lake.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	var perp, cq, eth []data.BasisRow
	for i := range 24 {
		ts := t0.Add(time.Duration(i) * time.Hour)
		s := 60000 + float64(i)*10
		perp = append(perp, data.BasisRow{Timestamp: ts, IndexPrice: s, FuturesPrice: s + 12, Basis: 12, BasisRate: 0.0002})
		cq = append(cq, data.BasisRow{Timestamp: ts, IndexPrice: s, FuturesPrice: s + 900, Basis: 900, BasisRate: 0.015, AnnualizedBasisRate: data.Some(0.2124)})
		eth = append(eth, data.BasisRow{Timestamp: ts, IndexPrice: 3000, FuturesPrice: 3030, Basis: 30, BasisRate: 0.01, AnnualizedBasisRate: data.Some(0.1417)})
	}
	must := func(_ lake.MergeResult, err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, perp))
	must(l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, cq))
	must(l.MergeBasis(data.BasisKey{Pair: "ETHUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, eth))
	var ev []data.FundingRow
	for i, h := range []int{0, 8, 16} {
		r := data.FundingRow{FundingTime: t0.Add(time.Duration(h)*time.Hour + 3*time.Millisecond), FundingRate: []float64{0.0001, 0.0002, 0.0003}[i], RateType: data.Regular}
		if i > 0 {
			r.MarkPrice = data.Some(60000.5 + float64(i))
		}
		ev = append(ev, r)
	}
	must(l.MergeFunding("BTCUSDT", ev, lake.WithIntervalHours(8)))
	reports := filepath.Join(dir, "reports")
	os.MkdirAll(filepath.Join(reports, "btc-run"), 0o755)
	os.WriteFile(filepath.Join(reports, "btc-run", "ledger.csv"), []byte(
		"id,symbol,position_id,funding_rate,position_size,payment,settled_at,mark_price,quantity,funding_time,mark_price_missing\n"+
			"1,BTCUSDT,1,0.0002,3000.025,0.600005,2026-03-01T08:00:00Z,60001.5,0.05,1772352000003,false\n"+
			"2,BTCUSDT,1,0.0003,3000.1,0.90003,2026-03-01T16:00:00Z,60002,0.05,1772380800003,false\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "secret.csv"), []byte("do not serve"), 0o644)
	return l, reports
}

func get(t *testing.T, h http.Handler, method, url string) (int, http.Header, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, url, nil))
	return rec.Code, rec.Header(), rec.Body.Bytes()
}

func golden(t *testing.T, name string, body []byte) {
	t.Helper()
	var pretty bytes.Buffer
	if err := json.Indent(&pretty, body, "", "  "); err != nil {
		t.Fatalf("%s: not JSON: %v\n%s", name, err, body)
	}
	path := filepath.Join("testdata", name+".golden.json")
	if *update {
		os.MkdirAll("testdata", 0o755)
		os.WriteFile(path, pretty.Bytes(), 0o644)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./internal/api -update creates it)", err)
	}
	if pretty.String() != string(want) {
		t.Errorf("%s differs from %s:\n%s", name, path, pretty.String())
	}
}

func TestEndpointsGolden(t *testing.T) {
	l, reports := testLake(t)
	h := New(l, reports, nil, WithClock(clock))
	cases := []struct {
		name, url string
		status    int
	}{
		{"funding-rates", "/api/v1/funding-rates", 200},
		{"funding-rate-btc", "/api/v1/funding-rates/BTCUSDT", 200},
		{"funding-history-btc", "/api/v1/funding-rates/BTCUSDT/history?limit=2", 200},
		{"basis", "/api/v1/futures/basis", 200},
		{"settlements", "/api/v1/funding/settlements?run=btc-run&limit=1", 200},
		{"unknown-symbol", "/api/v1/funding-rates/DOGEUSDT", 404},
		{"bad-symbol", "/api/v1/funding-rates/btc-usdt", 400},
		{"bad-limit", "/api/v1/funding-rates/BTCUSDT/history?limit=1001", 400},
		{"limit-not-a-number", "/api/v1/funding-rates/BTCUSDT/history?limit=ten", 400},
		{"run-missing", "/api/v1/funding/settlements", 400},
		{"run-traversal", "/api/v1/funding/settlements?run=../secret", 400},
		{"run-unknown", "/api/v1/funding/settlements?run=nope", 404},
		{"unknown-path", "/api/v2/anything", 404},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, hdr, body := get(t, h, "GET", c.url)
			if status != c.status {
				t.Errorf("status %d, want %d: %s", status, c.status, body)
			}
			if ct := hdr.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("content type %q", ct)
			}
			golden(t, c.name, body)
		})
	}
}

func TestReadOnly(t *testing.T) {
	l, reports := testLake(t)
	h := New(l, reports, nil)
	for _, m := range []string{"POST", "PUT", "DELETE", "PATCH"} {
		status, hdr, body := get(t, h, m, "/api/v1/funding-rates")
		if status != 405 || hdr.Get("Allow") != "GET, HEAD" || !strings.Contains(string(body), "read-only") {
			t.Errorf("%s: %d %s", m, status, body)
		}
	}
}

func TestEmptyLake(t *testing.T) {
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := New(l, t.TempDir(), nil)
	if _, _, body := get(t, h, "GET", "/api/v1/funding-rates"); string(body) != `{"rates":[]}`+"\n" {
		t.Errorf("empty funding: %s", body)
	}
	_, _, body := get(t, h, "GET", "/api/v1/futures/basis")
	if string(body) != `{"data":{"rows":[],"tableMissing":true,"lastTs":null,"stale":false},"meta":{"total":0,"tableMissing":true}}`+"\n" {
		t.Errorf("empty basis: %s", body)
	}
}

// TestNoHalfWrittenState serves while a writer keeps rewriting a series:
// every answer is a whole committed version (the lake replaces files by
// atomic rename, so a reader opens the old file or the new one).
func TestNoHalfWrittenState(t *testing.T) {
	l, reports := testLake(t)
	// A cache that looks for changes at every request, to read during writes.
	h := newHandler(views.NewCache(l, 0, nil), reports, nil, defaultLimits())
	key := data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 24; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			ts := t0.Add(time.Duration(i) * time.Hour)
			l.MergeBasis(key, []data.BasisRow{{Timestamp: ts, IndexPrice: 61000, FuturesPrice: 61012, Basis: 12, BasisRate: 0.0002}})
		}
	}()
	deadline := time.Now().Add(500 * time.Millisecond)
	n := 0
	for time.Now().Before(deadline) {
		status, _, body := get(t, h, "GET", "/api/v1/futures/basis")
		var v struct {
			Data struct {
				Rows []struct {
					Base      string
					PerpPrice *json.Number
				}
			}
		}
		if status != 200 || json.Unmarshal(body, &v) != nil || len(v.Data.Rows) != 2 || v.Data.Rows[0].PerpPrice == nil {
			t.Fatalf("answer %d during writes: %d %s", n, status, body)
		}
		n++
	}
	close(stop)
	wg.Wait()
	t.Logf("%d answers while the series was rewritten", n)
}

func TestHEADAndBodies(t *testing.T) {
	l, reports := testLake(t)
	srv := httptest.NewServer(New(l, reports, nil))
	defer srv.Close()
	resp, err := http.Head(srv.URL + "/api/v1/funding-rates")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", resp, err)
	}
	resp, err = http.Get(srv.URL + "/api/v1/funding-rates/BTCUSDT")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var rate map[string]any
	if err := json.Unmarshal(b, &rate); err != nil || rate["next_funding_rate_is_estimate"] != true {
		t.Errorf("rate: %s", b)
	}
}
