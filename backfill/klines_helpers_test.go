package backfill

import (
	"errors"
	"net/http/httptest"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// archiveEnv is env with the fake public archive beside the fake
// exchange, both serving the same candles and funding events.
type archiveEnv struct {
	*env
	market *binancesim.Market
	arch   *binancesim.Archive
	url    string
}

// newArchiveEnv derives keys' candles from m's basis, publishes the
// archived ones (monthly files, and daily files from dailyFrom) and the
// symbols' funding (stating intervalHours), and serves both.
func newArchiveEnv(t *testing.T, m *binancesim.Market, keys []data.KlineKey, dailyFrom time.Time, funding []string, intervalHours int) *archiveEnv {
	t.Helper()
	e := &archiveEnv{env: newEnv(t, m, binancesim.Options{}), market: m}
	e.arch = binancesim.NewArchive(binancesim.ArchiveOptions{Now: e.clock})
	for _, k := range keys {
		if err := m.DeriveKlines(k); err != nil {
			t.Fatal(err)
		}
		if k.Kind != data.KlineContinuous {
			if _, err := e.arch.PublishKlines(m, k, dailyFrom); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, sym := range funding {
		e.arch.PublishFunding(m, sym, intervalHours)
	}
	srv := httptest.NewServer(e.arch)
	t.Cleanup(srv.Close)
	e.url = srv.URL
	return e
}

func (e *archiveEnv) backfiller() *Backfiller {
	c, err := binance.NewClient(e.srv.URL, e.client, binance.WithSpotBaseURL(e.srv.URL))
	if err != nil {
		e.t.Fatal(err)
	}
	return New(c, e.lake, WithClock(e.clock), WithLogger(testLogger(e.t)),
		WithRetryPolicy(RetryPolicy{BaseDelay: time.Millisecond, MaxDelay: 20 * time.Millisecond}), WithArchive(e.url, nil))
}

// klineConfig is the kline series of symbols at 1h with funding, from
// since back.
func klineConfig(source SourceMode, since time.Time, kinds []data.KlineKind, symbols ...string) Config {
	return Config{Symbols: symbols, Klines: true, Funding: true, Kinds: kinds, Intervals: []data.Interval{"1h"},
		ContractTypes: []data.ContractType{data.Perpetual}, Source: source, Since: since, Until: testNow, UntilNow: true, Concurrency: 4}
}

// klineKeys are the series klineConfig names.
func klineKeys(cfg Config) []data.KlineKey {
	var out []data.KlineKey
	for _, s := range cfg.Plan() {
		if s.Dataset == lake.DatasetKlines {
			out = append(out, s.Kline)
		}
	}
	return out
}

// served is what the fake exchange serves of a series as closed candles
// opening from since on, as the lake stores them.
func served(t *testing.T, m *binancesim.Market, key data.KlineKey, since, now time.Time) []data.KlineRow {
	t.Helper()
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	var out []data.KlineRow
	for _, r := range m.Klines(key) {
		open := time.UnixMilli(r.OpenTime).UTC()
		closeT := time.UnixMilli(r.CloseTime).UTC()
		if open.Before(since) || !closeT.Before(now) {
			continue
		}
		row := data.KlineRow{OpenTime: open, CloseTime: closeT, Open: num(r.Open), High: num(r.High), Low: num(r.Low), Close: num(r.Close)}
		if key.Kind.HasVolume() {
			row.Volume, row.QuoteVolume = data.Some(num(r.Volume)), data.Some(num(r.QuoteVolume))
			row.TakerBuyVolume, row.TakerBuyQuoteVolume = data.Some(num(r.TakerBuyVolume)), data.Some(num(r.TakerBuyQuoteVolume))
			row.Trades = r.Trades
		}
		out = append(out, row)
	}
	return out
}

// assertServed checks that the lake holds every served candle of each
// key, row for row, and nothing else.
func assertServed(t *testing.T, l *lake.Lake, m *binancesim.Market, keys []data.KlineKey, since, now time.Time) {
	t.Helper()
	for _, k := range keys {
		got, err := l.ReadKlines(k)
		if err != nil {
			t.Errorf("%s: %v", k, err)
			continue
		}
		want := served(t, m, k, since, now)
		if !reflect.DeepEqual(got.Rows, want) {
			t.Errorf("%s: %d rows stored, %d served (or values differ)", k, len(got.Rows), len(want))
		}
	}
}

// filesFailedOf returns the failed files of a result, or nil.
func filesFailedOf(r Result) *FilesFailedError {
	var ff *FilesFailedError
	if errors.As(r.Err, &ff) {
		return ff
	}
	return nil
}
