package lake

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// LockHolder is what a writer records in a partition's lock file while it
// holds the lock, so that a writer kept waiting can say who it waits for.
type LockHolder struct {
	PID     int    `json:"pid"`
	Command string `json:"command"`
	// Started is when the holding process started (as far as this package
	// knows: when it was loaded, right at the process's start).
	Started time.Time `json:"started"`
	// Locked is when it took this lock.
	Locked time.Time `json:"locked"`
}

// processStarted stands in for the process's start time: package
// initialization runs as the process starts.
var processStarted = time.Now()

// maxLockFileBytes bounds what is read from a lock file and the command
// line written into it.
const maxLockFileBytes = 4096

// describe names the holder for a log line or an error.
func (h *LockHolder) describe() string {
	if h == nil {
		return "another process (its lock file does not say which)"
	}
	return fmt.Sprintf("process %d (%s), started %s, holding it since %s",
		h.PID, h.Command, h.Started.UTC().Format(time.RFC3339), h.Locked.UTC().Format(time.RFC3339))
}

// writeLockHolder records this process in the lock file f, which it holds.
func writeLockHolder(f *os.File) error {
	cmd := strings.Join(os.Args, " ")
	if len(cmd) > maxLockFileBytes/2 {
		cmd = cmd[:maxLockFileBytes/2] + "…"
	}
	b, err := json.Marshal(LockHolder{PID: os.Getpid(), Command: cmd, Started: processStarted.UTC(), Locked: time.Now().UTC()})
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if err := f.Truncate(0); err != nil {
		return fmt.Errorf("clearing lock file: %w", err)
	}
	if _, err := f.WriteAt(b, 0); err != nil {
		return fmt.Errorf("writing lock file: %w", err)
	}
	return nil
}

// readLockHolder reads the holder a lock file names; false when it names
// none (an empty file, a holder that has not written yet, or one
// caught half-written).
func readLockHolder(f *os.File) (*LockHolder, bool) {
	buf := make([]byte, maxLockFileBytes)
	n, err := f.ReadAt(buf, 0)
	if err != nil && err != io.EOF {
		return nil, false
	}
	var h LockHolder
	if json.Unmarshal(buf[:n], &h) != nil || h.PID == 0 {
		return nil, false
	}
	return &h, true
}
