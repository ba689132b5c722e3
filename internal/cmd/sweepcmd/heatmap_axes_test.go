package sweepcmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy/sweep"
)

// --heatmap takes two of the grid's varying parameters: an axis that does
// not vary is refused with a usage error naming the flag and the axes that
// do.
func TestHeatmapAxesVary(t *testing.T) {
	g, err := sweep.ParseGrid([]byte("symbols: [BTCUSDT]\nleverage: [1, 2]\nslippage: [0.0001, 0.0005]\nspot_fee: [0.001]\n"))
	if err != nil {
		t.Fatal(err)
	}
	ex, err := g.Plan(context.Background(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x, y, wantErr string
	}{
		{"slippage", "leverage", ""},
		{"", "", ""},
		{"leverage", "spot_fee", "--heatmap leverage,spot_fee: spot_fee does not vary in this grid; want two of the grid parameters that vary: leverage, slippage"},
		{"symbol", "leverage", "symbol does not vary"},
	} {
		o := &analysisOptions{AnalysisOptions: sweep.AnalysisOptions{HeatX: c.x, HeatY: c.y}}
		err := checkHeatmapAxes(o, ex)
		if c.wantErr == "" {
			if err != nil {
				t.Errorf("%s,%s: %v", c.x, c.y, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), c.wantErr) || cmdutil.ExitCode(err) != cmdutil.ExitUsage {
			t.Errorf("%s,%s: err %v, want a usage error with %q", c.x, c.y, err, c.wantErr)
		}
	}
}
