package backfill

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// retentionCase is an exchange that keeps some days of basis history, with
// a clock that may differ from carry's, and ways of answering that the
// documentation leaves open.
type retentionCase struct {
	days     int
	period   data.Period
	skew     time.Duration // the exchange's clock minus carry's
	anchor   string        // which rows a window over the server's limit answers with
	maxLimit int           // the server's own cap on rows per request (0: 500)
	oldEmpty bool          // too-old windows answered empty instead of -1130
}

func (c retentionCase) String() string {
	return fmt.Sprintf("%dd/%s/skew%s/anchor-%s/limit%d/empty-%v", c.days, c.period, c.skew, c.anchor, c.maxLimit, c.oldEmpty)
}

func retentionCases() []retentionCase {
	var cs []retentionCase
	// Every retention with every period (5m only where the history is short).
	for _, days := range []int{30, 40, 45, 550} {
		for _, p := range []data.Period{"5m", "1h", "4h", "1d"} {
			if p == "5m" && days > 40 {
				continue
			}
			cs = append(cs, retentionCase{days: days, period: p})
		}
	}
	// The exchange's clock behind and ahead of carry's, by minutes and days.
	for _, skew := range []time.Duration{-7 * time.Minute, 7 * time.Minute, -10 * 24 * time.Hour, 10 * 24 * time.Hour} {
		for _, p := range []data.Period{"5m", "1h", "1d"} {
			cs = append(cs, retentionCase{days: 30, period: p, skew: skew})
		}
		cs = append(cs, retentionCase{days: 45, period: "4h", skew: skew, oldEmpty: true})
	}
	// Servers that answer fewer rows than asked, from either end.
	for _, anchor := range []string{"end", "start"} {
		for _, p := range []data.Period{"5m", "1h", "1d"} {
			cs = append(cs, retentionCase{days: 40, period: p, anchor: anchor, maxLimit: 120})
		}
		cs = append(cs, retentionCase{days: 550, period: "1d", anchor: anchor, maxLimit: 120, oldEmpty: true, skew: -3 * 24 * time.Hour})
	}
	if raceEnabled {
		// A sample: every retention, clock skew and kind of server still
		// appears (5m once), at about a quarter of the cost.
		var some []retentionCase
		for i, c := range cs {
			if c.period == "1d" || c.period == "4h" || i%8 == 0 || c.period == "1h" && i%4 == 1 {
				some = append(some, c)
			}
		}
		return some
	}
	return cs
}

// TestEveryServedRowIsStored: whatever the exchange keeps, however its
// clock differs from carry's and however it answers, a backfill with
// --since max stores every basis row the exchange serves, row for row, and
// a re-run asks at most once per series.
func TestEveryServedRowIsStored(t *testing.T) {
	carryNow := time.Date(2026, 11, 20, 9, 17, 0, 0, time.UTC)
	for _, c := range retentionCases() {
		t.Run(c.String(), func(t *testing.T) {
			t.Parallel()
			serverNow := carryNow.Add(c.skew)
			key := data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: c.period}
			step := c.period.Duration()
			m := binancesim.NewMarket()
			m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
			retention := time.Duration(c.days) * 24 * time.Hour
			// The market holds more than the exchange serves.
			m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: string(c.period)}, step,
				serverNow.Add(-retention-20*24*time.Hour), serverNow, 60000, 3, time.Time{})
			srv := binancesim.NewUnstarted(m, binancesim.Options{Now: func() time.Time { return serverNow },
				BasisRetention: retention, DailyBasisRetention: retention, BasisAnchor: c.anchor, BasisMaxLimit: c.maxLimit, OldBasisEmpty: c.oldEmpty})
			lake, err := lake.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			client, err := binance.NewClient("http://fake.invalid", &http.Client{Transport: srv.Transport()})
			if err != nil {
				t.Fatal(err)
			}
			b := New(client, lake, WithClock(func() time.Time { return carryNow }), WithLogger(testLogger(t)))
			cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{c.period}, ContractTypes: []data.ContractType{data.Perpetual},
				Since: data.EarliestHistory, Until: carryNow, UntilNow: true, Concurrency: 1}
			results, err := b.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			served := servedBasis(m, key, serverNow.Add(-retention), serverNow)
			got, err := lake.ReadBasis(key)
			if err != nil {
				t.Fatal(err)
			}
			assertRowsEqual(t, got.Rows, served)
			if hs := got.State.HistoryStart; !hs.Equal(served[0].Timestamp) {
				t.Errorf("history_start %s, want the oldest served row %s", hs, served[0].Timestamp)
			}
			t.Logf("%d rows in %d requests", len(got.Rows), results[0].Requests)

			srv.ResetLog()
			results, err = b.Run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r := results[0]; r.Requests > 1 {
				t.Errorf("re-run made %d requests, want at most 1", r.Requests)
			}
		})
	}
}

