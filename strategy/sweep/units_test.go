package sweep

import (
	"context"
	"reflect"
	"testing"

	"github.com/carry-research/carry/strategy"
)

// TestGridRatesWithUnits: a grid writing its rates in basis points or
// percent — as values, lists and range bounds — expands to the very
// combinations (ids, values, parameters) of the grid writing them as
// fractions (by hand: 10bp = 0.1% = 0.001, 5bp = 0.0005, 500bp = 5% = 0.05).
func TestGridRatesWithUnits(t *testing.T) {
	plain := `symbols: [BTCUSDT]
spot_fee: [0.001, 0.0005]
perp_fee: 0.0005
slippage: {from: 0.0001, to: 0.0003, step: 0.0001}
funding_enter: [null, 0.05, 0.1]
funding_exit: 0
risk_free: 0.04
`
	units := `symbols: [BTCUSDT]
spot_fee: [10bp, 0.05%]
perp_fee: 5 bp
slippage: {from: 1bp, to: 0.03%, step: 1bp}
funding_enter: [null, 5%, 1000bp]
funding_exit: 0%
risk_free: 4%
`
	combos := func(text string) []Combination {
		g, err := ParseGrid([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		ex, err := g.Plan(context.Background(), end)
		if err != nil {
			t.Fatal(err)
		}
		var out []Combination
		ex.Each(context.Background(), 0, 1, func(c Combination) error { out = append(out, c); return nil })
		return out
	}
	want, got := combos(plain), combos(units)
	if len(want) != 2*3*3 {
		t.Fatalf("%d combinations of the plain grid, want 18", len(want))
	}
	if len(got) != len(want) {
		t.Fatalf("%d combinations with units, %d plain", len(got), len(want))
	}
	for i := range want {
		if got[i].ID != want[i].ID || !reflect.DeepEqual(got[i].Values, want[i].Values) {
			t.Errorf("combination %d with units: %s %v, plain %s %v", i, got[i].ID, got[i].Values, want[i].ID, want[i].Values)
		}
		// The parameters set, printed canonically (decimals equal in value
		// may differ in exponent).
		for _, p := range strategy.ParamTable() {
			g := p.Format(strategy.Settings{Params: got[i].Params, RiskFree: got[i].RiskFree})
			w := p.Format(strategy.Settings{Params: want[i].Params, RiskFree: want[i].RiskFree})
			if g != w {
				t.Errorf("combination %d: %s %s with units, %s plain", i, p.Name, g, w)
			}
		}
	}
}
