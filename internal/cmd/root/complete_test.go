package root

import (
	"strings"
	"testing"
)

// TestFlagValuesComplete: flags whose values are names complete those names
// (symbols from the lake), never file names.
func TestFlagValuesComplete(t *testing.T) {
	env := map[string]string{"CARRY_DATA": smallLake(t)}
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"backtest", "--symbol", ""}, []string{"BTCUSDT", "ETHUSDT"}},
		{[]string{"backfill", "--symbols", "BTCUSDT,"}, []string{"BTCUSDT,ETHUSDT"}},
		{[]string{"backtest", "--contract", ""}, []string{"PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"}},
		{[]string{"backfill", "--datasets", ""}, []string{"basis", "funding"}},
		{[]string{"backfill", "--periods", "5m,"}, []string{"5m,1h", "5m,1d"}},
		{[]string{"sweep", "--metric", ""}, []string{"sharpe", "apr"}},
		{[]string{"sweep", "merge", "--metric", ""}, []string{"sharpe"}},
		{[]string{"funding", ""}, []string{"BTCUSDT", "ETHUSDT"}},
	} {
		_, out, _ := run(t, env, append([]string{"__complete"}, c.args...)...)
		for _, w := range c.want {
			if !strings.Contains(out, w+"\n") {
				t.Errorf("%v: completions lack %s:\n%s", c.args, w, out)
			}
		}
		if !strings.Contains(out, ":4\n") && !strings.Contains(out, ":6\n") { // NoFileComp (with NoSpace for lists)
			t.Errorf("%v: file names offered too:\n%s", c.args, out)
		}
	}
}