// servedBasis is what the fake serves of a series: rows from the retention's
// start to now.
func servedBasis(m *binancesim.Market, key data.BasisKey, oldest, now time.Time) []data.BasisRow {
	var out []data.BasisRow
	for _, r := range m.Basis(binancesim.BasisKey{Pair: key.Pair, ContractType: string(key.ContractType), Period: string(key.Period)}) {
		if r.Timestamp < oldest.UnixMilli() || r.Timestamp > now.UnixMilli() {
			continue
		}
		out = append(out, basisRow(r))
	}
	return out
}

func basisRow(r binancesim.BasisRecord) data.BasisRow {
	row := data.BasisRow{Timestamp: time.UnixMilli(r.Timestamp).UTC()}
	row.IndexPrice, _ = data.ParseExact(r.IndexPrice)
	row.FuturesPrice, _ = data.ParseExact(r.FuturesPrice)
	row.Basis, _ = data.ParseExact(r.Basis)
	row.BasisRate, _ = data.ParseExact(r.BasisRate)
	return row
}

// assertRowsEqual compares timestamps one by one and prices of each row.
func assertRowsEqual(t *testing.T, got, want []data.BasisRow) {
	t.Helper()
	if len(got) != len(want) {
		first := func(rs []data.BasisRow) string {
			if len(rs) == 0 {
				return "none"
			}
			return rs[0].Timestamp.Format(time.RFC3339) + " to " + rs[len(rs)-1].Timestamp.Format(time.RFC3339)
		}
		t.Fatalf("stored %d rows (%s), the exchange serves %d (%s)", len(got), first(got), len(want), first(want))
	}
	for i := range want {
		if !got[i].Timestamp.Equal(want[i].Timestamp) || got[i].IndexPrice != want[i].IndexPrice || got[i].FuturesPrice != want[i].FuturesPrice {
			t.Fatalf("row %d: stored %+v, served %+v", i, got[i], want[i])
		}
	}
}

// TestHistoryStartIsEvidenceNotAFence: a stored history_start is asked
// across again when the documentation says more should be served (an edge
// younger than 30 days, as an earlier carry stored with a skewed clock) and
// when --since is given earlier than it; one request tells when nothing more
// is served.
func TestHistoryStartIsEvidenceNotAFence(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 17, 0, 0, time.UTC)
	key := data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT"})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, now.Add(-90*24*time.Hour), now, 60000, 3, time.Time{})
	lake, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	run := func(days int, sinceExplicit bool) Result {
		t.Helper()
		retention := time.Duration(days) * 24 * time.Hour
		srv := binancesim.NewUnstarted(m, binancesim.Options{Now: func() time.Time { return now }, BasisRetention: retention})
		client, err := binance.NewClient("http://fake.invalid", &http.Client{Transport: srv.Transport()})
		if err != nil {
			t.Fatal(err)
		}
		b := New(client, lake, WithClock(func() time.Time { return now }), WithLogger(testLogger(t)))
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"1h"}, ContractTypes: []data.ContractType{data.Perpetual},
			Since: data.EarliestHistory, SinceExplicit: sinceExplicit, Until: now, UntilNow: true, Concurrency: 1}
		results, err := b.Run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		got, err := lake.ReadBasis(key)
		if err != nil {
			t.Fatal(err)
		}
		assertRowsEqual(t, got.Rows, servedBasis(m, key, now.Add(-retention), now))
		return results[0]
	}
	// An edge stored 20 days back, where the documentation promises 30.
	run(20, false)
	// The default run checks it again and finds the 30 days served.
	run(30, false)
	// An explicit --since earlier than the edge asks again: 60 days now.
	run(60, true)
	// Nothing more served: one request says so (the clock stands still,
	// so the newest window is covered already).
	if r := run(60, true); r.Requests != 1 || r.NewRows != 0 {
		t.Errorf("re-check with nothing more served: %d requests and %d new rows, want 1 and 0", r.Requests, r.NewRows)
	}
	// Without --since, a stored edge older than 30 days costs nothing.
	if r := run(60, false); r.Requests > 1 {
		t.Errorf("default run over an old edge: %d requests, want at most 1", r.Requests)
	}
}

// TestSeriesWithoutRowsCostsOneRequest: a series the exchange serves
// nothing of (a period it does not serve, a pair without that contract)
// costs a search once; every later run asks only its newest window, and
// rows that appear later are found there.
func TestSeriesWithoutRowsCostsOneRequest(t *testing.T) {
	for _, unlimited := range []bool{false, true} {
		e := newEnv(t, testMarket(), binancesim.Options{DailyBasisRetention: map[bool]time.Duration{false: 30 * 24 * time.Hour, true: 0}[unlimited]})
		cfg := Config{Symbols: []string{"BTCUSDT"}, Basis: true, Periods: []data.Period{"1d"}, ContractTypes: []data.ContractType{data.Perpetual},
			Since: data.EarliestHistory, Until: testNow, UntilNow: true, Concurrency: 1}
		first, err := e.run(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			results, err := e.run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			if r := results[0]; r.Requests > 1 {
				t.Errorf("unlimited=%v: a later run made %d requests for a series with no rows (the first made %d), want 1", unlimited, r.Requests, first[0].Requests)
			}
		}
	}
}
