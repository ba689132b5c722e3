package binancesim

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"
)

var now = time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)

func newTestServer(t *testing.T, opts Options) *Server {
	t.Helper()
	m := NewMarket()
	m.AddContract(Contract{Symbol: "BTCUSDT"})
	m.AddContract(Contract{Symbol: "ALTUSDT", FundingIntervalHours: 4})
	m.GenerateBasis(BasisKey{"BTCUSDT", "PERPETUAL", "1h"}, time.Hour, now.Add(-60*24*time.Hour), now, 60000, 1, time.Time{})
	m.GenerateFunding("BTCUSDT", 8, now.Add(-400*24*time.Hour), now, now.Add(-100*24*time.Hour), 2)
	if opts.Now == nil {
		opts.Now = func() time.Time { return now }
	}
	s := NewServer(m, opts)
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, s *Server, path string) (int, http.Header, []byte) {
	t.Helper()
	resp, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

func ms(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func TestBasisSemantics(t *testing.T) {
	s := newTestServer(t, Options{})
	type row struct {
		Pair, ContractType, IndexPrice, AnnualizedBasisRate string
		Timestamp                                           int64
	}
	decode := func(b []byte) []row {
		var rows []row
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return rows
	}
	base := "/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=1h"
	// Default limit 30, latest rows without times.
	_, h, b := get(t, s, base)
	rows := decode(b)
	if len(rows) != 30 || rows[29].Timestamp != now.UnixMilli() || rows[0].AnnualizedBasisRate != "" {
		t.Errorf("default page: %d rows ending %d", len(rows), rows[len(rows)-1].Timestamp)
	}
	if h.Get("X-MBX-USED-WEIGHT-1m") != "1" || h.Get("Content-Type") != "application/json" {
		t.Errorf("headers %v", h)
	}
	// limit above 500 is clamped; a window holding more than limit answers
	// with its latest rows.
	from := now.Add(-25 * 24 * time.Hour) // 601 rows
	_, _, b = get(t, s, base+"&limit=1000&startTime="+ms(from)+"&endTime="+ms(now))
	rows = decode(b)
	if len(rows) != 500 || rows[499].Timestamp != now.UnixMilli() {
		t.Errorf("oversized window: %d rows, last %d", len(rows), rows[len(rows)-1].Timestamp)
	}
	// Inclusive bounds.
	_, _, b = get(t, s, base+"&limit=500&startTime="+ms(from)+"&endTime="+ms(from.Add(3*time.Hour)))
	if rows = decode(b); len(rows) != 4 || rows[0].Timestamp != from.UnixMilli() {
		t.Errorf("inclusive window: %d rows", len(rows))
	}
	// Older than 30 days: -1130.
	code, _, b := get(t, s, base+"&startTime="+ms(now.Add(-40*24*time.Hour))+"&endTime="+ms(now.Add(-39*24*time.Hour)))
	if code != 400 || string(b) != `{"code":-1130,"msg":"Data sent for parameter 'startTime' is not valid."}` {
		t.Errorf("old window: %d %s", code, b)
	}
	for path, want := range map[string]string{
		"/futures/data/basis?contractType=PERPETUAL&period=1h":                            `{"code":-1102,"msg":"Mandatory parameter 'pair' was not sent, was empty/null, or malformed."}`,
		"/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=7m":               `{"code":-1130,"msg":"Data sent for parameter 'period' is not valid."}`,
		"/futures/data/basis?pair=NOPEUSDT&contractType=PERPETUAL&period=1h":              `{"code":-1121,"msg":"Invalid symbol."}`,
		"/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=1h&startTime=abc": `{"code":-1100,"msg":"Illegal characters found in parameter 'startTime'; legal range is '^[0-9]{1,20}$'."}`,
	} {
		code, _, b := get(t, s, path)
		if code != 400 || string(b) != want {
			t.Errorf("%s: %d %s", path, code, b)
		}
	}
}

func TestFundingRateSemantics(t *testing.T) {
	s := newTestServer(t, Options{})
	type row struct {
		Symbol, FundingRate, MarkPrice, RateType string
		FundingTime                              int64
	}
	decode := func(b []byte) []row {
		var rows []row
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatalf("%v: %s", err, b)
		}
		return rows
	}
	_, _, b := get(t, s, "/fapi/v1/fundingRate?symbol=BTCUSDT")
	rows := decode(b)
	if len(rows) != 100 || rows[99].FundingTime/60000 != now.Add(-4*time.Hour).UnixMilli()/60000 {
		t.Errorf("default: %d rows", len(rows))
	}
	from := now.Add(-400 * 24 * time.Hour)
	_, _, b = get(t, s, "/fapi/v1/fundingRate?symbol=BTCUSDT&limit=5000&startTime="+ms(from)+"&endTime="+ms(now))
	rows = decode(b)
	if len(rows) != 1000 || rows[0].FundingTime < from.UnixMilli() || rows[0].FundingTime-from.UnixMilli() > 8*3600_000 {
		t.Errorf("first limit from startTime: %d rows from %d", len(rows), rows[0].FundingTime)
	}
	if rows[0].MarkPrice != "" || rows[999].MarkPrice == "" || rows[0].RateType != "Regular" {
		t.Errorf("mark prices: first %q last %q", rows[0].MarkPrice, rows[999].MarkPrice)
	}
	// fundingTime sits a few ms late; bounds compare the stamped time.
	late := rows[3].FundingTime
	_, _, b = get(t, s, "/fapi/v1/fundingRate?symbol=BTCUSDT&startTime="+strconv.FormatInt(late, 10)+"&endTime="+strconv.FormatInt(late, 10))
	if got := decode(b); len(got) != 1 {
		t.Errorf("inclusive single-instant window: %d rows", len(got))
	}
	if code, _, b := get(t, s, "/fapi/v1/fundingRate?symbol=NOPE"); code != 400 || string(b) != `{"code":-1121,"msg":"Invalid symbol."}` {
		t.Errorf("unknown symbol: %d %s", code, b)
	}
	_, _, b = get(t, s, "/fapi/v1/fundingInfo")
	var infos []struct {
		Symbol               string
		FundingIntervalHours int
	}
	json.Unmarshal(b, &infos)
	if len(infos) != 1 || infos[0].Symbol != "ALTUSDT" || infos[0].FundingIntervalHours != 4 {
		t.Errorf("fundingInfo lists %+v, want only the adjusted ALTUSDT", infos)
	}
}

func TestRateLimitEscalatesTo418(t *testing.T) {
	clock := now
	s := newTestServer(t, Options{WeightPerMinute: 5, StrikesBeforeBan: 2, Now: func() time.Time { return clock }})
	path := "/fapi/v1/exchangeInfo"
	for i := 0; i < 5; i++ {
		if code, h, _ := get(t, s, path); code != 200 || h.Get("X-MBX-USED-WEIGHT-1m") != strconv.Itoa(i+1) {
			t.Fatalf("request %d: %d, weight %s", i, code, h.Get("X-MBX-USED-WEIGHT-1m"))
		}
	}
	code, h, _ := get(t, s, path)
	if code != 429 || h.Get("Retry-After") != "60" {
		t.Fatalf("over the limit: %d Retry-After %q", code, h.Get("Retry-After"))
	}
	// Hammering during the Retry-After earns a ban.
	get(t, s, path)
	get(t, s, path)
	code, h, b := get(t, s, path)
	if code != 418 || h.Get("Retry-After") != "120" {
		t.Fatalf("after ignoring Retry-After: %d %s", code, b)
	}
	clock = clock.Add(3 * time.Minute)
	if code, _, _ := get(t, s, path); code != 200 {
		t.Errorf("after the ban: %d", code)
	}
}

func TestFaultsAreServed(t *testing.T) {
	for _, kind := range AllFaults() {
		t.Run(string(kind), func(t *testing.T) {
			s := newTestServer(t, Options{Faults: Once(Fault{Kind: kind, Delay: 10 * time.Millisecond}, "", 0)})
			path := "/futures/data/basis?pair=BTCUSDT&contractType=PERPETUAL&period=1h&limit=10"
			resp, err := http.Get(s.URL + path)
			if kind == DropConnection {
				if err == nil {
					t.Fatal("a dropped connection answered")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var rows []map[string]any
			jsonErr := json.Unmarshal(b, &rows)
			switch kind {
			case Garbage, Truncated:
				if jsonErr == nil {
					t.Errorf("body parses: %s", b)
				}
			case TooManyRequests, Banned, ServerError:
				if resp.StatusCode < 400 {
					t.Errorf("status %d", resp.StatusCode)
				}
			case Slow:
				if len(rows) != 10 {
					t.Errorf("%d rows", len(rows))
				}
			default:
				if len(rows) == 10 && kind != Shuffled && kind != Unparsable {
					t.Errorf("rows untouched: %d", len(rows))
				}
				// Asking again gets the true page.
				_, _, b2 := get(t, s, path)
				if string(b2) == string(b) {
					t.Errorf("the same query was altered twice")
				}
			}
			if got := s.Requests()[0].Fault; got != kind {
				t.Errorf("logged fault %q", got)
			}
		})
	}
}
