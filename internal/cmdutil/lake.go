package cmdutil

import (
	"log/slog"

	"github.com/carry-research/carry/data/lake"
)

// RemoveStaleTemps clears the temporary files crashed writers left in the
// lake (see lake.StaleTempAge); commands that write the lake call it before
// their first write. Failing to clear them is only worth a warning: they
// are invisible to readers, and each partition's next writer clears its own.
func RemoveStaleTemps(lake *lake.Lake, logger *slog.Logger) {
	removed, err := lake.RemoveStaleTemps()
	if removed > 0 {
		logger.Info("removed stale temporary files left by interrupted writes", "lake", lake.Root(), "removed", removed)
	}
	if err != nil {
		logger.Warn("could not remove every stale temporary file", "err", err)
	}
}
