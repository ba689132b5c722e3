package binance

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

// TestPremiumRecordingDecodesExactly decodes a real premiumIndexKlines
// answer: every price as the exchange wrote it, no volumes.
func TestPremiumRecordingDecodesExactly(t *testing.T) {
	path := sharedtest.Path(t, "realdata/raw/strmt7-fapi-premiumIndexKlines-BTCUSDT-1h-2026-08-19-to-26.json")
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var raw [][]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	var wire []klineWire
	if err := json.Unmarshal(body, &wire); err != nil {
		t.Fatal(err)
	}
	if len(wire) != 180 || len(raw) != 180 {
		t.Fatalf("%d candles, want 180", len(wire))
	}
	for i, w := range wire {
		r, err := w.row(data.KlinePremium)
		if err != nil {
			t.Fatalf("candle %d: %v", i, err)
		}
		if err := r.Validate(data.KlinePremium, "1h"); err != nil {
			t.Errorf("candle %d: %v", i, err)
		}
		if got := float64(r.OpenTime.UnixMilli()); got != raw[i][0].(float64) {
			t.Errorf("candle %d: open time %v, want %v", i, got, raw[i][0])
		}
		for j, v := range []float64{r.Open, r.High, r.Low, r.Close} {
			want, _ := data.ParseExact(raw[i][j+1].(string))
			if v != want || data.FormatExact(v) != data.FormatExact(want) {
				t.Errorf("candle %d field %d: %v, want %s", i, j+1, v, raw[i][j+1])
			}
		}
		if r.Volume.Valid || r.QuoteVolume.Valid || r.TakerBuyVolume.Valid || r.TakerBuyQuoteVolume.Valid || r.Trades != 0 {
			t.Errorf("candle %d: premium candles carry no volumes or trades: %+v", i, r)
		}
	}
	first, _ := wire[0].row(data.KlinePremium)
	if first.OpenTime != time.UnixMilli(1787140800000).UTC() || first.Open != -0.00052225 || first.High != -0.0000079 {
		t.Errorf("first candle %+v", first)
	}
}

func TestKlineWireRefusesOtherForms(t *testing.T) {
	for name, body := range map[string]string{
		"short":         `[[1,"1","1","1","1","0",2,"0",3,"0"]]`,
		"time a string": `[["1","1","1","1","1","0",2,"0",3,"0","0","0"]]`,
		"price a float": `[[1,1.5,"1","1","1","0",2,"0",3,"0","0","0"]]`,
		"null row":      `[null]`,
	} {
		var wire []klineWire
		if err := json.Unmarshal([]byte(body), &wire); err == nil {
			t.Errorf("%s: decoded %+v", name, wire)
		}
	}
	var wire []klineWire
	json.Unmarshal([]byte(`[[1,"1.0000000000000001","1","1","1","0",3600000,"0",3,"0","0","0"]]`), &wire)
	if _, err := wire[0].row(data.KlineFutures); err == nil {
		t.Error("a price a float64 cannot hold exactly was accepted")
	}
}

func TestKlineWeight(t *testing.T) {
	for _, c := range []struct {
		kind          data.KlineKind
		limit, weight int
	}{
		{data.KlineFutures, 1, 1}, {data.KlineFutures, 99, 1}, {data.KlineFutures, 100, 2}, {data.KlineFutures, 499, 2},
		{data.KlineIndex, 500, 5}, {data.KlineMark, 1000, 5}, {data.KlinePremium, 1001, 10}, {data.KlineContinuous, 1500, 10},
		{data.KlineSpot, 1, 2}, {data.KlineSpot, 1000, 2},
	} {
		if got := KlineWeight(c.kind, c.limit); got != c.weight {
			t.Errorf("%s limit %d: weight %d, want %d", c.kind, c.limit, got, c.weight)
		}
	}
}

func limits(pages []KlinePage) []int {
	out := make([]int, len(pages))
	for i, p := range pages {
		out[i] = p.Limit
	}
	return out
}

