package backfill

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// TestMisbehavingServerNeverCoversAWindow: a server that answers null,
// rows of another symbol, a full page past endTime or the same row again
// and again fails the series with a message saying so (no panic, no endless
// paging), claims no coverage from such pages, and once it behaves the
// next run stores everything.
func TestMisbehavingServerNeverCoversAWindow(t *testing.T) {
	cases := []struct {
		kind binancesim.FaultKind
		path string
		want string
	}{
		{binancesim.NullBody, "/fapi/v1/fundingRate", "null"},
		{binancesim.ForeignRows, "/fapi/v1/fundingRate", "none of its"},
		{binancesim.PastEnd, "/fapi/v1/fundingRate", "none of its 1000 rows"},
		{binancesim.SameRow, "/fapi/v1/fundingRate", "does not move the cursor"},
		{binancesim.NullBody, "/futures/data/basis", "null"},
		{binancesim.ForeignRows, "/futures/data/basis", "none of its"},
		{binancesim.PastEnd, "/futures/data/basis", "none of its"},
	}
	cfg := config(45*24*time.Hour, "BTCUSDT")
	cfg.Periods, cfg.ContractTypes = []data.Period{"1h"}, []data.ContractType{data.Perpetual}
	want := referenceLake(t, cfg)
	for _, c := range cases {
		t.Run(string(c.kind)+c.path, func(t *testing.T) {
			e := newEnv(t, testMarket(), binancesim.Options{Faults: binancesim.Always(binancesim.Fault{Kind: c.kind}, c.path)})
			results, err := e.backfillerWith(RetryPolicy{MaxAttempts: 3, BaseDelay: time.Millisecond, MaxDelay: time.Millisecond}).Run(context.Background(), cfg)
			if err == nil {
				t.Fatal("the run succeeded against a server that misbehaves on every page")
			}
			var failed Result
			for _, r := range results {
				if r.Err != nil {
					failed = r
				}
			}
			if failed.Err == nil || !strings.Contains(failed.Err.Error(), c.want) {
				t.Fatalf("series error %v, want one saying %q", failed.Err, c.want)
			}
			var bad *BadPageError
			var br *binance.BadResponseError
			if !errors.As(failed.Err, &bad) && !errors.As(failed.Err, &br) {
				t.Errorf("error %T is neither a bad page nor a bad response", failed.Err)
			}
			if failed.Requests > 12 {
				t.Errorf("%d requests before failing, want a few retries", failed.Requests)
			}
			// Once the server behaves, a run stores everything served.
			e.srv.SetFaults(nil)
			if _, err := e.run(context.Background(), cfg); err != nil {
				t.Fatal(err)
			}
			assertSameLake(t, snap(t, e.lake), want)
		})
	}
}
