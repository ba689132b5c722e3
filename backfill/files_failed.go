package backfill

import (
	"fmt"
	"strings"

	"github.com/carry-research/carry/backfill/archive"
)

// FilesFailedError says a series is partial: these archive files failed
// (checksum, cut-off body, unreadable rows) and nothing of them was
// stored; the rest of the series was. Their spans stay uncovered, so the
// next run asks for them again.
type FilesFailedError struct {
	Files []archive.FileError
}

func (e *FilesFailedError) Error() string {
	parts := make([]string, len(e.Files))
	for i, f := range e.Files {
		parts[i] = f.Error()
		if !strings.Contains(parts[i], f.File.Path()) {
			parts[i] = f.File.Path() + ": " + parts[i]
		}
	}
	noun := "files"
	if len(e.Files) == 1 {
		noun = "file"
	}
	return fmt.Sprintf("partial: %d archive %s failed, nothing of them stored: %s", len(e.Files), noun, strings.Join(parts, "; "))
}

// filesFailed is the series' error for its failed files, or nil.
func filesFailed(res *Result) error {
	if len(res.Archive.Failed) == 0 {
		return nil
	}
	return &FilesFailedError{Files: res.Archive.Failed}
}
