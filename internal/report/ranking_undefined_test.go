package report

import (
	"strings"
	"testing"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestRankingLeavesOutUndefinedAPR: a run whose APR is undefined is not
// drawn as a yield of 0; the caption names it.
func TestRankingLeavesOutUndefinedAPR(t *testing.T) {
	run := func(name string, apr analytics.Value) Section {
		return Section{Named: backtest.Named{Name: name, Outcome: &backtest.Outcome{Summary: backtest.Summary{
			Period: "1h", From: "2026-01-01T00:00:00Z", To: "2026-01-31T00:00:00Z", APR: apr}}}}
	}
	c, err := rankingChart([]Section{run("A", analytics.Of(0.05)), run("B", analytics.Value{}), run("C", analytics.Of(-0.01))}, "", ChartOptions{Width: 400, Height: 300})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(c.Caption, "Not shown, their APR undefined: B.") || len(c.Data) == 0 {
		t.Errorf("caption %q", c.Caption)
	}
}
