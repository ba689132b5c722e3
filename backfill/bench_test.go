package backfill

import (
	"context"
	"math"
	"net/http"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// benchMarket lists n perpetuals with 40 days of 1h and 1d basis and 8h
// funding.
func benchMarket(n int) (*binancesim.Market, []string) {
	m := binancesim.NewMarket()
	from := testNow.Add(-40 * 24 * time.Hour)
	var syms []string
	for i := range n {
		sym := "B" + itoa(int64(i)) + "USDT"
		syms = append(syms, sym)
		m.AddContract(binancesim.Contract{Symbol: sym})
		m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1h"}, time.Hour, from, testNow, 100, uint64(i), time.Time{})
		m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1d"}, 24*time.Hour, from, testNow, 100, uint64(i), time.Time{})
		m.GenerateFunding(sym, 8, from, testNow, from, uint64(i))
	}
	return m, syms
}

type benchEnv struct {
	srv  *binancesim.Server
	lake *lake.Lake
	b    *Backfiller
}

func newBenchEnv(b *testing.B, m *binancesim.Market, opts binancesim.Options, limits binance.Limits) benchEnv {
	// Whole seconds, so the fake's limit windows line up with the
	// limiter's (testNow is on a whole second too).
	start := time.Now().Truncate(time.Second)
	clock := func() time.Time { return testNow.Add(time.Since(start)) }
	opts.Now = clock
	srv := binancesim.NewServer(m, opts)
	b.Cleanup(srv.Close)
	lake, err := lake.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	c, _ := binance.NewClient(srv.URL, &http.Client{Transport: binance.NewLimiter(nil, limits, nil)})
	return benchEnv{srv, lake, New(c, lake, WithClock(clock))}
}

// BenchmarkCleanRunRequests: a fresh 30-day backfill of 1h basis and funding
// for 20 symbols. Metric requests/minimum is the requests sent over the sum
// of ceil(rows/limit) per series: 1.00 means no request wasted.
func BenchmarkCleanRunRequests(b *testing.B) {
	m, syms := benchMarket(20)
	cfg := Config{Symbols: syms, Basis: true, Funding: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: testNow.Add(-30 * 24 * time.Hour), Until: testNow, Concurrency: 4}
	var ratio float64
	for b.Loop() {
		e := newBenchEnv(b, m, binancesim.Options{}, binance.DefaultLimits)
		results, err := e.b.Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		var sent, minimum int64
		for _, r := range results {
			sent += r.Requests
			limit := float64(binance.MaxBasisLimit)
			if r.Series.Dataset == lake.DatasetFunding {
				limit = binance.MaxFundingLimit
			}
			minimum += int64(math.Ceil(float64(r.NewRows) / limit))
		}
		ratio = float64(sent) / float64(minimum)
	}
	b.ReportMetric(ratio, "requests/minimum")
}

// BenchmarkUpToDateRerun: the same backfill run again at once. Metric
// requests/series must be at most 1.
func BenchmarkUpToDateRerun(b *testing.B) {
	m, syms := benchMarket(20)
	cfg := Config{Symbols: syms, Basis: true, Funding: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: testNow.Add(-30 * 24 * time.Hour), Until: testNow, Concurrency: 4}
	e := newBenchEnv(b, m, binancesim.Options{}, binance.DefaultLimits)
	if _, err := e.b.Run(context.Background(), cfg); err != nil {
		b.Fatal(err)
	}
	var perSeries float64
	for b.Loop() {
		// A fresh client each time, as each cron run is a new process;
		// reusing one would have its funding bucket throttle the loop.
		c, _ := binance.NewClient(e.srv.URL, &http.Client{Transport: binance.NewLimiter(nil, binance.DefaultLimits, nil)})
		results, err := New(c, e.lake, WithClock(e.b.now)).Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		var sent int64
		for _, r := range results {
			sent += r.Requests
		}
		perSeries = float64(sent) / float64(len(results))
	}
	b.ReportMetric(perSeries, "requests/series")
}

// BenchmarkManySeriesRateBound: N one-request series (30 days of 1d basis)
// against the fake with 10 ms latency and a weight limit of 200 per 1-second
// window (Binance's 2,400 per minute, scaled down so the benchmark takes
// seconds), 8 workers. No client can finish faster than the exchange's limit
// and its own latency allow together: (ceil(N/200) − 1) full windows, then
// the remaining requests at 8 per 10 ms round trip (or, if latency binds
// first, N × 10 ms / 8). Metric wall/bound is the wall time over that bound.
// N = 560 and 600 sit on either side of a window cliff: the limiter holds at
// 200 − 8 (the requests that may be in flight), so 600 needs a fourth window
// where the exchange's bound needs three.
func BenchmarkManySeriesRateBound(b *testing.B) {
	for _, n := range []int{560, 600} {
		b.Run("series="+itoa(int64(n)), func(b *testing.B) { benchRateBound(b, n) })
	}
}

func benchRateBound(b *testing.B, series int) {
	const (
		limit, workers  = 200, 8
		window, latency = time.Second, 10 * time.Millisecond
	)
	m := binancesim.NewMarket()
	from := testNow.Add(-40 * 24 * time.Hour)
	var syms []string
	for i := range series {
		sym := "R" + itoa(int64(i)) + "USDT"
		syms = append(syms, sym)
		m.AddContract(binancesim.Contract{Symbol: sym})
		m.GenerateBasis(binancesim.BasisKey{Pair: sym, ContractType: "PERPETUAL", Period: "1d"}, 24*time.Hour, from, testNow, 100, uint64(i), time.Time{})
	}
	cfg := Config{Symbols: syms, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: testNow.Add(-30 * 24 * time.Hour), Until: testNow, Concurrency: workers}
	full := int(math.Ceil(float64(series)/limit)) - 1
	rateBound := time.Duration(full)*window + time.Duration(series-full*limit)*latency/workers
	latencyBound := time.Duration(series) * latency / workers
	bound := max(rateBound, latencyBound)
	var ratio float64
	var limited int
	for b.Loop() {
		e := newBenchEnv(b, m, binancesim.Options{Latency: latency, WeightPerMinute: limit, WeightWindow: window},
			binance.Limits{Weight: limit, WeightWindow: window, Funding: 500, FundingWindow: 5 * time.Minute, InFlight: workers})
		// Start at a window boundary, as the bound assumes.
		time.Sleep(time.Until(time.Now().Truncate(window).Add(window)))
		start := time.Now()
		if _, err := e.b.Run(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
		ratio = float64(time.Since(start)) / float64(bound)
		for _, r := range e.srv.Requests() {
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
		}
	}
	b.ReportMetric(ratio, "wall/bound")
	b.ReportMetric(bound.Seconds(), "bound_s")
	b.ReportMetric(float64(limited), "429s")
}

// BenchmarkEdgeSearchRequests: a fresh `--since max` backfill of 1h basis
// for 20 symbols from an exchange that keeps 30 days: the edge is searched
// for on the exchange's answers. Metric requests/minimum as above; the
// excess over 1.00 is the search (about 10 requests a series).
func BenchmarkEdgeSearchRequests(b *testing.B) {
	m, syms := benchMarket(20)
	cfg := Config{Symbols: syms, Basis: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: data.EarliestHistory, Until: testNow, Concurrency: 4}
	var ratio, perSeries float64
	for b.Loop() {
		e := newBenchEnv(b, m, binancesim.Options{}, binance.DefaultLimits)
		results, err := e.b.Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		var sent, minimum int64
		for _, r := range results {
			sent += r.Requests
			minimum += int64(math.Ceil(float64(r.NewRows) / binance.MaxBasisLimit))
		}
		ratio = float64(sent) / float64(minimum)
		perSeries = float64(sent-minimum) / float64(len(results))
	}
	b.ReportMetric(ratio, "requests/minimum")
	b.ReportMetric(perSeries, "search-requests/series")
}
