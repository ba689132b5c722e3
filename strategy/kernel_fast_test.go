package strategy

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"
)

// sameBits reports whether two kernel results are identical bit for bit
// (NaN equal to NaN).
func sameBits(a, b KernelTotals, ea, eb []float64) bool {
	if math.Float64bits(a.WorstMarginRatio) != math.Float64bits(b.WorstMarginRatio) {
		return false
	}
	a.WorstMarginRatio, b.WorstMarginRatio = 0, 0
	if !reflect.DeepEqual(a, b) {
		return false
	}
	for i := range ea {
		if math.Float64bits(ea[i]) != math.Float64bits(eb[i]) {
			return false
		}
	}
	return true
}

// TestKernelFastIsKernelGeneric: the kernel with precomputed signals and
// without (the rules' tests scanned forward) gives bit for bit the numbers
// of the kernel deciding at every grid point, on random perpetual markets
// and parameters (rules, rebalancing, leverage, rallies that liquidate),
// and on the rules grid over markets full of ties.
func TestKernelFastIsKernelGeneric(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 15))
	kinds := map[string]int{}
	check := func(c int, m *Market, p Params) {
		t.Helper()
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		kp := KernelParamsOf(p)
		sig := NewSignals(prep)
		sig.Add(kp)
		ea, eb := make([]float64, prep.Len()), make([]float64, prep.Len())
		ta := kernelGeneric(prep, kp, ea, nil)
		rc := sig.conds(prep, &kp)
		for _, x := range []cond{rc.fundEnter, rc.fundExit, rc.basisEnter, rc.basisExit} {
			if x.on && x.next == nil {
				t.Fatalf("case %d: signals missing after Add", c)
			}
		}
		for _, s := range []*Signals{sig, nil} { // next arrays, and scanning
			tb := KernelSignals(prep, s, kp, eb, nil)
			if !sameBits(ta, tb, ea, eb) {
				for i := range ea {
					if ea[i] != eb[i] {
						t.Logf("first difference at %d of %d: %v vs %v", i, len(ea), ea[i], eb[i])
						break
					}
				}
				t.Fatalf("case %d (%+v, signals %v):\ngeneric %+v\nfast    %+v", c, p.Rules, s != nil, ta, tb)
			}
		}
		rec := &KernelRecorder{}
		kernelGeneric(prep, kp, ea, rec)
		for _, f := range rec.Fills {
			kinds[string(f.Reason)]++
		}
	}
	for c := range 600 {
		m := randomMarket(rng, 20+rng.IntN(400))
		if rng.IntN(3) == 0 {
			m = tieRatesMarket(rng, 20+rng.IntN(400))
		}
		if rng.IntN(4) == 0 {
			k := rng.IntN(len(m.Times))
			for i := k; i < len(m.Times); i++ {
				m.Spot[i], m.Futures[i] = round8(m.Spot[i]*1.7), round2(m.Futures[i]*1.7)
			}
		}
		p := randomParams(rng)
		if rng.IntN(3) == 0 { // rules combined
			p.Rules.FundingLookback = 1 + rng.IntN(4)
			p.Rules.FundingEnter, p.Rules.FundingExit = f64(0.1095), f64(0.1095)
			p.Rules.BasisExit = f64(round4(-0.1 + rng.Float64()*0.2))
			p.Rules.MaxHold = time.Duration(1+rng.IntN(48)) * time.Hour
		}
		check(c, m, p)
	}
	m := tieRatesMarket(rng, 2000)
	for g, p := range rulesGrid() {
		check(1000+g, m, p)
	}
	// An 8h grid with hourly events: eight become known at once, so most
	// event counts are met by no grid point.
	coarse := randomMarket(rng, 400)
	coarse.Funding = nil
	for i := range coarse.Times {
		coarse.Times[i] = hr(float64(8 * i))
	}
	for h := -48; h <= 8*400; h++ {
		ev := event(float64(h), []float64{0.0001, 0.0001, 0.0003, -0.0002}[rng.IntN(4)], 0)
		ev.IntervalHours = 1
		coarse.Funding = append(coarse.Funding, ev)
	}
	for g, p := range rulesGrid() {
		check(1500+g, coarse, p)
	}
	check(2001, flatMarket(2, 1, 100, 100), DefaultParams())
	for _, k := range []string{"entry", "exit", "end", "rebalance", "liquidation"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the runs: the fast kernel was not tested on it", k)
		}
	}
}

// TestKernelAllocatesNothing: a run allocates nothing, with precomputed
// signals (kernelFast), without (always in: kernelFast; rules:
// kernelGeneric), and EquityStatsOf likewise.
func TestKernelAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	prep, err := Prepare(randomMarket(rng, 2000))
	if err != nil {
		t.Fatal(err)
	}
	rules := DefaultParams()
	rules.Rules.FundingEnter, rules.Rules.FundingExit = f64(0.05), f64(0)
	rules.Rules.BasisExit, rules.Rules.MaxHold = f64(-0.1), 24*time.Hour
	kr, ka := KernelParamsOf(rules), KernelParamsOf(DefaultParams())
	sig := NewSignals(prep)
	sig.Add(kr)
	equity := make([]float64, prep.Len())
	for name, run := range map[string]func(){
		"signals":    func() { KernelSignals(prep, sig, kr, equity, nil) },
		"always in":  func() { Kernel(prep, ka, equity, nil) },
		"no signals": func() { Kernel(prep, kr, equity, nil) },
		"statistics": func() { EquityStatsOf(equity, 10000) },
	} {
		if a := testing.AllocsPerRun(20, run); a != 0 {
			t.Errorf("%s: %v allocations a run", name, a)
		}
	}
}
