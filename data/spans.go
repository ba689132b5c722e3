package data

import (
	"slices"
	"time"
)

// Span is a closed time interval [From, To].
type Span struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// Spans is a set of disjoint spans, sorted by From. Spans that touch or lie
// within one millisecond of each other are merged (timestamps have
// millisecond resolution, so [a, b] and [b+1ms, c] leave nothing between).
type Spans []Span

// Add returns the union of s and sp.
func (s Spans) Add(sp Span) Spans {
	if sp.From.IsZero() || sp.To.Before(sp.From) {
		return s
	}
	out := append(slices.Clone(s), Span{From: UTCMilli(sp.From), To: UTCMilli(sp.To)})
	slices.SortFunc(out, func(a, b Span) int { return a.From.Compare(b.From) })
	merged := out[:1]
	for _, x := range out[1:] {
		last := &merged[len(merged)-1]
		if !x.From.After(last.To.Add(time.Millisecond)) {
			if x.To.After(last.To) {
				last.To = x.To
			}
			continue
		}
		merged = append(merged, x)
	}
	return merged
}

// Missing returns the parts of want not covered by s, in order.
func (s Spans) Missing(want Span) Spans {
	var out Spans
	cur := want.From
	for _, x := range s {
		if x.To.Before(cur) {
			continue
		}
		if x.From.After(want.To) {
			break
		}
		if x.From.After(cur) {
			out = append(out, Span{From: cur, To: x.From.Add(-time.Millisecond)})
		}
		if x.To.After(cur) || x.To.Equal(cur) {
			cur = x.To.Add(time.Millisecond)
		}
	}
	if !cur.After(want.To) {
		out = append(out, Span{From: cur, To: want.To})
	}
	return out
}

// Covers reports whether t lies in one of the spans.
func (s Spans) Covers(t time.Time) bool {
	for _, x := range s {
		if !t.Before(x.From) && !t.After(x.To) {
			return true
		}
	}
	return false
}

// Intersect is s ∩ o for overlapping spans (callers check the overlap).
func (s Span) Intersect(o Span) Span {
	if o.From.After(s.From) {
		s.From = o.From
	}
	if o.To.Before(s.To) {
		s.To = o.To
	}
	return s
}
