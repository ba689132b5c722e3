package sweep

import (
	"strings"
	"testing"
)

// TestGridFieldsRefusedWhenRead: values no combination could use fail the
// grid as it is read, naming the field and the value; values the engine
// refuses only in some combinations (or that are not numbers) stay with
// the expansion.
func TestGridFieldsRefusedWhenRead(t *testing.T) {
	refused := map[string]string{
		"capital: 1e400":        `capital "1e400": not a finite number`,
		"capital: [10000, NaN]": `capital "NaN": not a finite number`,
		"capital: -5":           `capital "-5"`,
		"capital: 1e-300":       `capital "1e-300"`,
		"capital: {from: 1, to: 1e400, step: 1e399}": `capital "100000000000…000001 (400 characters)": not a finite number`,
		"leverage: .inf":                        `leverage ".inf": not a finite number`,
		"leverage: 1e-20":                       `leverage "1e-20"`,
		"spot_fee: -0.001":                      `spot_fee "-0.001"`,
		"perp_fee: -Inf":                        `perp_fee "-Inf"`,
		"slippage: [0.0001, 1e-400]":            `slippage "1e-400": too close to 0`,
		"maintenance: -0.004":                   `maintenance "-0.004"`,
		"rebalance_below: -0.1":                 `rebalance_below "-0.1"`,
		"funding_lookback: -3":                  `funding_lookback "-3"`,
		"funding_lookback: 2.5":                 `funding_lookback "2.5": want a whole number`,
		"funding_enter: 1e999\nfunding_exit: 0": `funding_enter "1e999"`,
		"funding_enter: 0.1\nfunding_exit: NaN": `funding_exit "NaN"`,
		"basis_enter: Infinity\nbasis_exit: 0":  `basis_enter "Infinity"`,
		"risk_free: 1e400":                      `risk_free "1e400"`,
		"risk_free: -2":                         `risk_free "-2"`,
		"max_hold: 1e400d":                      `max_hold "1e400d"`,
		"max_hold: NaNd":                        `max_hold "NaNd"`,
		"max_hold: 200000d":                     `max_hold "200000d"`,
		"max_hold: -72h":                        `max_hold "-72h"`,
	}
	for field, want := range refused {
		_, err := ParseGrid([]byte("symbols: [BTCUSDT]\n" + field + "\n"))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: err %v, want %q", field, err, want)
		}
	}
	for _, field := range []string{"capital: [10000, abc]", "maintenance: [0.004, 0.6]", "funding_lookback: [3, 0]", "max_hold: [null, soon, 0h, 14d]",
		"funding_enter: [0.1, null]\nfunding_exit: {from: -0.05, to: 0.1, step: 0.05}", "risk_free: [0, 0.04, -0.01]", "leverage: [1, 300]"} {
		if _, err := ParseGrid([]byte("symbols: [BTCUSDT]\n" + field + "\n")); err != nil {
			t.Errorf("%s: %v", field, err)
		}
	}
}
