package backfillcmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/carry-research/carry/backfill"
)

// archiveNote is what an ok series' status adds about the archive, "" when
// the series did not use it.
func archiveNote(a backfill.ArchiveResult) string {
	if a.Imported+a.Unchanged+a.Missing == 0 && len(a.LeftToREST) == 0 {
		return ""
	}
	parts := []string{fmt.Sprintf("%d archive files (%s)", a.Imported, byteSize(a.Bytes))}
	if a.Unchanged > 0 {
		parts = append(parts, fmt.Sprintf("%d unchanged", a.Unchanged))
	}
	if a.Missing > 0 {
		parts = append(parts, fmt.Sprintf("%d not in the archive", a.Missing))
	}
	if len(a.LeftToREST) > 0 {
		parts = append(parts, "the unpublished rest left for REST (--source auto)")
	}
	if a.IntervalDisagreements > 0 {
		parts = append(parts, fmt.Sprintf("%d funding intervals disagree (below)", a.IntervalDisagreements))
	}
	return ", " + strings.Join(parts, ", ")
}

// partialStatus is the status of a series some archive files of which
// failed: the rest is stored.
func partialStatus(r backfill.Result) string {
	n := len(r.Archive.Failed)
	noun := "files"
	if n == 1 {
		noun = "file"
	}
	return fmt.Sprintf("partial: %d archive %s failed (below), nothing of %s stored; %d imported", n, noun, map[bool]string{true: "it", false: "them"}[n == 1], r.Archive.Imported)
}

// printArchiveNotes lists, under the table, the archive files that failed
// and the funding series whose intervals disagree with the archive's.
func printArchiveNotes(w io.Writer, results []backfill.Result) {
	var failed, disagree []string
	for _, r := range results {
		for _, f := range r.Archive.Failed {
			failed = append(failed, fmt.Sprintf("  %s: %s", r.Series, f.Error()))
		}
		if n := r.Archive.IntervalDisagreements; n > 0 {
			disagree = append(disagree, fmt.Sprintf("  %s: %d events (the log names them)", r.Series, n))
		}
	}
	if len(failed) > 0 {
		fmt.Fprintf(w, "\nFailed archive files (nothing of them stored; the next run asks for them again):\n%s\n", strings.Join(failed, "\n"))
	}
	if len(disagree) > 0 {
		fmt.Fprintf(w, "\nFunding intervals the archive states differently from the REST history:\n%s\n", strings.Join(disagree, "\n"))
	}
}

type archiveJSON struct {
	Imported              int          `json:"imported_files"`
	Unchanged             int          `json:"unchanged_files"`
	Missing               int          `json:"missing_files"`
	Failed                []failedJSON `json:"failed_files,omitempty"`
	Requests              int64        `json:"requests"`
	Downloads             int64        `json:"downloads"`
	Bytes                 int64        `json:"bytes"`
	LeftToREST            int          `json:"spans_left_to_rest,omitempty"`
	IntervalDisagreements int          `json:"funding_interval_disagreements,omitempty"`
}

type failedJSON struct {
	File  string `json:"file"`
	Error string `json:"error"`
}

// archiveSummary is the JSON of a series' archive use; nil without one.
func archiveSummary(a backfill.ArchiveResult) *archiveJSON {
	if a.Requests == 0 && a.Imported+a.Unchanged+a.Missing == 0 && len(a.Failed) == 0 && len(a.LeftToREST) == 0 {
		return nil
	}
	out := &archiveJSON{Imported: a.Imported, Unchanged: a.Unchanged, Missing: a.Missing, Requests: a.Requests,
		Downloads: a.Downloads, Bytes: a.Bytes, LeftToREST: len(a.LeftToREST), IntervalDisagreements: a.IntervalDisagreements}
	for _, f := range a.Failed {
		out.Failed = append(out.Failed, failedJSON{File: f.File.Path(), Error: f.Error()})
	}
	return out
}

// byteSize is n in B, KiB or MiB.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
