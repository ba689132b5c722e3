package portfolio

import (
	"math/big"
	"testing"
)

// TestMinSumIsTheCeiling: with d = 4, L = 8, N = 3 the signal of a sum s
// is s/den, den = 3·8·10^4/8760 = 27.3972…; a threshold of 10 % needs
// s ≥ 2.7397…, i.e. 3; of −10 %, s ≥ −2.7397…, i.e. −2; of 10.95 %
// (0.1095·den = 3 exactly: a tie) s ≥ 3 (hand arithmetic: 0.1095·240000/8760
// = 26280/8760 = 3).
func TestMinSumIsTheCeiling(t *testing.T) {
	fu := &fundingUnits{d: 4, l: 8}
	for _, c := range []struct {
		th   string
		want int64
	}{{"0.1", 3}, {"-0.1", -2}, {"0.1095", 3}, {"0", 0}, {"-0.1095", -3}} {
		th, _ := new(big.Rat).SetString(c.th)
		got, ok := fu.minSum(th, 3)
		if !ok || got != c.want {
			t.Errorf("threshold %s: least sum %d (%v), want %d", c.th, got, ok, c.want)
		}
		// The least sum reaches the threshold, the one below does not.
		den := fu.denominator(3)
		at := new(big.Rat).Quo(new(big.Rat).SetInt64(got), den)
		below := new(big.Rat).Quo(new(big.Rat).SetInt64(got-1), den)
		if at.Cmp(th) < 0 || below.Cmp(th) >= 0 {
			t.Errorf("threshold %s: %d/den = %s, %d/den = %s", c.th, got, at.FloatString(6), got-1, below.FloatString(6))
		}
	}
}
