package binancesim

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// ArchiveFaultKind is a way the fake archive misbehaves on one file.
type ArchiveFaultKind string

// The faults of the fake archive.
const (
	ArchiveNoFault     ArchiveFaultKind = ""
	ArchiveBadChecksum ArchiveFaultKind = "bad-checksum" // the .CHECKSUM states another SHA-256
	ArchiveCutOff      ArchiveFaultKind = "cut-off"      // Content-Length announced, connection dropped half-way through the zip
	ArchiveShortBody   ArchiveFaultKind = "short-body"   // no Content-Length, the zip's body ends half-way
	ArchiveMissing     ArchiveFaultKind = "missing"      // 404 with S3's XML body, for the zip and its .CHECKSUM
	// ArchiveCorruptData is a zip damaged upstream, before its checksum was
	// taken: the CRC-32 it states for its CSV is wrong and its .CHECKSUM
	// states the damaged zip's SHA-256, so it verifies, inflates whole and
	// fails only at the end of its CSV. Applies to the zip and its
	// .CHECKSUM.
	ArchiveCorruptData ArchiveFaultKind = "corrupt-data"
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
		applies := f.kind == ArchiveMissing || f.kind == ArchiveCorruptData || (f.kind == ArchiveBadChecksum) == sum
		if !applies || (!f.always && f.left <= 0) {
			continue
		}
		f.left--
		return f.kind
	}
	return ArchiveNoFault
}

// corrupted is zip with the CRC-32 its central directory states for the
// CSV changed, and its .CHECKSUM line: the entry inflates whole and fails
// only at its end, when the reader compares the CRC — a reader must read a
// file to its end before it stores any row of it.
func corrupted(zip []byte, name string) ([]byte, string) {
	bad := append([]byte(nil), zip...)
	if at := bytes.LastIndex(bad, []byte("PK\x01\x02")); at >= 0 && at+20 <= len(bad) {
		bad[at+16] ^= 0xff // central directory header: CRC-32 at offset 16
	}
	sum := sha256.Sum256(bad)
	return bad, hex.EncodeToString(sum[:]) + "  " + name + "\n"
}
