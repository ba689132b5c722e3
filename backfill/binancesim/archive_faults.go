package binancesim

import "strings"

// ArchiveFaultKind is a way the fake archive misbehaves on one file.
type ArchiveFaultKind string

// The faults of the fake archive.
const (
	ArchiveNoFault     ArchiveFaultKind = ""
	ArchiveBadChecksum ArchiveFaultKind = "bad-checksum" // the .CHECKSUM states another SHA-256
	ArchiveCutOff      ArchiveFaultKind = "cut-off"      // Content-Length announced, connection dropped half-way through the zip
	ArchiveShortBody   ArchiveFaultKind = "short-body"   // no Content-Length, the zip's body ends half-way
	ArchiveMissing     ArchiveFaultKind = "missing"      // 404 with S3's XML body, for the zip and its .CHECKSUM
)

// SetFault injects kind into the requests for the file whose path ends
// with suffix (a zip's name will do): the first times requests it applies
// to (0: every one). A bad checksum applies to .CHECKSUM requests, a cut
// to zip requests, a missing file to both. It replaces any fault set on
// the same suffix.
func (a *Archive) SetFault(suffix string, kind ArchiveFaultKind, times int) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if kind == ArchiveNoFault {
		delete(a.faults, suffix)
		return
	}
	a.faults[suffix] = &archiveFault{kind: kind, left: times, always: times == 0}
}

type archiveFault struct {
	kind   ArchiveFaultKind
	left   int
	always bool
}

// takeFault returns the fault for a request of zipPath (its .CHECKSUM if
// sum) and counts it. Called with a.mu held.
func (a *Archive) takeFault(zipPath string, sum bool) ArchiveFaultKind {
	for suffix, f := range a.faults {
		if !strings.HasSuffix(zipPath, suffix) {
			continue
		}
		applies := f.kind == ArchiveMissing || (f.kind == ArchiveBadChecksum) == sum
		if !applies || (!f.always && f.left <= 0) {
			continue
		}
		f.left--
		return f.kind
	}
	return ArchiveNoFault
}
