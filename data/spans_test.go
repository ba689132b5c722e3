package data

import (
	"testing"
)

func TestSpansAddAndMissing(t *testing.T) {
	var s Spans
	s = s.Add(Span{hour(10), hour(20)})
	s = s.Add(Span{hour(0), hour(2)})
	s = s.Add(Span{hour(2), hour(5)})          // overlaps
	s = s.Add(Span{hour(5).Add(1e6), hour(6)}) // adjacent at 1 ms: merged
	s = s.Add(Span{hour(30), hour(29)})        // empty: ignored
	want := Spans{{hour(0), hour(6)}, {hour(10), hour(20)}}
	if len(s) != len(want) || s[0] != want[0] || s[1] != want[1] {
		t.Fatalf("spans = %v, want %v", s, want)
	}
	missing := s.Missing(Span{hour(-3), hour(25)})
	wantMissing := Spans{{hour(-3), hour(0).Add(-1e6)}, {hour(6).Add(1e6), hour(10).Add(-1e6)}, {hour(20).Add(1e6), hour(25)}}
	if len(missing) != len(wantMissing) {
		t.Fatalf("missing = %v, want %v", missing, wantMissing)
	}
	for i := range wantMissing {
		if missing[i] != wantMissing[i] {
			t.Errorf("missing[%d] = %v, want %v", i, missing[i], wantMissing[i])
		}
	}
	if m := s.Missing(Span{hour(1), hour(4)}); len(m) != 0 {
		t.Errorf("a covered span has missing parts %v", m)
	}
	if !s.Covers(hour(15)) || s.Covers(hour(8)) {
		t.Error("Covers is wrong")
	}
}

func TestSpanIntersect(t *testing.T) {
	a := Span{From: hour(0), To: hour(10)}
	for _, c := range []struct{ b, want Span }{
		{Span{From: hour(2), To: hour(5)}, Span{From: hour(2), To: hour(5)}},
		{Span{From: hour(-3), To: hour(4)}, Span{From: hour(0), To: hour(4)}},
		{Span{From: hour(8), To: hour(20)}, Span{From: hour(8), To: hour(10)}},
		{Span{From: hour(-1), To: hour(11)}, a},
	} {
		if got := a.Intersect(c.b); !got.From.Equal(c.want.From) || !got.To.Equal(c.want.To) {
			t.Errorf("%v ∩ %v = %v, want %v", a, c.b, got, c.want)
		}
	}
}
