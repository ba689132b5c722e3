package backtestcmd

import (
	"syscall"
	"time"
)

// processCPU is the CPU time the process has used (user and system, every
// thread): on a machine shared with other jobs, a benchmark's CPU time
// says what its wall time cannot. (Unix only, as the lake is: flock.)
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
