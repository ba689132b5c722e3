package backfill

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// TestBasisOldEdge asks for more basis history than the exchange keeps, for
// both ways the exchange answers a too-old window (error -1130 or an empty
// page), and checks that the edge is found in few requests, that everything
// served is stored, and that a re-run asks nothing beyond the edge.
func TestBasisOldEdge(t *testing.T) {
	for _, emptyPages := range []bool{false, true} {
		for _, period := range []data.Period{"1h", "4h"} {
			name := map[bool]string{false: "error-1130", true: "empty-page"}[emptyPages] + "/" + string(period)
			t.Run(name, func(t *testing.T) {
				e := newEnv(t, testMarket(), binancesim.Options{OldBasisEmpty: emptyPages})
				key := data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: period}
				cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{period}, ContractTypes: []data.ContractType{data.Perpetual},
					Since: testNow.Add(-55 * 24 * time.Hour), Until: testNow, Concurrency: 1}
				results, err := e.run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				s, err := e.lake.ReadBasis(key)
				if err != nil {
					t.Fatal(err)
				}
				step := period.Duration()
				edge := testNow.Add(-30 * 24 * time.Hour)
				// Everything the exchange serves is stored: the first row is
				// the first grid point at or after its 30-day edge.
				if first, want := s.Rows[0].Timestamp, ceilGrid(edge, step); !first.Equal(want) {
					t.Errorf("first stored row %s, want the oldest served %s", first, want)
				}
				if s.State.HistoryStart.IsZero() || !s.State.HistoryStart.Equal(s.Rows[0].Timestamp) {
					t.Errorf("history start %s, want the first row %s", s.State.HistoryStart, s.Rows[0].Timestamp)
				}
				windows := math.Ceil(55 * 24 * float64(time.Hour) / float64(step) / binance.MaxBasisLimit)
				pages := math.Ceil(float64(len(s.Rows)) / binance.MaxBasisLimit)
				// The edge search costs a gallop and a bisection over the
				// windows, and a bisection over the grid points of the
				// edge's window (log2 of 1,000 at most), besides the pages.
				bound := int64(pages + 2*math.Ceil(math.Log2(windows+1)) + 10 + 2)
				if r := results[0]; r.Requests > bound {
					t.Errorf("%d requests for %v pages over %v windows, want at most %d", r.Requests, pages, windows, bound)
				}
				e.srv.ResetLog()
				results, err = e.run(context.Background(), cfg)
				if err != nil {
					t.Fatal(err)
				}
				if r := results[0]; r.Requests > 1 {
					t.Errorf("re-run made %d requests, want at most 1", r.Requests)
				}
				for _, req := range e.srv.Requests() {
					if start := req.Query.Get("startTime"); start != "" && start < itoa(s.State.HistoryStart.UnixMilli()) {
						t.Errorf("re-run asked for startTime %s, before the known edge", start)
					}
				}
			})
		}
	}
}

// TestDailyBasisServesMoreHistory: period 1d has been seen serving more than
// 30 days; with since=max the backfill finds wherever the history starts.
func TestDailyBasisServesMoreHistory(t *testing.T) {
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	listed := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1d"}, 24*time.Hour, listed, testNow, 60000, 7, time.Time{})
	e := newEnv(t, m, binancesim.Options{})
	cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: data.EarliestHistory, Until: testNow, Concurrency: 1}
	results, err := e.run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	s, _ := e.lake.ReadBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1d"})
	if len(s.Rows) != len(m.Basis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1d"})) || !s.Rows[0].Timestamp.Equal(listed) {
		t.Errorf("stored %d rows from %s; want all of them from %s", len(s.Rows), s.Rows[0].Timestamp, listed)
	}
	t.Logf("%d daily rows in %d requests", len(s.Rows), results[0].Requests)
}

// TestBasisOldEdgeWithSlowClock: our clock 150 minutes behind the
// exchange's; the edge is found on the exchange's answers, so everything
// from it on is stored.
func TestBasisOldEdgeWithSlowClock(t *testing.T) {
	e := newEnv(t, testMarket(), binancesim.Options{})
	c, err := binance.NewClient(e.srv.URL, e.client)
	if err != nil {
		t.Fatal(err)
	}
	slow := func() time.Time { return e.clock().Add(-150 * time.Minute) }
	b := New(c, e.lake, WithClock(slow))
	now := slow()
	cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
		Since: now.Add(-40 * 24 * time.Hour), Until: now, Concurrency: 1}
	if _, err := b.Run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	s, _ := e.lake.ReadBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"})
	oldest := ceilGrid(e.clock().Add(-30*24*time.Hour), time.Hour)
	if first := s.Rows[0].Timestamp; first.Before(oldest) || first.After(oldest.Add(time.Hour)) {
		t.Errorf("first row %s, want within a period of the exchange's edge %s", first, oldest)
	}
	if gaps := data.BasisGaps(s.Times(), "1h"); len(gaps) != 0 {
		t.Errorf("gaps %v", gaps)
	}
}
