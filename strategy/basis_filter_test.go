package strategy

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// TestBasisFilterIsExact: the float64 filter of kstate.basis never decides
// a comparison the integers would decide otherwise, on prices drawn within
// 10^−8 relative of a tie, exactly at it, and far from it, for perpetual
// and dated markets and thresholds of 1 to 17 significant digits.
func TestBasisFilterIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	near, ties := 0, 0 // comparisons within 10^-8 of a tie, and ties
	for c := range 200 {
		dated := c%2 == 1
		m := flatMarket(300, 1, 0, 0)
		if dated {
			m = randomDatedMarket(rng, 300, false)
		}
		th, draws := round4(rng.Float64()*0.4-0.1), 3
		if c%5 == 0 { // no short ties: no draw of case 2
			draws = 2
			th = 0.05 + rng.Float64()*0.3 // 16 or 17 significant digits, at most 18 places
		}
		T := decimal.NewFromFloat(th)
		offset := make([]bool, len(m.Times))
		for i := range m.Times {
			s := decimal.New(int64(1_000_000_000+rng.IntN(9_000_000_000_000)), -8) // 10 to 90,010
			// F = S·(1 + T·days/365) ties; perpetual: days = 1.
			x := T.Div(decimal.NewFromInt(365))
			if dated {
				ms := m.Delivery[i].Sub(m.Times[i]).Milliseconds()
				x = T.Mul(decimal.NewFromInt(ms)).Div(decimal.NewFromInt(msPerYear365))
			}
			f := s.Mul(one.Add(x)).Round(8)
			switch rng.IntN(draws) {
			case 0: // a few units of 10^-8 off the tie (or on it)
				f = f.Add(decimal.New(rng.Int64N(7)-3, -8))
				offset[i] = true
			case 1: // far
				f = f.Mul(decimal.NewFromFloat(0.99 + rng.Float64()*0.02)).Round(8)
			case 2: // a tie: S = j·3.65 (perpetual), S·x = j·T/100; S =
				// j·315.36 (dated), S·x = j·T·ms·10^-8: short decimals
				j := decimal.NewFromInt(int64(1 + rng.IntN(200)))
				s = j.Mul(dec("3.65"))
				sx := j.Mul(T).Shift(-2)
				if dated {
					ms := m.Delivery[i].Sub(m.Times[i]).Milliseconds()
					s, sx = j.Mul(dec("315.36")), j.Mul(T).Mul(decimal.NewFromInt(ms)).Shift(-8)
				}
				f = s.Add(sx)
			}
			m.Spot[i], m.Futures[i] = s.InexactFloat64(), f.InexactFloat64()
		}
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		p := DefaultParams()
		p.Rules.BasisEnter, p.Rules.BasisExit = f64(th), f64(th)
		kp := KernelParamsOf(p)
		k := kstate{p: prep, kp: kp, dated: dated, rules: newKernelRules(prep, &kp)}
		for i := range m.Times {
			var d int64
			ms := int64(1)
			if dated {
				d = prep.deliv[i]
				ms = d - prep.times[i]
			}
			got, ok := k.basis(&k.rules.bEnter, i, prep.fut[i], prep.futU[i], d)
			want := k.rules.bEnter.cmp(prep.futU[i], prep.spotU[i], k.rules.basisYear, ms)
			if !ok || got != want {
				t.Fatalf("case %d point %d: S %v F %v T %v: filtered %d, integers %d", c, i, m.Spot[i], m.Futures[i], th, got, want)
			}
			switch {
			case want == 0:
				ties++
			case offset[i]:
				near++
			}
		}
	}
	if near < 1000 || ties < 1000 {
		t.Errorf("%d comparisons near a tie and %d ties: the filter was not tested on them", near, ties)
	}
	t.Logf("%d comparisons near a tie, %d ties", near, ties)
}
