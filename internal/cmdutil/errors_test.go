package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/carry-research/carry/data/lake"
)

func TestExitCode(t *testing.T) {
	cases := []struct {
		err  error
		want int
	}{
		{nil, ExitOK},
		{errors.New("boom"), ExitError},
		{FlagErrorf("bad --since"), ExitUsage},
		{fmt.Errorf("wrapped: %w", &PartialError{Failed: 1, Total: 3, Err: errors.New("x")}), ExitPartial},
		{fmt.Errorf("wrapped: %w", &RetryLaterError{Err: errors.New("banned")}), ExitRetryLater},
		{fmt.Errorf("fetching: %w", context.Canceled), ExitInterrupted},
		// A ban inside a partial failure still says: retry later.
		{&PartialError{Failed: 1, Total: 2, Err: &RetryLaterError{Err: errors.New("418")}}, ExitRetryLater},
		// A partition another run held too long: the runs clash, exit 1,
		// even when the backfill reports it as one failed series.
		{fmt.Errorf("funding BTCUSDT: %w", &lake.LockTimeoutError{Partition: "/lake/funding/symbol=BTCUSDT"}), ExitError},
		{&PartialError{Failed: 1, Total: 2, Err: errors.Join(fmt.Errorf("funding BTCUSDT: %w", &lake.LockTimeoutError{}))}, ExitError},
	}
	for _, c := range cases {
		if got := ExitCode(c.err); got != c.want {
			t.Errorf("ExitCode(%v) = %d, want %d", c.err, got, c.want)
		}
	}
}
