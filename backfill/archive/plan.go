package archive

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
)

// Plan is how a span of one series is fetched: files from the archive, in
// time order, and the spans left to REST (today, files not published yet,
// files the archive does not have).
type Plan struct {
	Files []File
	REST  data.Spans
}

// Series names what a plan is for: a dataset, a symbol (or pair) and, for
// klines, an interval.
type Series struct {
	Dataset  Dataset
	Symbol   string
	Interval string
}

func (s Series) String() string {
	if s.Interval == "" {
		return fmt.Sprintf("%s %s", s.Dataset, s.Symbol)
	}
	return fmt.Sprintf("%s %s %s", s.Dataset, s.Symbol, s.Interval)
}

// PlanSpan covers span (closed, milliseconds) of a series as of now: each
// whole month by its monthly file once published, the rest by daily files
// once published, and what remains by REST. Funding, archived by month
// only, takes the monthly file of every month the span touches once it is
// published (its rows outside the span are the caller's to drop) and leaves
// the other months to REST. Files may reach outside the span: a daily file
// covers its whole day.
func PlanSpan(s Series, span data.Span, now time.Time) (Plan, error) {
	if err := (File{Dataset: s.Dataset, Symbol: s.Symbol, Interval: s.Interval, Start: monthOf(span.From)}).Validate(); err != nil {
		return Plan{}, fmt.Errorf("planning %s: %w", s, err)
	}
	if span.To.Before(span.From) {
		return Plan{}, fmt.Errorf("planning %s: span ends at %s, before it starts at %s", s, span.To.Format(time.RFC3339), span.From.Format(time.RFC3339))
	}
	return plan(s, span, now, true), nil
}

// Fallback is the plan for a file the archive answered 404 for: a month
// falls back to its days (those published), a day or a funding month to
// REST.
func Fallback(f File, now time.Time) Plan {
	s := Series{Dataset: f.Dataset, Symbol: f.Symbol, Interval: f.Interval}
	if f.Daily || !f.Dataset.HasDaily() {
		return Plan{REST: data.Spans{}.Add(f.Span())}
	}
	return plan(s, f.Span(), now, false)
}

func plan(s Series, span data.Span, now time.Time, monthly bool) Plan {
	var p Plan
	span.From, span.To = data.UTCMilli(span.From), data.UTCMilli(span.To)
	for m := monthOf(span.From); !m.After(span.To); m = m.AddDate(0, 1, 0) {
		month := Monthly(s.Dataset, s.Symbol, s.Interval, m)
		part := month.Span().Intersect(span)
		whole := part == month.Span()
		if monthly && (whole || !s.Dataset.HasDaily()) && Available(month, now) {
			p.Files = append(p.Files, month)
			continue
		}
		if !s.Dataset.HasDaily() {
			p.REST = p.REST.Add(part)
			continue
		}
		for d := Daily(s.Dataset, s.Symbol, s.Interval, part.From); !d.Start.After(part.To); d = Daily(s.Dataset, s.Symbol, s.Interval, d.End()) {
			if Available(d, now) {
				p.Files = append(p.Files, d)
			} else {
				p.REST = p.REST.Add(d.Span().Intersect(part))
			}
		}
	}
	return p
}
