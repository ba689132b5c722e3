package sweepcmd

import "runtime"

// defaultWorkers is --workers 0: one worker per core Go may use.
func defaultWorkers() int { return runtime.GOMAXPROCS(0) }
