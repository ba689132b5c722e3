package backfill

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

func TestCleanRunIsCompleteWithMinimalRequests(t *testing.T) {
	m := testMarket()
	e := newEnv(t, m, binancesim.Options{})
	cfg := config(20*24*time.Hour, "BTCUSDT")
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []data.BasisKey{perp1h, cq4h} {
		want := 0
		for _, r := range m.Basis(binancesim.BasisKey{Pair: k.Pair, ContractType: string(k.ContractType), Period: string(k.Period)}) {
			if !time.UnixMilli(r.Timestamp).Before(cfg.Since) {
				want++
			}
		}
		s, err := e.lake.ReadBasis(k)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Rows) != want {
			t.Errorf("%s: %d rows stored, want %d", k, len(s.Rows), want)
		}
		res := resultFor(results, k.String())
		if min := int64(math.Ceil(float64(want) / binance.MaxBasisLimit)); res.Requests != min {
			t.Errorf("%s: %d requests, want the minimum ceil(%d/500) = %d", k, res.Requests, want, min)
		}
	}
	f, _ := e.lake.ReadFunding("BTCUSDT")
	if len(f.Rows) != 60 { // 20 days × 3 events
		t.Errorf("funding rows = %d, want 60", len(f.Rows))
	}
	if r := resultFor(results, "funding BTCUSDT"); r.Requests != 1 {
		t.Errorf("funding requests = %d, want 1", r.Requests)
	}
	if f.Rows[0].FundingIntervalHours != 8 || f.State.IntervalHours != 8 {
		t.Errorf("funding interval not recorded: %+v", f.State)
	}
	// The quarterly's delivery date is stored for the engine, and the
	// perpetual's row (its status) for a portfolio's universe.
	cs, err := e.lake.ReadContracts("BTCUSDT")
	var quarter, perp int
	for _, c := range cs {
		switch {
		case c.ContractType == data.CurrentQuarter && c.DeliveryDate.Equal(time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)):
			quarter++
		case c.ContractType == data.Perpetual && c.Symbol == "BTCUSDT" && c.Status == "TRADING":
			perp++
		}
	}
	if err != nil || len(cs) != 2 || quarter != 1 || perp != 1 {
		t.Errorf("contracts %+v, %v: want the quarter and the perpetual", cs, err)
	}
	// fundingInfo once for the run, besides the series' own requests.
	if n := e.srv.CountRequests("/fapi/v1/fundingInfo"); n != 1 {
		t.Errorf("fundingInfo asked %d times, want 1", n)
	}
}

func TestUpToDateRerunCostsAtMostOneRequest(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	cfg := config(20*24*time.Hour, "BTCUSDT", "ETHUSDT")
	if _, err := e.run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	before := snap(t, e.lake)
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Requests > 1 || r.NewRows != 0 {
			t.Errorf("%s: re-run made %d requests and added %d rows; want at most 1 and 0", r.Series, r.Requests, r.NewRows)
		}
	}
	assertSameLake(t, snap(t, e.lake), before)
}

func TestRerunResumesAfterLastStoredRow(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	cfg := config(10*24*time.Hour, "BTCUSDT")
	e.now = testNow.Add(-24 * time.Hour) // the first run sees the market a day earlier
	cfg.Until = e.now
	if _, err := e.run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	e.now, cfg.Until = testNow, testNow
	e.srv.ResetLog()
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if r := resultFor(results, perp1h.String()); r.NewRows != 24 || r.Requests != 1 {
		t.Errorf("perpetual 1h: %d new rows in %d requests, want 24 in 1", r.NewRows, r.Requests)
	}
	for _, req := range e.srv.Requests() {
		if req.Path != "/futures/data/basis" || req.Query.Get("period") != "1h" || req.Query.Get("contractType") != "PERPETUAL" {
			continue
		}
		if start := req.Query.Get("startTime"); start != itoa(testNow.Add(-24*time.Hour).Truncate(time.Hour).Add(time.Hour).UnixMilli()) {
			t.Errorf("resumed at startTime %s, want the period after the last stored row", start)
		}
	}
	assertSameLake(t, snap(t, e.lake), referenceLake(t, config(10*24*time.Hour, "BTCUSDT")))
}

