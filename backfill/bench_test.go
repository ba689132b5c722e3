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

// BenchmarkFundingWindowBound: N one-page funding series (30 days of 8h
// funding) against the fake with 10 ms latency, 8 workers, and the shared
// funding limit of 500 per window, the window scaled from 5 minutes down to
// 3 s so that the benchmark takes seconds (the limiter and the fake take it
// as a parameter). The limiter keeps 500 − 25 (its margin) = 475 sends in
// any trailing window. No client keeping to that can beat the window's
// bound: ceil((N + 1 − 475)/475) whole windows (N series + fundingInfo),
// then the last requests at 8 per 10 ms round trip; with N + 1 ≤ 475 that is
// the latency bound alone, (N + 1) × 10 ms / 8. Metric wall/bound is the
// wall time over that bound; sent/bound the same for the last request's
// arrival at the fake (without the lake's last writes).
func BenchmarkFundingWindowBound(b *testing.B) {
	for _, n := range []int{200, 600} {
		b.Run("series="+itoa(int64(n)), func(b *testing.B) { benchFundingWindow(b, n) })
	}
}

func benchFundingWindow(b *testing.B, series int) {
	const (
		limit, margin, workers = 500, 25, 8
		window, latency        = 3 * time.Second, 10 * time.Millisecond
	)
	m := binancesim.NewMarket()
	from := testNow.Add(-40 * 24 * time.Hour)
	var syms []string
	for i := range series {
		sym := "F" + itoa(int64(i)) + "USDT"
		syms = append(syms, sym)
		m.AddContract(binancesim.Contract{Symbol: sym})
		m.GenerateFunding(sym, 8, from, testNow, from, uint64(i))
	}
	cfg := Config{Symbols: syms, Funding: true, Since: testNow.Add(-30 * 24 * time.Hour), Until: testNow, Concurrency: workers}
	requests, allow := series+1, limit-margin
	windows := max(0, int(math.Ceil(float64(requests-allow)/float64(allow))))
	tail := requests - windows*allow
	bound := time.Duration(windows)*window + time.Duration(math.Ceil(float64(tail)/workers))*latency
	var ratio, sentRatio float64
	var limited int
	for b.Loop() {
		e := newBenchEnv(b, m, binancesim.Options{Latency: latency, FundingWindow: window},
			binance.Limits{Weight: 2400, WeightWindow: time.Minute, Funding: limit, FundingMargin: margin, FundingWindow: window, InFlight: workers})
		start, fakeStart := time.Now(), e.b.now()
		if _, err := e.b.Run(context.Background(), cfg); err != nil {
			b.Fatal(err)
		}
		ratio = float64(time.Since(start)) / float64(bound)
		var last time.Time
		for _, r := range e.srv.Requests() {
			if r.Status == http.StatusTooManyRequests {
				limited++
			}
			last = r.Time
		}
		// On the fake's clock: the last arrival, answered a latency later.
		sentRatio = float64(last.Sub(fakeStart)+latency) / float64(bound)
	}
	b.ReportMetric(ratio, "wall/bound")
	b.ReportMetric(sentRatio, "sent/bound")
	b.ReportMetric(bound.Seconds(), "bound_s")
	b.ReportMetric(float64(limited), "429s")
}
