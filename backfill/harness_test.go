package backfill

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// testNow is the exchange's and the backfiller's clock in these tests.
var testNow = time.Date(2026, 3, 20, 12, 30, 0, 0, time.UTC)

var (
	perp1h = data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
	cq4h   = data.BasisKey{Pair: "BTCUSDT", ContractType: data.CurrentQuarter, Period: "4h"}
)

// testMarket is 60 days of BTCUSDT and ETHUSDT: 1h and 4h basis of the
// perpetual and the current quarter, and 8h funding with mark prices from
// day 20.
func testMarket() *binancesim.Market {
	m := binancesim.NewMarket()
	from := testNow.Add(-60 * 24 * time.Hour)
	delivery := time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)
	for i, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		m.AddContract(binancesim.Contract{Symbol: sym, OnboardDate: from.Add(-time.Hour).UnixMilli()})
		m.AddContract(binancesim.Contract{Symbol: sym + "_260327", Pair: sym, ContractType: "CURRENT_QUARTER", DeliveryDate: delivery.UnixMilli()})
		for j, period := range []time.Duration{time.Hour, 4 * time.Hour} {
			name := map[time.Duration]string{time.Hour: "1h", 4 * time.Hour: "4h"}[period]
			m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: name}, period, from, testNow, 60000/float64(i+1), uint64(10*i+j), time.Time{})
			m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "CURRENT_QUARTER", Period: name}, period, from, testNow, 60000/float64(i+1), uint64(10*i+j+5), delivery)
		}
		m.GenerateFunding(sym, 8, from, testNow, from.Add(20*24*time.Hour), uint64(i+20))
	}
	return m
}

type env struct {
	t      *testing.T
	srv    *binancesim.Server
	lake   *lake.Lake
	now    time.Time // the market's "now" when the test started
	start  time.Time // wall time then: the shared clock moves with real time
	client *http.Client
}

// clock is the exchange's and the backfiller's clock: e.now plus the real
// time elapsed, so Retry-After and bans expire as they would.
func (e *env) clock() time.Time { return e.now.Add(time.Since(e.start)) }

func newEnv(t *testing.T, m *binancesim.Market, opts binancesim.Options) *env {
	t.Helper()
	e := &env{t: t, now: testNow, start: time.Now()}
	opts.Now = e.clock
	e.srv = binancesim.NewServer(m, opts)
	t.Cleanup(e.srv.Close)
	lake, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	e.lake = lake
	e.client = &http.Client{Timeout: 2 * time.Second, Transport: binance.NewLimiter(nil, binance.DefaultLimits, testLogger(t))}
	return e
}

func testLogger(t *testing.T) *slog.Logger {
	if os.Getenv("CARRY_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func (e *env) backfiller() *Backfiller {
	return e.backfillerWith(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond})
}

func (e *env) backfillerWith(policy RetryPolicy) *Backfiller {
	c, err := binance.NewClient(e.srv.URL, e.client)
	if err != nil {
		e.t.Fatal(err)
	}
	return New(c, e.lake, WithClock(e.clock), WithLogger(testLogger(e.t)), WithRetryPolicy(policy))
}

func (e *env) run(ctx context.Context, cfg Config) ([]Result, error) {
	e.t.Helper()
	return e.backfiller().Run(ctx, cfg)
}

func config(since time.Duration, symbols ...string) Config {
	return Config{
		Symbols: symbols, Basis: true, Funding: true,
		Periods: []data.Period{"1h", "4h"}, ContractTypes: []data.ContractType{data.Perpetual, data.CurrentQuarter},
		Since: testNow.Add(-since), Until: testNow, Concurrency: 3,
	}
}

// snapshot is everything a lake holds, for comparing lakes.
type snapshot struct {
	Basis   map[data.BasisKey][]data.BasisRow
	Funding map[string][]data.FundingRow
}

func snap(t *testing.T, l *lake.Lake) snapshot {
	t.Helper()
	s := snapshot{Basis: map[data.BasisKey][]data.BasisRow{}, Funding: map[string][]data.FundingRow{}}
	keys, err := l.BasisKeys()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		b, err := l.ReadBasis(k)
		if err != nil {
			t.Fatal(err)
		}
		s.Basis[k] = b.Rows
	}
	syms, _ := l.FundingSymbols()
	for _, sym := range syms {
		f, err := l.ReadFunding(sym)
		if err != nil {
			t.Fatal(err)
		}
		s.Funding[sym] = f.Rows
	}
	return s
}

func assertSameLake(t *testing.T, got, want snapshot) {
	t.Helper()
	if len(got.Basis) != len(want.Basis) || len(got.Funding) != len(want.Funding) {
		t.Fatalf("lake has %d basis and %d funding series, want %d and %d", len(got.Basis), len(got.Funding), len(want.Basis), len(want.Funding))
	}
	for k, rows := range want.Basis {
		if !reflect.DeepEqual(got.Basis[k], rows) {
			t.Errorf("%s: %d rows, want %d (or values differ)", k, len(got.Basis[k]), len(rows))
		}
	}
	for sym, rows := range want.Funding {
		if !reflect.DeepEqual(got.Funding[sym], rows) {
			t.Errorf("funding %s: %d rows, want %d (or values differ)", sym, len(got.Funding[sym]), len(rows))
		}
	}
}

// referenceLake is the lake a fault-free run of cfg produces.
func referenceLake(t *testing.T, cfg Config) snapshot {
	t.Helper()
	e := newEnv(t, testMarket(), binancesim.Options{})
	if _, err := e.run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return snap(t, e.lake)
}

func resultFor(rs []Result, name string) Result {
	for _, r := range rs {
		if r.Series.String() == name {
			return r
		}
	}
	return Result{}
}