func TestPlanKlinePages(t *testing.T) {
	for _, c := range []struct {
		kind   data.KlineKind
		n      int
		pages  string
		weight int
	}{
		{data.KlineFutures, 1, "1", 1},
		{data.KlineFutures, 99, "99", 1},
		{data.KlineFutures, 100, "100", 2},
		{data.KlineFutures, 499, "499", 2},
		{data.KlineFutures, 500, "499 1", 3},          // not one 500-candle page (5)
		{data.KlineFutures, 598, "499 99", 3},         // still below 5
		{data.KlineFutures, 600, "499 101", 4},        // two 2s beat one 5
		{data.KlineFutures, 998, "499 499", 4},        // below 5
		{data.KlineFutures, 999, "999", 5},            // 499+499+1 weighs 5 too, in 3 requests
		{data.KlineFutures, 1000, "1000", 5},          // ties 499+499+2: one request
		{data.KlineFutures, 1500, "499 499 499 3", 7}, // one 1500-page would weigh 10
		{data.KlineFutures, 4500, "499 499 499 499 499 499 499 499 499 9", 19},
		{data.KlineFutures, 24 * 365, "", 36}, // a year of 1h: 17×499 + 77
		{data.KlineSpot, 1, "1", 2},
		{data.KlineSpot, 2500, "1000 1000 500", 6},
	} {
		p := PlanKlinePages(c.kind, c.n)
		sum := 0
		for _, pg := range p {
			sum += pg.Limit
			if pg.Weight != KlineWeight(c.kind, pg.Limit) || pg.Limit > MaxKlineLimit(c.kind) {
				t.Errorf("%s %d: page %+v", c.kind, c.n, pg)
			}
		}
		if sum != c.n || PlanWeight(p) != c.weight {
			t.Errorf("%s %d: pages %v (%d candles) weigh %d, want %d", c.kind, c.n, limits(p), sum, PlanWeight(p), c.weight)
		}
		if c.pages != "" && fmtInts(limits(p)) != c.pages {
			t.Errorf("%s %d: pages %v, want %s", c.kind, c.n, limits(p), c.pages)
		}
	}
}

func fmtInts(v []int) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = strconv.Itoa(x)
	}
	return strings.Join(s, " ")
}

// TestPlanKlinePagesIsOptimal holds the planner (which peels best pages
// off long spans) to an exhaustive search over every plan.
func TestPlanKlinePagesIsOptimal(t *testing.T) {
	for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineSpot} {
		const n = 9000
		best := make([]planCost, n+1)
		for m := 1; m <= n; m++ {
			best[m] = planCost{weight: 1 << 30}
			for l := 1; l <= min(m, MaxKlineLimit(kind)); l++ {
				c := planCost{best[m-l].weight + KlineWeight(kind, l), best[m-l].requests + 1}
				if c.less(best[m]) {
					best[m] = c
				}
			}
		}
		for m := 1; m <= n; m += 1 + m/500 {
			p := PlanKlinePages(kind, m)
			if got := (planCost{PlanWeight(p), len(p)}); got != best[m] {
				t.Fatalf("%s %d candles: plan weighs %d in %d requests, best %d in %d", kind, m, got.weight, got.requests, best[m].weight, best[m].requests)
			}
		}
	}
}

func TestClosedKlines(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rows := []data.KlineRow{{OpenTime: t0, CloseTime: t0.Add(time.Hour - time.Millisecond)}, {OpenTime: t0.Add(time.Hour), CloseTime: t0.Add(2*time.Hour - time.Millisecond)}}
	for _, c := range []struct {
		now    time.Time
		closed int
	}{{t0.Add(90 * time.Minute), 1}, {t0.Add(2*time.Hour - time.Millisecond), 1}, {t0.Add(2 * time.Hour), 2}} {
		closed, open := ClosedKlines(rows, c.now)
		if len(closed) != c.closed || open != 2-c.closed {
			t.Errorf("at %s: %d closed, %d open", c.now, len(closed), open)
		}
	}
}

