package backtest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// TestFetchAdviceKnowsTheBasisRetention: a window within Binance's ~30 days
// of basis gets the command that fetches it; one starting before gets told
// the older basis cannot be fetched (the funding can), never a --since the
// exchange cannot serve for basis.
func TestFetchAdviceKnowsTheBasisRetention(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	recent := Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: now.AddDate(0, 0, -10)}
	if got := fetchAdvice("fetch it with", recent, data.Perpetual, now); got != "fetch it with: carry backfill --symbols BTCUSDT --datasets basis,funding --periods 1h --contract-types PERPETUAL --since 2026-11-20" {
		t.Errorf("recent window: %s", got)
	}
	old := Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	got := fetchAdvice("fetch it with", old, data.Perpetual, now)
	for _, want := range []string{
		"keeps only about 30 days, so the basis before 2026-11-01 cannot be fetched",
		"the funding can: carry backfill --symbols BTCUSDT --datasets funding --since 2026-06-01",
		"--contract-types PERPETUAL --since 2026-11-01",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("old window: no %q in\n%s", want, got)
		}
	}
	if strings.Contains(got, "basis,funding --periods 1h --contract-types PERPETUAL --since 2026-06-01") {
		t.Errorf("old window: advises fetching basis Binance no longer serves:\n%s", got)
	}
}

// TestLoadSaysOldBasisCannotBeFetched: Load's error for a window of basis
// months ago says so.
func TestLoadSaysOldBasisCannotBeFetched(t *testing.T) {
	l := testLake(t)
	from := time.Now().UTC().AddDate(0, -3, 0).Truncate(24 * time.Hour)
	_, err := Load(l, Spec{Symbol: "ETHUSDT", Period: "1h", Contract: data.Perpetual, From: from})
	if !errors.Is(err, ErrMissingData) || !strings.Contains(err.Error(), "cannot be fetched") ||
		!strings.Contains(err.Error(), "--datasets funding --since "+from.Format("2006-01-02")) {
		t.Errorf("err = %v", err)
	}
}
