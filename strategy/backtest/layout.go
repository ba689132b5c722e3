package backtest

import (
	"io"
	"path/filepath"

	"github.com/carry-research/carry/internal/atomicfile"
)

// ComparisonCSV is the table of several backtests' summaries, written
// beside their directories.
const ComparisonCSV = "comparison.csv"

// Named is a backtest's outcome under the name of its directory (when
// several are written together) and of its line in their comparison.
type Named struct {
	Name string // default the symbol
	*Outcome
}

// DirName is the name, or the symbol when it has none.
func (n Named) DirName() string {
	if n.Name != "" {
		return n.Name
	}
	return n.Summary.Symbol
}

// RunDir is where the files of the backtest named name go when runs
// backtests are written under out: out itself for one, out/name for
// several.
func RunDir(out, name string, runs int) string {
	if runs > 1 {
		return filepath.Join(out, name)
	}
	return out
}

// WriteRuns writes each backtest's files (WriteRun) into its RunDir under
// out and, with several, comparison.csv of their summaries in out.
func WriteRuns(out string, runs []Named) error {
	for _, r := range runs {
		dir := RunDir(out, r.DirName(), len(runs))
		if err := WriteRun(dir, r.Result, r.Summary); err != nil {
			return err // names the file
		}
	}
	if len(runs) < 2 {
		return nil
	}
	sums := make([]Summary, len(runs))
	for i, r := range runs {
		sums[i] = r.Summary
	}
	return atomicfile.Write(filepath.Join(out, ComparisonCSV), func(w io.Writer) error { return WriteSummaryCSV(w, sums) })
}
