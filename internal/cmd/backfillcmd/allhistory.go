package backfillcmd

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/archive"
)

// allHistory is the --symbols keyword for every perpetual that existed in
// the window, delisted ones included: research over years without
// survivorship bias.
const allHistory = "all-history"

// historyInterval is the interval whose monthly futures files tell which
// months a symbol existed: every archived symbol has 1h files.
const historyInterval = "1h"

// withHistory adds to trading (the perpetuals trading now) those the
// archive holds monthly futures klines of in the window
// (archive.Lister.PerpetualsIn), sorted, each once.
func withHistory(ctx context.Context, l *archive.Lister, cfg backfill.Config, now time.Time, trading []string, log *slog.Logger) ([]string, error) {
	hist, err := l.PerpetualsIn(ctx, cfg.Since, cfg.Until, now, historyInterval)
	if err != nil {
		return nil, err
	}
	out := slices.Concat(trading, hist)
	slices.Sort(out)
	out = slices.Compact(out)
	log.Info("symbols: all-history", "trading_now", len(trading), "in_archive_in_window", len(hist), "not_trading_now", len(out)-len(trading))
	return out, nil
}
