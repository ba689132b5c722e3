package binancesim

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// klineServer serves 1h futures candles of BTCUSDT for the 10 days before
// now, the last one still open, and spot candles of the pair.
func klineServer(t *testing.T, opts Options) (*Server, data.KlineKey) {
	t.Helper()
	m := NewMarket()
	m.AddContract(Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(BasisKey{"BTCUSDT", "PERPETUAL", "1h"}, time.Hour, now.Add(-10*24*time.Hour), now, 60000, 1, time.Time{})
	key := data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}
	for _, k := range []data.KlineKey{key, {Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}, {Kind: data.KlinePremium, Symbol: "BTCUSDT", Interval: "4h"}} {
		if err := m.DeriveKlines(k); err != nil {
			t.Fatal(err)
		}
	}
	if opts.Now == nil {
		opts.Now = func() time.Time { return now.Add(20 * time.Minute) }
	}
	s := NewServer(m, opts)
	t.Cleanup(s.Close)
	return s, key
}

func decodeKlines(t *testing.T, b []byte) [][]any {
	t.Helper()
	var rows [][]any
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	return rows
}

func openTime(r []any) int64 { return int64(r[0].(float64)) }

func TestKlineSemantics(t *testing.T) {
	s, _ := klineServer(t, Options{})
	base := "/fapi/v1/klines?symbol=BTCUSDT&interval=1h"
	// Default 500 (241 candles here), the latest, ascending, the open one last.
	code, h, b := get(t, s, base)
	rows := decodeKlines(t, b)
	if code != 200 || len(rows) != 241 || openTime(rows[240]) != now.UnixMilli() || h.Get("X-MBX-USED-WEIGHT-1m") != "5" {
		t.Fatalf("default: %d, %d rows, weight %s", code, len(rows), h.Get("X-MBX-USED-WEIGHT-1m"))
	}
	if len(rows[0]) != 12 || int64(rows[240][6].(float64)) <= now.Add(20*time.Minute).UnixMilli() {
		t.Errorf("the open candle: %v", rows[240])
	}
	for i := 1; i < len(rows); i++ {
		if openTime(rows[i]) != openTime(rows[i-1])+3_600_000 {
			t.Fatalf("not ascending at %d", i)
		}
	}
	// Inclusive bounds on open times.
	from := now.Add(-5 * time.Hour)
	_, h, b = get(t, s, base+"&limit=99&startTime="+ms(from)+"&endTime="+ms(from.Add(2*time.Hour)))
	if rows = decodeKlines(t, b); len(rows) != 3 || openTime(rows[0]) != from.UnixMilli() || h.Get("X-MBX-USED-WEIGHT-1m") != "6" {
		t.Errorf("inclusive window: %d rows, weight %s", len(rows), h.Get("X-MBX-USED-WEIGHT-1m"))
	}
	// A window holding more than limit: its latest; startTime alone: its first.
	_, _, b = get(t, s, base+"&limit=2&startTime="+ms(from)+"&endTime="+ms(from.Add(4*time.Hour)))
	if rows = decodeKlines(t, b); len(rows) != 2 || openTime(rows[1]) != from.Add(4*time.Hour).UnixMilli() {
		t.Errorf("overfull window: %v", rows)
	}
	_, _, b = get(t, s, base+"&limit=2&startTime="+ms(from))
	if rows = decodeKlines(t, b); len(rows) != 2 || openTime(rows[0]) != from.UnixMilli() {
		t.Errorf("startTime only: %v", rows)
	}
	for path, want := range map[string]string{
		base + "&limit=1501": `{"code":-1130,"msg":"Data sent for parameter 'limit' is not valid."}`,
		"/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1001":                   `{"code":-1130,"msg":"Data sent for parameter 'limit' is not valid."}`,
		"/fapi/v1/klines?symbol=NOPEUSDT&interval=1h":                            `{"code":-1121,"msg":"Invalid symbol."}`,
		"/fapi/v1/klines?symbol=BTCUSDT&interval=7m":                             `{"code":-1120,"msg":"Invalid interval."}`,
		"/fapi/v1/indexPriceKlines?symbol=BTCUSDT&interval=1h":                   `{"code":-1102,"msg":"Mandatory parameter 'pair' was not sent, was empty/null, or malformed."}`,
		"/fapi/v1/continuousKlines?pair=BTCUSDT&contractType=WEEKLY&interval=1h": `{"code":-1130,"msg":"Data sent for parameter 'contractType' is not valid."}`,
	} {
		code, _, b := get(t, s, path)
		if code != 400 || string(b) != want {
			t.Errorf("%s: %d %s", path, code, b)
		}
	}
	// Every kind is served; index, mark and premium without volumes.
	for _, path := range []string{
		"/fapi/v1/continuousKlines?pair=BTCUSDT&contractType=PERPETUAL&interval=1h&limit=1500",
		"/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1h", "/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1h",
	} {
		if code, _, _ := get(t, s, path); code != 200 {
			t.Errorf("%s: %d", path, code)
		}
	}
	_, _, b = get(t, s, "/fapi/v1/premiumIndexKlines?symbol=BTCUSDT&interval=4h&limit=10")
	if rows = decodeKlines(t, b); len(rows) != 10 || rows[0][5] != "0" || rows[0][8].(float64) != 5 {
		t.Errorf("premium: %v", rows)
	}
}

