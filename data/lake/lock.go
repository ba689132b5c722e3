package lake

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// lockFileName is the advisory lock file of a partition directory.
const lockFileName = ".lock"

// DefaultLockWait is how long a writer waits for a partition another writer
// holds before giving up with a *LockTimeoutError. A writer holds a
// partition only while it merges one page (well under a second), so a lock
// held this long belongs to a stuck or stopped process. WithLockWait
// changes it.
const DefaultLockWait = 2 * time.Minute

// Polling bounds while a partition is busy: short at first, so that the
// common brief overlap with another writer costs little, then at most a few
// times a second.
const (
	lockFirstPoll = 5 * time.Millisecond
	lockMaxPoll   = 250 * time.Millisecond
)

// LockTimeoutError says a partition stayed locked by another writer for
// longer than the lake's lock wait. The CLI exits 1 for it.
type LockTimeoutError struct {
	Partition string        // the partition's directory
	Holder    *LockHolder   // nil when the lock file names no process
	Wait      time.Duration // the lock wait that ran out
}

func (e *LockTimeoutError) Error() string {
	return fmt.Sprintf("partition %s is locked by %s; gave up after waiting %s (is another carry run stuck? stop it, or run again once it is done)",
		e.Partition, e.Holder.describe(), e.Wait)
}

// lockPartition takes an exclusive advisory lock on dir (via dir/.lock) so
// that at most one writer, in any process, rewrites a partition at a time.
// Readers take no lock: they rely on the atomic rename. While another
// writer holds the lock it polls, says once in the log who holds it, and
// gives up after l.lockWait. The holder's identity is written into the lock
// file for the next writer that has to wait.
func (l *Lake) lockPartition(dir string) (unlock func(), err error) {
	f, err := os.OpenFile(filepath.Join(dir, lockFileName), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, fmt.Errorf("opening lock of partition %s: %w", dir, err)
	}
	if err := l.waitForLock(f, dir); err != nil {
		f.Close()
		return nil, err
	}
	if err := writeLockHolder(f); err != nil {
		l.logger.Warn("could not record this process in the partition's lock file", "partition", dir, "err", err)
	}
	return func() {
		// Forget the holder before letting go, so that the file never names
		// a process that no longer holds the lock.
		f.Truncate(0)
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// waitForLock polls flock(LOCK_EX|LOCK_NB) on f until it is granted or
// l.lockWait has passed. Polling rather than a blocking flock is what lets
// the wait be announced and bounded.
func (l *Lake) waitForLock(f *os.File, dir string) error {
	start := time.Now()
	poll := lockFirstPoll
	var holder *LockHolder
	for announced := false; ; {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			if announced {
				l.logger.Info("partition lock taken after waiting", "partition", dir, "waited", time.Since(start).Round(time.Millisecond))
			}
			return nil
		}
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return fmt.Errorf("locking partition %s: %w", dir, err)
		}
		// The holder may be between taking the lock and writing its
		// name: keep the last complete reading.
		if h, ok := readLockHolder(f); ok {
			holder = h
		}
		if !announced {
			l.logger.Warn("partition is locked by another writer; waiting", "partition", dir, "holder", holder.describe(), "give_up_after", l.lockWait)
			announced = true
		}
		waited := time.Since(start)
		if waited >= l.lockWait {
			return &LockTimeoutError{Partition: dir, Holder: holder, Wait: l.lockWait}
		}
		time.Sleep(min(poll, l.lockWait-waited))
		poll = min(2*poll, lockMaxPoll)
	}
}
