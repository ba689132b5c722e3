package data

import (
	"fmt"
	"strings"
	"time"
)

// SeriesSummary is what `carry data status` shows of a series' rows. Every
// write puts it in the file's footer (SeriesState.Summary), so status reads
// footers instead of every row; files written before it have none and are
// read whole.
type SeriesSummary struct {
	Rows int `json:"rows"`
	// First and Last are the first and last rows' instants (timestamp,
	// funding time, open time; a pair's contracts: delivery dates); zero
	// without rows.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Missing counts the points absent between First and Last
	// (MissingPoints of the gaps); GapCount the gaps.
	Missing  int `json:"missing"`
	GapCount int `json:"gap_count"`
	// Gaps lists the gaps — in a footer only when there are at most
	// MaxSummaryGaps (see Footer), so that a sparse series does not bloat
	// it; a reader needing them reads the rows.
	Gaps []Gap `json:"gaps,omitempty"`
	// Cadence is the funding intervals in the order they occur
	// ("8h→1h→4h"); empty for series on a fixed grid.
	Cadence string `json:"cadence,omitempty"`
	// MissingMarkPrice counts funding events stored without a mark price.
	MissingMarkPrice int `json:"missing_mark_price,omitempty"`
}

// MaxSummaryGaps bounds the gaps a footer's summary lists.
const MaxSummaryGaps = 256

// GapsListed reports whether Gaps holds every gap.
func (s SeriesSummary) GapsListed() bool { return len(s.Gaps) == s.GapCount }

// Footer is the summary as a footer keeps it: the gaps listed only if at
// most MaxSummaryGaps.
func (s SeriesSummary) Footer() SeriesSummary {
	if len(s.Gaps) > MaxSummaryGaps {
		s.Gaps = nil
	}
	return s
}

// summarize sums up sorted instants and their gaps.
func summarize(times []time.Time, gaps []Gap) SeriesSummary {
	s := SeriesSummary{Rows: len(times), Missing: MissingPoints(gaps), GapCount: len(gaps), Gaps: gaps}
	if len(times) > 0 {
		s.First, s.Last = times[0], times[len(times)-1]
	}
	return s
}

// Summary sums up the series' rows.
func (s BasisSeries) Summary() SeriesSummary {
	times := s.Times()
	return summarize(times, BasisGaps(times, s.Key.Period))
}

// Summary sums up the series' candles.
func (s KlineSeries) Summary() SeriesSummary {
	times := s.Times()
	return summarize(times, KlineGaps(times, s.Key.Interval))
}

// Summary sums up the history: its gaps as inferred with the state's
// interval (Gaps), its cadence as the rows' stored intervals say.
func (s FundingSeries) Summary() SeriesSummary {
	times := make([]time.Time, len(s.Rows))
	var cadence []string
	marks := 0
	for i, r := range s.Rows {
		times[i] = r.FundingTime
		if !r.MarkPrice.Valid {
			marks++
		}
		h := fmt.Sprintf("%dh", r.FundingIntervalHours)
		if len(cadence) == 0 || cadence[len(cadence)-1] != h {
			cadence = append(cadence, h)
		}
	}
	sum := summarize(times, s.Gaps())
	sum.Cadence, sum.MissingMarkPrice = strings.Join(cadence, "→"), marks
	return sum
}

// GridSummarizer sums up a series on a grid (klines, basis) one sorted
// instant at a time, as a streamed merge writes it, into the summary its
// footer keeps (SeriesSummary.Footer): memory holds at most MaxSummaryGaps
// gaps, whatever the series' length.
type GridSummarizer struct {
	step  int64 // milliseconds
	s     SeriesSummary
	first int64
	last  int64
}

// NewGridSummarizer starts a summary of a series on a grid of step.
func NewGridSummarizer(step time.Duration) *GridSummarizer {
	return &GridSummarizer{step: step.Milliseconds()}
}

// Add counts the next instant, in UTC milliseconds: what gridGaps does for
// one pair of neighbours.
func (g *GridSummarizer) Add(ms int64) {
	if g.s.Rows == 0 {
		g.first = ms
	} else if d := ms - g.last; d > g.step {
		gap := Gap{From: time.UnixMilli(g.last + g.step).UTC(), To: time.UnixMilli(ms - g.step).UTC(), Missing: int(d/g.step) - 1}
		g.s.Missing += gap.Missing
		g.s.GapCount++
		if len(g.s.Gaps) <= MaxSummaryGaps {
			g.s.Gaps = append(g.s.Gaps, gap)
		}
	}
	g.last = ms
	g.s.Rows++
}

// Summary is what was added so far.
func (g *GridSummarizer) Summary() SeriesSummary {
	s := g.s
	if s.Rows > 0 {
		s.First, s.Last = time.UnixMilli(g.first).UTC(), time.UnixMilli(g.last).UTC()
	}
	return s.Footer()
}