func TestSpotHasItsOwnWeightPool(t *testing.T) {
	s, _ := klineServer(t, Options{WeightPerMinute: 10, SpotWeightPerMinute: 4})
	for i, want := range []string{"2", "4"} {
		code, h, _ := get(t, s, "/api/v3/klines?symbol=BTCUSDT&interval=1h&limit=1000")
		if code != 200 || h.Get("X-MBX-USED-WEIGHT-1m") != want {
			t.Fatalf("spot request %d: %d, weight %s", i, code, h.Get("X-MBX-USED-WEIGHT-1m"))
		}
	}
	if code, h, _ := get(t, s, "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=1000"); code != 200 || h.Get("X-MBX-USED-WEIGHT-1m") != "5" {
		t.Errorf("futures after spot: %d, weight %s, want its own 5", code, h.Get("X-MBX-USED-WEIGHT-1m"))
	}
	if code, _, _ := get(t, s, "/api/v3/klines?symbol=BTCUSDT&interval=1h"); code != 429 {
		t.Errorf("spot over its 4: %d", code)
	}
}

func TestFaultsApplyToKlines(t *testing.T) {
	for _, kind := range []FaultKind{Unparsable, Shuffled, OutOfWindow, WrongSymbol, SameRow} {
		s, _ := klineServer(t, Options{Faults: Once(Fault{Kind: kind}, "/klines", 0)})
		path := "/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=10&startTime=" + ms(now.Add(-20*time.Hour)) + "&endTime=" + ms(now.Add(-11*time.Hour))
		code, _, b := get(t, s, path)
		_, _, b2 := get(t, s, path)
		if string(b) == string(b2) {
			t.Errorf("%s: the page was not altered (%d)", kind, code)
		}
		if r := s.Requests(); r[0].Fault != kind || r[1].Fault != NoFault || r[0].Path != "/fapi/v1/klines" {
			t.Errorf("%s: logged %+v", kind, r)
		}
	}
}

func TestDeriveKlinesFollowsTheBasis(t *testing.T) {
	s, key := klineServer(t, Options{})
	basis := s.Market.Basis(BasisKey{"BTCUSDT", "PERPETUAL", "1h"})
	k := s.Market.Klines(key)
	if len(k) != len(basis) || k[3].Open != basis[3].FuturesPrice || k[3].Close != basis[4].FuturesPrice || k[3].CloseTime != basis[4].Timestamp-1 {
		t.Errorf("candle 3 %+v from basis %+v, %+v", k[3], basis[3], basis[4])
	}
	spot := s.Market.Klines(data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"})
	if spot[0].Open != basis[0].IndexPrice {
		t.Errorf("spot open %s, index %s", spot[0].Open, basis[0].IndexPrice)
	}
	if err := s.Market.DeriveKlines(data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1m"}); err == nil {
		t.Error("derived 1m candles from 1h rows")
	}
}
