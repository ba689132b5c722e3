package backfillcmd

import (
	"strings"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
)

// EarliestBound is the oldest --since or --until accepted: Binance
// USDⓈ-M futures began in September 2019, so an older bound can only be a
// mistake (a year 1900, an overflowing duration) that the exchange would
// answer with -1100 for every request. --since max asks for all it serves.
var EarliestBound = time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC)

// checkWindow checks --since and --until (as written, and as read).
func checkWindow(sinceText, untilText string, since, until, now time.Time) error {
	if err := checkTimeBounds("since", sinceText, since, now); err != nil {
		return err
	}
	return checkTimeBounds("until", untilText, until, now)
}

// checkTimeBounds refuses, before any request, a --since or --until before
// EarliestBound or after now (the exchange has nothing from the future);
// the error names the flag and the value as written.
func checkTimeBounds(flag, text string, t, now time.Time) error {
	what := "--" + flag + " " + text
	if !strings.HasPrefix(t.Format(time.RFC3339), text) {
		what += " (" + t.Format(time.RFC3339) + ")" // a duration back, or another zone
	}
	switch {
	case t.Before(EarliestBound):
		return cmdutil.FlagErrorf("%s is before %s, long before USDⓈ-M futures began (September 2019): a mistyped date? (--since max asks for all the exchange serves)",
			what, EarliestBound.Format("2006-01-02"))
	case t.After(now):
		return cmdutil.FlagErrorf("%s is in the future: the exchange has nothing after now (%s)", what, now.UTC().Format(time.RFC3339))
	}
	return nil
}
