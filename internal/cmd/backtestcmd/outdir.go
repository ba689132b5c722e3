package backtestcmd

import (
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/strategy/backtest"
)

// runManifest is the manifest a backtest leaves in --out (cmdutil.OutDir).
const runManifest = ".carry-backtest.json"

// runID identifies a backtest by its inputs: the same flags give the same id.
// The price sources at their defaults are left out (Spec's omitempty), so
// a run's id is what it was before --prices and --spot existed.
func (o *Options) runID() string {
	specs := make([]backtest.Spec, len(o.Specs))
	for i, s := range o.Specs {
		if s.Prices == backtest.PricesAuto {
			s.Prices = ""
		}
		if s.Spot == backtest.SpotIndex {
			s.Spot = ""
		}
		specs[i] = s
	}
	return cmdutil.RunID(struct {
		Specs    any
		Params   any
		RiskFree float64
		Label    string
		Chart    any
	}{specs, o.Params, o.RiskFree, o.Label, o.Chart})
}

// outDir is --out guarded by the backtest's manifest.
func (o *Options) outDir() *cmdutil.OutDir {
	return &cmdutil.OutDir{Dir: o.Out, Kind: "backtest", Manifest: runManifest, Run: o.runID(), Force: o.Force}
}
