package backfillcmd

import (
	"fmt"
	"log/slog"
	"net/url"
	"sync"
	"time"

	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
)

// A ban (HTTP 418) is stored in the lake when it begins and read before a
// run, so that no process sends a request into it: each would make it
// longer.

// storedBan refuses to start a run while a ban stored by an earlier one is
// in force.
func storedBan(lake *lake.Lake, host string, now time.Time) error {
	until, err := lake.Ban(host)
	if err != nil {
		return err
	}
	if !until.After(now) {
		return nil
	}
	return &cmdutil.RetryLaterError{Err: fmt.Errorf("%w (stored in %s by an earlier run); no request was sent", &binance.BannedError{Until: until}, lake.BanPath())}
}

// saveBan stores each ban the limiter meets. A ban that cannot be stored
// is logged: the run stops at the ban anyway.
func saveBan(lake *lake.Lake, host string, logger *slog.Logger) binance.LimiterOption {
	var mu sync.Mutex // requests answered 418 at once: one read-merge-write at a time
	return binance.OnBan(func(until time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if err := lake.SaveBan(until, host); err != nil {
			logger.Error("the ban could not be stored: the next run may send a request into it", "err", err)
		}
	})
}

// hostOf is the host bans are stored under: the base URL's host and port.
func hostOf(baseURL string) string {
	u, err := url.Parse(baseURL)
	if err != nil {
		return baseURL
	}
	return u.Host
}