// TestRealKlinesThroughTheFake serves a real recording of /fapi/v1/klines
// from the fake and reads it back through the planner's windows: every
// value exact, the weight the plan says, the open candle dropped.
func TestRealKlinesThroughTheFake(t *testing.T) {
	rows := sharedtest.ReadCSV(t, sharedtest.Path(t, "realdata/raw/gravestone-perp-klines-1h-BTCUSDT.csv"))
	key := data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	recs := make([]binancesim.KlineRecord, len(rows))
	for i, r := range rows {
		open, _ := strconv.ParseInt(r["timestamp"], 10, 64)
		closeT, _ := strconv.ParseInt(r["close_time"], 10, 64)
		trades, _ := strconv.ParseInt(r["trades"], 10, 64)
		// The recording kept no taker volumes.
		recs[i] = binancesim.KlineRecord{OpenTime: open, Open: r["open"], High: r["high"], Low: r["low"], Close: r["close"], Volume: r["volume"],
			CloseTime: closeT, QuoteVolume: r["quote_volume"], Trades: trades, TakerBuyVolume: "0", TakerBuyQuoteVolume: "0"}
	}
	m.AddKlines(key, recs...)
	last := time.UnixMilli(recs[len(recs)-1].OpenTime).UTC()
	now := last.Add(30 * time.Minute) // the last candle is still open
	srv := binancesim.NewServer(m, binancesim.Options{Now: func() time.Time { return now }})
	defer srv.Close()
	c, err := NewClient(srv.URL, &http.Client{Transport: NewLimiter(nil, DefaultLimits, nil)}, WithSpotBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	windows := KlineWindows(key, time.UnixMilli(recs[0].OpenTime), now)
	var got []data.KlineRow
	weight := 0
	for _, q := range windows {
		page, err := c.Klines(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page...)
		weight += KlineWeight(key.Kind, q.Limit)
	}
	if len(windows) != 10 || weight != 19 {
		t.Errorf("%d windows weighing %d for %d candles, want 10 weighing 19", len(windows), weight, len(recs))
	}
	closed, open := ClosedKlines(got, now)
	if open != 1 || len(closed) != len(recs)-1 {
		t.Fatalf("%d candles, %d closed, %d open; want %d closed and the last open", len(got), len(closed), open, len(recs)-1)
	}
	for i, r := range closed {
		w := recs[i]
		if err := r.Validate(key.Kind, key.Interval); err != nil {
			t.Error(err)
		}
		for j, pair := range [][2]any{{r.Open, w.Open}, {r.High, w.High}, {r.Low, w.Low}, {r.Close, w.Close}, {r.Volume.Float64, w.Volume}, {r.QuoteVolume.Float64, w.QuoteVolume}} {
			if want, _ := data.ParseExact(pair[1].(string)); pair[0].(float64) != want {
				t.Fatalf("candle %d field %d: %v, want %s", i, j, pair[0], pair[1])
			}
		}
		if r.OpenTime.UnixMilli() != w.OpenTime || r.Trades != w.Trades || !r.Volume.Valid {
			t.Fatalf("candle %d: %+v, want %+v", i, r, w)
		}
	}
}

// poolStub answers every request with the used weight it is told for the
// request's API, as the two hosts' headers would.
type poolStub struct {
	mu   sync.Mutex
	used map[string]int // "spot" or "futures"
	sent []string
}

func (s *poolStub) RoundTrip(req *http.Request) (*http.Response, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	api := "futures"
	if strings.HasPrefix(req.URL.Path, "/api/") {
		api = "spot"
	}
	s.sent = append(s.sent, api)
	h := http.Header{}
	h.Set("X-MBX-USED-WEIGHT-1m", strconv.Itoa(s.used[api]))
	return &http.Response{StatusCode: 200, Header: h, Body: io.NopCloser(strings.NewReader("[]")), Request: req}, nil
}

// TestWeightPoolsAreApart: spot weight near its limit holds spot requests
// only, and a futures header of 3,000 — over the futures limit, well
// under spot's — holds futures requests only.
func TestWeightPoolsAreApart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ex := &poolStub{used: map[string]int{"spot": 5990, "futures": 10}}
		l := NewLimiter(ex, DefaultLimits, nil)
		ctx := context.Background()
		get(ctx, l, "/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1000") // spot now near its 6,000
		start := time.Now()
		if _, err := get(ctx, l, "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=499"); err != nil || time.Since(start) != 0 {
			t.Errorf("a futures request waited %s (err %v) for the spot pool", time.Since(start), err)
		}
		get(ctx, l, "/api/v3/klines?symbol=BTCUSDT&interval=1h")
		if time.Since(start) == 0 {
			t.Error("a spot request was sent with the spot pool at its limit")
		}
		ex.mu.Lock()
		ex.used = map[string]int{"spot": 3000, "futures": 3000}
		ex.mu.Unlock()
		time.Sleep(2 * time.Minute)
		get(ctx, l, "/api/v3/klines?symbol=BTCUSDT&interval=1h") // 3,000 of 6,000: no hold
		start = time.Now()
		get(ctx, l, "/api/v3/klines?symbol=BTCUSDT&interval=1h")
		if time.Since(start) != 0 {
			t.Errorf("spot held %s at 3,000 of 6,000", time.Since(start))
		}
		get(ctx, l, "/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1h&limit=1500") // 3,000 of 2,400: hold
		start = time.Now()
		get(ctx, l, "/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1h")
		if time.Since(start) == 0 {
			t.Error("futures not held at 3,000 of 2,400")
		}
	})
}

func TestKlineRequestsWeighByLimit(t *testing.T) {
	for path, want := range map[string]request{
		"/fapi/v1/klines?limit=99":             {weight: 1, pool: "h futures"},
		"/fapi/v1/continuousKlines?limit=499":  {weight: 2, pool: "h futures"},
		"/fapi/v1/premiumIndexKlines":          {weight: 5, pool: "h futures"},
		"/fapi/v1/indexPriceKlines?limit=1500": {weight: 10, pool: "h futures"},
		"/api/v3/klines?limit=1000":            {weight: 2, pool: "h spot", spot: true},
		"/fapi/v1/fundingRate":                 {weight: 1, pool: "h futures", funding: true},
		"/futures/data/basis?limit=500":        {weight: 1, pool: "h futures"},
	} {
		req, _ := http.NewRequest(http.MethodGet, "http://h"+path, nil)
		if got := classify(req.URL); got != want {
			t.Errorf("%s: %+v, want %+v", path, got, want)
		}
	}
}

func TestKlinesRefusesALimitTheExchangeWould(t *testing.T) {
	c, _ := NewClient("http://127.0.0.1:1", http.DefaultClient)
	_, err := c.Klines(context.Background(), KlineQuery{Key: data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}, Limit: 1001})
	if err == nil || errors.As(err, new(*APIError)) {
		t.Errorf("err = %v, want a local refusal", err)
	}
}
