package backfill

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
)

// BadPageError is a page the exchange answered that cannot be stored and
// cannot be taken for "nothing here": rows none of which belongs to the
// window asked, or a full page that does not move the cursor. It is asked
// for again; if it persists the series fails with it.
type BadPageError struct {
	Series string
	Window data.Span
	Reason string
}

func (e *BadPageError) Error() string {
	return fmt.Sprintf("%s: the exchange's answer for %s to %s is unusable: %s", e.Series,
		e.Window.From.UTC().Format(time.RFC3339), e.Window.To.UTC().Format(time.RFC3339), e.Reason)
}

func badPage(series string, w data.Span, raw int, fix repairs) error {
	return &BadPageError{Series: series, Window: w, Reason: fmt.Sprintf("none of its %d rows belongs to the window asked (%s)", raw, fix.String())}
}

// retryBadPages calls fetch again while it returns a *BadPageError, as the
// retry policy says. Transport faults are retried below, by the source.
func retryBadPages[T any](ctx context.Context, b *Backfiller, op string, fetch func() (T, error)) (T, error) {
	isBad := func(err error) bool {
		var bad *BadPageError
		return errors.As(err, &bad)
	}
	return retryWhile(ctx, b.policy.withDefaults(), b.logger, op+" page", isBad, fetch)
}