func TestUnknownSymbolFailsAloneNamingIt(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	cfg := config(5*24*time.Hour, "BTCUSDT", "NOPEUSDT")
	results, err := e.run(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "unknown symbol NOPEUSDT") || !strings.Contains(err.Error(), "-1121") {
		t.Fatalf("err = %v, want one naming NOPEUSDT and -1121", err)
	}
	for _, r := range results {
		bad := strings.Contains(r.Series.String(), "NOPEUSDT")
		if bad != (r.Err != nil) {
			t.Errorf("%s: err = %v", r.Series, r.Err)
		}
		if bad && r.Requests != 1 {
			t.Errorf("%s: %d requests for an unknown symbol, want 1 (no retries)", r.Series, r.Requests)
		}
	}
	if s, _ := e.lake.ReadBasis(perp1h); len(s.Rows) == 0 {
		t.Error("BTCUSDT was not stored because another symbol was unknown")
	}
}

func TestGapsAreRecordedNeverFilled(t *testing.T) {
	m := testMarket()
	holeFrom, holeTo := testNow.Add(-50*time.Hour).Truncate(time.Hour), testNow.Add(-46*time.Hour).Truncate(time.Hour)
	m.RemoveBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, holeFrom.UnixMilli(), holeTo.UnixMilli())
	e := newEnv(t, m, binancesim.Options{})
	cfg := config(5*24*time.Hour, "BTCUSDT")
	cfg.ContractTypes, cfg.Periods, cfg.Funding = []data.ContractType{data.Perpetual}, []data.Period{"1h"}, false
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := resultFor(results, perp1h.String())
	if r.Missing != 5 {
		t.Errorf("missing = %d, want the 5 hours the exchange lacks", r.Missing)
	}
	// One page, asked twice: the second request confirms the hole.
	if r.Requests != 2 {
		t.Errorf("requests = %d, want 2 (one page and its confirmation)", r.Requests)
	}
	st, _ := e.lake.Status()
	if st[0].Missing != 5 || len(st[0].Gaps) != 1 || !st[0].Gaps[0].From.Equal(holeFrom) || !st[0].Gaps[0].To.Equal(holeTo) {
		t.Errorf("status = %+v", st[0])
	}
	s, _ := e.lake.ReadBasis(perp1h)
	for _, row := range s.Rows {
		if row.IndexPrice == 0 {
			t.Fatal("a zero row was stored in the gap")
		}
	}
	// The confirmed gap is covered: a re-run does not ask for it again.
	results, _ = e.run(context.Background(), cfg)
	if r := resultFor(results, perp1h.String()); r.Requests > 1 {
		t.Errorf("re-run made %d requests; the confirmed gap was asked for again", r.Requests)
	}
}

func TestFundingIntervalChangesAreInferred(t *testing.T) {
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "ALICEUSDT", FundingIntervalHours: 4})
	start := testNow.Add(-20 * 24 * time.Hour).Truncate(8 * time.Hour)
	m.GenerateFunding("ALICEUSDT", 8, start, start.Add(5*24*time.Hour), start, 1)
	m.GenerateFunding("ALICEUSDT", 1, start.Add(5*24*time.Hour+time.Hour), start.Add(7*24*time.Hour), start, 2)
	m.GenerateFunding("ALICEUSDT", 4, start.Add(7*24*time.Hour+4*time.Hour), testNow, start, 3)
	e := newEnv(t, m, binancesim.Options{})
	cfg := Config{Symbols: []string{"ALICEUSDT"}, Funding: true, Since: start, Until: testNow, Concurrency: 1}
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := e.lake.ReadFunding("ALICEUSDT")
	var runs []int
	for _, r := range f.Rows {
		if len(runs) == 0 || runs[len(runs)-1] != r.FundingIntervalHours {
			runs = append(runs, r.FundingIntervalHours)
		}
	}
	if len(runs) != 3 || runs[0] != 8 || runs[1] != 1 || runs[2] != 4 {
		t.Errorf("interval runs = %v, want [8 1 4]", runs)
	}
	if f.State.IntervalHours != 4 {
		t.Errorf("current interval = %d, want 4 from fundingInfo", f.State.IntervalHours)
	}
	if r := results[0]; r.Missing != 0 || r.Requests != int64(math.Ceil(float64(len(f.Rows))/1000)) {
		t.Errorf("result %+v for %d events", r, len(f.Rows))
	}
}

