// Package cmdutil holds what every carry command shares: the factory of
// injected dependencies, error kinds and their exit codes, and flag helpers.
package cmdutil

import (
	"context"
	"errors"
	"fmt"

	"github.com/carry-research/carry/data/lake"
)

// Exit codes, mapped from errors in one place (ExitCode).
const (
	ExitOK = 0
	// ExitError: the command failed, or another process held a partition
	// of the lake past the lock wait.
	ExitError = 1
	// ExitUsage: bad flags or arguments; nothing was done.
	ExitUsage = 2
	// ExitPartial: some series or runs failed, the others completed and
	// were stored.
	ExitPartial = 3
	// ExitRetryLater: the exchange refused service (HTTP 418 ban or
	// persistent 429); everything fetched so far is stored.
	ExitRetryLater = 4
	// ExitInterrupted: stopped by SIGINT/SIGTERM; committed work is kept.
	ExitInterrupted = 130
)

// FlagError is a usage error: a bad flag, argument or parameter.
type FlagError struct{ Err error }

func (e *FlagError) Error() string { return e.Err.Error() }
func (e *FlagError) Unwrap() error { return e.Err }

// FlagErrorf builds a FlagError.
func FlagErrorf(format string, args ...any) error {
	return &FlagError{Err: fmt.Errorf(format, args...)}
}

// PartialError says that some items failed while others succeeded.
type PartialError struct {
	Failed, Total int
	Err           error
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("%d of %d failed: %v", e.Failed, e.Total, e.Err)
}
func (e *PartialError) Unwrap() error { return e.Err }

// RetryLaterError says the remote service refused us for a while.
type RetryLaterError struct{ Err error }

func (e *RetryLaterError) Error() string { return e.Err.Error() }
func (e *RetryLaterError) Unwrap() error { return e.Err }

// ExitCode maps an error returned by a command to the process exit code.
func ExitCode(err error) int {
	var (
		flagErr    *FlagError
		partialErr *PartialError
		retryErr   *RetryLaterError
		lockErr    *lake.LockTimeoutError
	)
	switch {
	case err == nil:
		return ExitOK
	case errors.As(err, &retryErr):
		return ExitRetryLater
	case errors.Is(err, context.Canceled):
		return ExitInterrupted
	case errors.As(err, &flagErr):
		return ExitUsage
	case errors.As(err, &lockErr):
		// Not a partial failure of the run's series but a clash with
		// another run of carry on the same lake: the setup needs a look.
		return ExitError
	case errors.As(err, &partialErr):
		return ExitPartial
	}
	return ExitError
}
