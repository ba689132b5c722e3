package backfillcmd

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/cmdutil"
)

// parseKlineFlags validates --kinds, --intervals, --source, --archive-url,
// --archive-list-url and --spot-base-url, before any request. Kinds and
// intervals are checked whatever --datasets says: a typo is a typo.
func parseKlineFlags(o *Options, kinds, intervals, source string) error {
	for _, k := range splitList(kinds) {
		kind, err := data.ParseKlineKind(k)
		if err != nil {
			return cmdutil.FlagErrorf("--kinds: %v", err)
		}
		if !slices.Contains(o.Config.Kinds, kind) {
			o.Config.Kinds = append(o.Config.Kinds, kind)
		}
	}
	for _, i := range splitList(intervals) {
		iv, err := data.ParseInterval(i)
		if err != nil {
			return cmdutil.FlagErrorf("--intervals: %v", err)
		}
		if !slices.Contains(o.Config.Intervals, iv) {
			o.Config.Intervals = append(o.Config.Intervals, iv)
		}
	}
	if o.Config.Klines && (len(o.Config.Kinds) == 0 || len(o.Config.Intervals) == 0) {
		return cmdutil.FlagErrorf("--kinds and --intervals need at least one value each when fetching klines")
	}
	if o.Config.Klines && slices.Contains(o.Config.Kinds, data.KlineContinuous) && len(o.Config.ContractTypes) == 0 {
		return cmdutil.FlagErrorf("--contract-types needs at least one value for continuous klines")
	}
	mode, err := backfill.ParseSourceMode(source)
	if err != nil {
		return cmdutil.FlagErrorf("--source: %v", err)
	}
	o.Config.Source = mode
	if err := checkArchiveURL(o.ArchiveURL); err != nil {
		return cmdutil.FlagErrorf("--archive-url: %v", err)
	}
	if err := checkArchiveURL(o.ListURL); err != nil {
		return cmdutil.FlagErrorf("--archive-list-url: %v", err)
	}
	// The spot host is parsed as a base URL of its own (same rules).
	if _, err := binance.NewClient(o.SpotBaseURL, nil); err != nil {
		return cmdutil.FlagErrorf("--spot-base-url: %v", err)
	}
	return nil
}

// checkArchiveURL accepts an absolute http(s) URL with a host and no
// query: file paths are appended to it.
func checkArchiveURL(s string) error {
	u, err := url.Parse(s)
	if err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.RawQuery == "" && u.Fragment == "" {
		return nil
	}
	return fmt.Errorf("invalid URL %q: want an absolute http(s) URL such as %s", s, archive.DefaultBaseURL)
}