func TestCancelledRunResumesToTheSameLake(t *testing.T) {
	cfg := config(40*24*time.Hour, "BTCUSDT", "ETHUSDT")
	want := referenceLake(t, cfg)
	for _, stopAfter := range []int{1, 3, 6, 9} {
		e := newEnv(t, testMarket(), binancesim.Options{})
		ctx, cancel := context.WithCancel(context.Background())
		e.srv.SetFaults(func(n int, _ *http.Request) binancesim.Fault {
			if n == stopAfter {
				cancel()
			}
			return binancesim.Fault{}
		})
		_, err := e.run(ctx, cfg)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stop after %d: err = %v, want context.Canceled", stopAfter, err)
		}
		e.srv.SetFaults(nil)
		if _, err := e.run(context.Background(), cfg); err != nil {
			t.Fatal(err)
		}
		assertSameLake(t, snap(t, e.lake), want)
	}
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

// A contract the exchange has no rows for (here the next quarter, which the
// test market lacks) ends ok with no rows, so the summary can say so; a
// series with rows reports how many the lake holds, before and after a run
// that fetches nothing new.
func TestResultCountsTheSeriesRows(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	cfg := config(3*24*time.Hour, "BTCUSDT")
	cfg.ContractTypes, cfg.Periods, cfg.Funding = []data.ContractType{data.Perpetual, data.NextQuarter}, []data.Period{"1h"}, true
	for run := 1; run <= 2; run++ {
		results, err := e.run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		nq := resultFor(results, data.BasisKey{Pair: "BTCUSDT", ContractType: data.NextQuarter, Period: "1h"}.String())
		if nq.Err != nil || nq.Rows != 0 || nq.NewRows != 0 {
			t.Errorf("run %d: next quarter result %+v, want ok with no rows", run, nq)
		}
		basis, _ := e.lake.ReadBasis(perp1h)
		funding, _ := e.lake.ReadFunding("BTCUSDT")
		if r := resultFor(results, perp1h.String()); r.Rows != len(basis.Rows) || r.Rows < 3*24 {
			t.Errorf("run %d: perpetual result has %d rows, the lake %d", run, r.Rows, len(basis.Rows))
		}
		if r := resultFor(results, "funding BTCUSDT"); r.Rows != len(funding.Rows) || r.Rows < 9 {
			t.Errorf("run %d: funding result has %d rows, the lake %d", run, r.Rows, len(funding.Rows))
		}
	}
}

// TestUnlistedQuarterliesCostNothing: a pair exchangeInfo lists without a
// NEXT_QUARTER contract gets no request for that series, and says why.
func TestUnlistedQuarterliesCostNothing(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	cfg := config(5*24*time.Hour, "BTCUSDT")
	cfg.ContractTypes = []data.ContractType{data.Perpetual, data.NextQuarter}
	cfg.Periods = []data.Period{"1h"}
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	nq := resultFor(results, "basis BTCUSDT NEXT_QUARTER 1h")
	if nq.Requests != 0 || !strings.Contains(nq.Skipped, "lists no NEXT_QUARTER contract for BTCUSDT") {
		t.Errorf("next quarter: %d requests, skipped %q; want 0 and the reason", nq.Requests, nq.Skipped)
	}
	for _, r := range e.srv.Requests() {
		if r.Query.Get("contractType") == "NEXT_QUARTER" {
			t.Errorf("asked for NEXT_QUARTER: %v", r.Query)
		}
	}
}
