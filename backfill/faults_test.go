package backfill

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
)

// TestEveryFaultKindEndsWithTheFaultFreeLake injects each fault kind the
// fake knows (the ban has a test of its own) and checks that the run repairs
// or retries its way to exactly the lake a fault-free run writes.
func TestEveryFaultKindEndsWithTheFaultFreeLake(t *testing.T) {
	cfg := config(40*24*time.Hour, "BTCUSDT", "ETHUSDT")
	want := referenceLake(t, cfg)
	for _, kind := range binancesim.AllFaults() {
		if kind == binancesim.Banned {
			continue
		}
		t.Run(string(kind), func(t *testing.T) {
			f := binancesim.Fault{Kind: kind, RetryAfter: time.Second, Delay: 600 * time.Millisecond}
			plan := binancesim.EveryNth(f, 3, 1)
			if kind == binancesim.TooManyRequests || kind == binancesim.Slow {
				plan = binancesim.Chain(binancesim.Once(f, "/futures/data/basis", 2), binancesim.Once(f, "/fapi/v1/fundingRate", 2))
			}
			e := newEnv(t, testMarket(), binancesim.Options{Faults: plan})
			if kind == binancesim.Slow {
				// A response slower than the client's timeout is a timeout.
				e.client.Timeout = 300 * time.Millisecond
			}
			results, err := e.run(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			assertSameLake(t, snap(t, e.lake), want)
			var retries, repaired int64
			for _, r := range results {
				retries += r.Retries
				repaired += int64(r.Repaired)
			}
			faulted := 0
			for _, r := range e.srv.Requests() {
				if r.Fault == kind {
					faulted++
				}
			}
			if faulted == 0 {
				t.Fatal("the fault was never injected")
			}
			switch kind {
			case binancesim.DuplicateRows, binancesim.OutOfWindow, binancesim.WrongSymbol, binancesim.Shuffled:
				if repaired == 0 {
					t.Errorf("%d faulted pages but no repaired rows counted", faulted)
				}
			case binancesim.MissingRows:
				// Repaired by asking again, not by retrying.
			case binancesim.DropConnection:
				// net/http itself resends a GET whose reused connection
				// was reset, so the retry may never reach our counter;
				// the in-process transport tests count ours.
			default:
				if retries == 0 {
					t.Errorf("%d faulted requests but no retries counted", faulted)
				}
			}
		})
	}
}

func TestRandomFaultsEndWithTheFaultFreeLake(t *testing.T) {
	cfg := config(40*24*time.Hour, "BTCUSDT", "ETHUSDT")
	want := referenceLake(t, cfg)
	var kinds []binancesim.FaultKind
	for _, k := range binancesim.AllFaults() {
		if k != binancesim.Banned && k != binancesim.Slow && k != binancesim.TooManyRequests {
			kinds = append(kinds, k)
		}
	}
	for seed := range uint64(4) {
		e := newEnv(t, testMarket(), binancesim.Options{Faults: binancesim.Random(seed, 0.4, kinds...)})
		if _, err := e.run(context.Background(), cfg); err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		assertSameLake(t, snap(t, e.lake), want)
	}
}

// TestBanStopsAtOnceAndKeepsWhatWasFetched: after a 418 no request reaches
// the host, the run ends with BannedError, and a run after the ban completes
// the same lake a fault-free run writes.
func TestBanStopsAtOnceAndKeepsWhatWasFetched(t *testing.T) {
	cfg := config(40*24*time.Hour, "BTCUSDT", "ETHUSDT")
	want := referenceLake(t, cfg)
	e := newEnv(t, testMarket(), binancesim.Options{
		// After the edge searches' first pages (stored as they come).
		Faults: binancesim.Once(binancesim.Fault{Kind: binancesim.Banned, RetryAfter: time.Second}, "", 20),
	})
	_, err := e.run(context.Background(), cfg)
	var ban *binance.BannedError
	if !errors.As(err, &ban) {
		t.Fatalf("err = %v, want a BannedError", err)
	}
	reqs := e.srv.Requests()
	for i, r := range reqs {
		if r.Status == http.StatusTeapot && i != len(reqs)-1 {
			// Requests already in flight when the ban began may still
			// arrive; none may be sent after the 418 came back.
			late := 0
			for _, later := range reqs[i+1:] {
				if later.Time.After(r.Time) {
					late++
				}
			}
			if late > 2 {
				t.Errorf("%d requests reached the host after the ban", late)
			}
		}
	}
	stored := snap(t, e.lake)
	if len(stored.Basis)+len(stored.Funding) == 0 {
		t.Error("nothing fetched before the ban was kept")
	}
	time.Sleep(1100 * time.Millisecond) // the ban's Retry-After
	e.srv.SetFaults(nil)
	if _, err := e.run(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	assertSameLake(t, snap(t, e.lake), want)
}
