package report

import "testing"

// The sweep report's cells are formatted as the backtest report's: the
// expected strings are the values by hand (fractions × 100 with 2
// decimals, money and ratios with 2 decimals, parameters as given).
func TestSweepCellFormat(t *testing.T) {
	for _, c := range []struct{ column, text, want string }{
		{"apr", "0.30286343889534806", "30.29%"},
		{"max_drawdown", "-0.0033144053506029003", "-0.33%"},
		{"final_equity", "10697.000790882445", "10697.00"},
		{"sharpe", "16.077658350275847", "16.08"},
		{"trades", "4", "4"},
		{"slippage", "0.0001", "0.0001"},
		{"rules_funding_enter", "", "off"},
		{"sortino", "", "—"},
		{"spot_source", "basis index", "basis index"},
		{"liquidated", "false", "false"},
		{"volatility", "0.018565521164015508", "1.86%"},
	} {
		if got := cell(c.column, c.text); got != c.want {
			t.Errorf("cell(%s, %s) = %q, want %q", c.column, c.text, got, c.want)
		}
	}
}
