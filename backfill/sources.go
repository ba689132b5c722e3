package backfill

import (
	"fmt"
	"strings"
)

// SourceMode says where kline history comes from (docs/backfill.md,
// "Sources"). Basis is on REST only; funding rows come from REST, and the
// archive's funding files are read along with them when the archive is in
// use (see Config.archiveFunding).
type SourceMode string

// The sources of kline history.
const (
	// SourceAuto takes whole months from the archive's monthly files, the
	// recent days from its daily files and the rest (today, what the
	// archive lacks) from REST: the fewest bytes and requests.
	SourceAuto SourceMode = "auto"
	// SourceREST pages everything from the REST API.
	SourceREST SourceMode = "rest"
	// SourceArchive takes only files from the archive, and checks every
	// file of the span against the checksum kept for it (re-importing
	// those replaced upstream); what the archive has not published is left
	// for a later run.
	SourceArchive SourceMode = "archive"
)

// SourceModes lists the modes, the default first.
func SourceModes() []SourceMode { return []SourceMode{SourceAuto, SourceREST, SourceArchive} }

// ParseSourceMode validates a source name such as "auto".
func ParseSourceMode(s string) (SourceMode, error) {
	m := SourceMode(strings.ToLower(strings.TrimSpace(s)))
	switch m {
	case SourceAuto, SourceREST, SourceArchive:
		return m, nil
	}
	return "", fmt.Errorf("invalid source %q: want auto, rest or archive", s)
}

// source is the config's mode; the zero value is REST, so callers that
// predate the archive (the simulated market, the demo) are unchanged.
func (c Config) source() SourceMode {
	if c.Source == "" {
		return SourceREST
	}
	return c.Source
}

// archiveFunding says whether funding series read the archive's funding
// files: with --source archive, and with auto when klines come from the
// archive in the same run. A funding-only auto run stays on REST, which
// is cheaper for funding (1,000 events a request against a file a month)
// and alone has mark prices and rate types.
func (c Config) archiveFunding() bool {
	return c.Funding && (c.source() == SourceArchive || c.source() == SourceAuto && c.Klines)
}

// usesArchive says whether the run reads the archive at all.
func (c Config) usesArchive() bool {
	return c.archiveFunding() || c.Klines && c.source() != SourceREST
}
