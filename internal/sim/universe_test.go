package sim

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
)

func universeConfig() Config {
	c := DefaultConfig(end, 30, 3)
	c.Years, c.UniversePairs = DefaultYears, Universe()
	return c
}

// universeMarket is Market(universeConfig()), made once for the tests
// that only read it (two years of ten pairs take seconds under -race).
var universeMarket = sync.OnceValue(func() *binancesim.Market { return Market(universeConfig()) })

// TestUniverseLeavesTheMarketAlone: the default pairs' candles, funding
// and basis are the same with the universe as without it.
func TestUniverseLeavesTheMarketAlone(t *testing.T) {
	with := universeConfig()
	without := with
	without.UniversePairs = nil
	a, b := universeMarket(), Market(without)
	for _, p := range without.Pairs {
		for _, k := range KlineKeys(p.Symbol) {
			if !reflect.DeepEqual(a.Klines(k), b.Klines(k)) {
				t.Errorf("%s: the universe changed the candles", k)
			}
		}
		bk := binancesim.BasisKey{Pair: p.Symbol, ContractType: "PERPETUAL", Period: "1h"}
		if !reflect.DeepEqual(a.Funding(p.Symbol), b.Funding(p.Symbol)) || !reflect.DeepEqual(a.Basis(bk), b.Basis(bk)) {
			t.Errorf("%s: the universe changed the funding or the basis", p.Symbol)
		}
	}
}

// TestUniverseRegimesAndDelisting: the universe's funding regimes differ
// as documented (mean annualized rate and share of negative events), and
// DLSTUSDT's data ends at its delisting, which exchangeInfo announces.
func TestUniverseRegimesAndDelisting(t *testing.T) {
	c := universeConfig()
	m := universeMarket()
	// exchangeInfo is REST's: the archive's files (the slow part of
	// NewExchange) are not needed here.
	rest := binancesim.NewUnstarted(m, binancesim.Options{Now: func() time.Time { return c.End }})
	stats := func(sym string, hours int) (apr, negative float64) {
		ev := m.Funding(sym)
		n := 0.0
		for _, e := range ev {
			r := f(e.FundingRate)
			apr += r * 24 / float64(hours) * 365
			if r < 0 {
				n++
			}
		}
		return apr / float64(len(ev)), n / float64(len(ev))
	}
	apr := map[string]float64{}
	neg := map[string]float64{}
	for _, p := range append(c.Pairs, c.UniversePairs...) {
		apr[p.Symbol], neg[p.Symbol] = stats(p.Symbol, p.IntervalHours)
		t.Logf("%s: funding %.1f%%/year on average, %.0f%% of events negative", p.Symbol, apr[p.Symbol]*100, neg[p.Symbol]*100)
	}
	// The bounds are loose on purpose: the regimes, not the draws, set them.
	for _, c := range []struct {
		sym            string
		minAPR, maxAPR float64
		minNeg, maxNeg float64
	}{
		{"BNBUSDT", 0.05, 0.40, 0, 0.2},
		{"XRPUSDT", -0.10, 0.10, 0.2, 1},
		{"ADAUSDT", -0.05, 0.12, 0.1, 1},
		{"DOGEUSDT", 0.40, 3, 0, 0.1},
		{"AVAXUSDT", 0.20, 2, 0, 0.2},
		{DelistedSymbol, 0.80, 4, 0, 0.1},
	} {
		if a, n := apr[c.sym], neg[c.sym]; !(a >= c.minAPR && a <= c.maxAPR && n >= c.minNeg && n <= c.maxNeg) {
			t.Errorf("%s: funding %.1f%%/year, %.0f%% negative; want %.0f%% to %.0f%%/year and %.0f%% to %.0f%% negative",
				c.sym, a*100, n*100, c.minAPR*100, c.maxAPR*100, c.minNeg*100, c.maxNeg*100)
		}
	}

	delisted := c.UniversePairs[len(c.UniversePairs)-1]
	at := c.DelistedAt(delisted)
	if want := time.Date(2026, 5, 3, 0, 0, 0, 0, time.UTC); !at.Equal(want) {
		t.Fatalf("delisted at %s, want %s (150 days before End, at a 4h boundary)", at, want)
	}
	ev := m.Funding(DelistedSymbol)
	if last := time.UnixMilli(ev[len(ev)-1].FundingTime).Truncate(time.Hour); !last.Equal(at) {
		t.Errorf("last funding event at %s, want the delisting %s", last, at)
	}
	for _, k := range universeKeys(DelistedSymbol) {
		rows := m.Klines(k)
		if last := time.UnixMilli(rows[len(rows)-1].CloseTime + 1); !last.Equal(at) || rows[0].OpenTime != c.KlinesFrom().UnixMilli() {
			t.Errorf("%s: candles from %d to one closing at %s, want from %s to the delisting", k, rows[0].OpenTime, last, c.KlinesFrom())
		}
	}
	if ks := m.Klines(KlineKeys(DelistedSymbol)[4]); len(ks) != 0 {
		t.Errorf("a universe pair has %d continuous quarterly candles, want none", len(ks))
	}
	if q := m.Klines(KlineKeys("DOGEUSDT")[0]); f(q[0].QuoteVolume) <= 0 || f(m.Klines(KlineKeys("BTCUSDT")[0])[0].QuoteVolume) != 0 {
		t.Error("the universe's futures candles should trade, the default pairs' not")
	}

	var info struct {
		Symbols []struct {
			Symbol, Status, ContractType string
			DeliveryDate                 int64
		}
	}
	res, err := rest.Transport().RoundTrip(mustRequest(t, "http://simulated.invalid/fapi/v1/exchangeInfo"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(&info); err != nil {
		t.Fatal(err)
	}
	perpetuals := map[string]string{}
	for _, s := range info.Symbols {
		if s.ContractType == "PERPETUAL" {
			perpetuals[s.Symbol] = s.Status
		}
		if s.Symbol == DelistedSymbol && s.DeliveryDate != at.UnixMilli() {
			t.Errorf("exchangeInfo delivers %s at %d, want the delisting %d", s.Symbol, s.DeliveryDate, at.UnixMilli())
		}
	}
	if len(perpetuals) != 10 || perpetuals[DelistedSymbol] != "SETTLING" || perpetuals["DOGEUSDT"] != "TRADING" {
		t.Errorf("exchangeInfo's perpetuals: %v; want 10, %s SETTLING", perpetuals, DelistedSymbol)
	}
}

func mustRequest(t *testing.T, url string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}
