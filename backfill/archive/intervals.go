package archive

import (
	"fmt"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
)

// IntervalDisagreement is a funding event whose interval the archive
// states differently from the one inferred from the REST history.
type IntervalDisagreement struct {
	Instant time.Time // the event's nominal instant
	Archive int       // hours, as the archive's file states
	REST    int       // hours, as inferred from the REST history
}

func (d IntervalDisagreement) String() string {
	return fmt.Sprintf("%s: archive %dh, REST history %dh", d.Instant.Format(time.RFC3339), d.Archive, d.REST)
}

// CompareIntervals returns, in time order, the events of both histories
// (matched by nominal instant) whose funding intervals disagree. The REST
// rows keep their FundingIntervalHours when every row has one (as the lake
// stores them); otherwise the schedule is inferred on a copy
// (data.InferFundingSchedule, fallback as there). Events in only one of
// the histories are not compared.
func CompareIntervals(archive, rest []data.FundingRow, fallback int) []IntervalDisagreement {
	inferred := slices.Clone(rest)
	slices.SortFunc(inferred, func(a, b data.FundingRow) int { return a.FundingTime.Compare(b.FundingTime) })
	if slices.ContainsFunc(inferred, func(r data.FundingRow) bool { return r.FundingIntervalHours <= 0 }) {
		data.InferFundingSchedule(inferred, fallback)
	}
	byInstant := make(map[int64]int, len(inferred))
	for _, r := range inferred {
		byInstant[r.Instant().UnixMilli()] = r.FundingIntervalHours
	}
	var out []IntervalDisagreement
	for _, a := range archive {
		h, ok := byInstant[a.Instant().UnixMilli()]
		if ok && h != a.FundingIntervalHours {
			out = append(out, IntervalDisagreement{Instant: a.Instant(), Archive: a.FundingIntervalHours, REST: h})
		}
	}
	slices.SortFunc(out, func(a, b IntervalDisagreement) int { return a.Instant.Compare(b.Instant) })
	return out
}
