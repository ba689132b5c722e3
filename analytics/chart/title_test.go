package chart

import (
	"strings"
	"testing"

	"gonum.org/v1/plot/vg"
)

// TestFitTitle: a title wider than its canvas is broken at " — " and, if a
// line is still too wide, set smaller, so that it fits; one that fits is
// left alone (the benchmark chart's title ran off the page's left edge).
func TestFitTitle(t *testing.T) {
	o := Options{}.withDefaults()
	width := vg.Length(o.Width) * vg.Inch / dpi * 0.8
	long := "Strategy against spot buy-and-hold and the risk-free rate — BTCUSDT PERPETUAL 1h, 2024-09-01 00:00 → 2026-09-29 23:00 UTC · simulated market"
	for _, c := range []struct {
		title      string
		width      vg.Length
		wantBreak  bool
		wantShrink bool
	}{
		{"Equity", width, false, false},
		{long, width, true, false},
		{long, width / 3, true, true},
		{strings.Repeat("x", 400), width, false, true},
	} {
		p := newPlot(o, c.title, "x", "y")
		size := p.Title.TextStyle.Font.Size
		fitTitle(p, c.width)
		if got := p.Title.TextStyle.Width(p.Title.Text); got > c.width {
			t.Errorf("%.20q: %v wide on %v", c.title, got, c.width)
		}
		if broke := strings.Contains(p.Title.Text, "\n"); broke != c.wantBreak {
			t.Errorf("%.20q: broken %v, want %v", c.title, broke, c.wantBreak)
		}
		if shrunk := p.Title.TextStyle.Font.Size < size; shrunk != c.wantShrink {
			t.Errorf("%.20q: shrunk %v, want %v", c.title, shrunk, c.wantShrink)
		}
	}
}
