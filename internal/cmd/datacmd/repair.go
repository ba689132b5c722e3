package datacmd

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/carry-research/carry/data/lake"
)

// unreadableSeries are the series `carry data status` found damaged or
// unreadable: its error, exit 1 (3 when other series read, see statusRun).
type unreadableSeries []SeriesReport

func (u *unreadableSeries) Error() string {
	var parts []string
	for _, s := range *u {
		parts = append(parts, fmt.Sprintf("%s %s is %s (%s); repair: %s", s.Dataset, s.Series, s.Status, s.File, s.Repair))
	}
	return strings.Join(parts, "; ")
}

// repairCommand says how to repair a series that cannot be read. A damaged
// file is rebuilt by fetching the series again from scratch: the backfill
// sets the damaged file aside (never deleting it) when it meets it. An
// unreadable file may be fine: its permissions come first.
func repairCommand(root string, s lake.SeriesStatus) string {
	if s.Status == lake.StatusUnreadable {
		return fmt.Sprintf("make the file readable by carry (check its owner and mode: ls -l %s), then run carry data status again", shellQuote(s.File))
	}
	if s.Dataset == lake.DatasetKlines {
		// carry backfill does not fetch klines yet (issue 13): say what
		// to do without naming a command that does not exist.
		return fmt.Sprintf("store the klines %s from scratch again (carry backfill does not fetch klines yet); to keep the damaged file, first rename it to _data.parquet.damaged-<UTC time> in its directory", s.Series)
	}
	cmd := "carry backfill --symbols "
	switch s.Dataset {
	case lake.DatasetBasis:
		cmd += fmt.Sprintf("%s --datasets basis --contract-types %s --periods %s", s.Pair, s.ContractType, s.Period)
	default:
		cmd += s.Symbol + " --datasets funding"
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs // the command works from any directory (cron)
	}
	return cmd + " --since max --data " + shellQuote(root)
}

var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
