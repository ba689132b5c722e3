package strategy

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		param, value string
		ok           bool
	}{
		{"capital", "10000", true}, {"capital", "1", true}, {"capital", "1e15", true},
		{"capital", "0.5", false}, {"capital", "0", false}, {"capital", "-1", false}, {"capital", "1e-300", false}, {"capital", "1e400", false},
		{"leverage", "3", true}, {"leverage", "0.01", true}, {"leverage", "1e-20", false}, {"leverage", "1e300", false}, {"leverage", "-2", false},
		{"spot_fee", "0.001", true}, {"spot_fee", "0", true}, {"spot_fee", "-0.001", false}, {"spot_fee", "1e-400", false},
		{"maintenance", "0.6", true}, // ≥ 0.5 is the engine's to refuse (Params.Validate)
		{"rebalance_below", "-0.1", false}, {"rebalance_below", "1e300", true},
		{"funding_lookback", "0", true}, {"funding_lookback", "-1", false},
		{"funding_enter", "-0.05", true}, {"funding_exit", "1e400", false}, {"basis_enter", "-1e400", false},
		{"risk_free", "0.04", true}, {"risk_free", "-0.01", true}, {"risk_free", "-1", false}, {"risk_free", "1e300", false},
		{"nosuch", "1", false},
	}
	for _, c := range cases {
		if err := checkBound(c.param, decimal.RequireFromString(c.value)); (err == nil) != c.ok {
			t.Errorf("checkBound(%s, %s) = %v, want ok %v", c.param, c.value, err, c.ok)
		}
	}
}

func TestNotFinite(t *testing.T) {
	for s, want := range map[string]bool{"NaN": true, "nan": true, "Inf": true, "-inf": true, "+Infinity": true, "1e400": true, "-1e309": true,
		"1e308": false, "0.1": false, "abc": false, "": false, "1e-400": false} {
		if got := NotFinite(s); got != want {
			t.Errorf("NotFinite(%q) = %v", s, got)
		}
	}
}

func TestHold(t *testing.T) {
	if CheckHoldDays(decimal.RequireFromString("106751")) != nil || CheckHoldDays(decimal.RequireFromString("106752")) == nil ||
		CheckHoldDays(decimal.RequireFromString("-1")) == nil || CheckHold(-time.Hour) == nil || CheckHold(time.Hour) != nil {
		t.Error("holding times")
	}
}
