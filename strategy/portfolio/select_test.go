package portfolio

import (
	"math"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/strategy"
)

// engFundedMarket is an hourly perpetual from 00:00 of n points at S = F =
// 100 with one 8h event of the given rate at −8 h (known at the first
// point).
func engFundedMarket(sym string, n int, rate float64) *strategy.Market {
	m := engMarket(sym, 0, 1, n, engConst(100), engConst(100))
	m.Funding = []strategy.FundingEvent{engEvent(-8, rate, 100)}
	return m
}

// TestSelectionTiesAndThreshold: the first rebalance's kept members. A
// rate r every 8 h annualizes to r·3·365 (0.0001 → 0.1095 exactly).
func TestSelectionTiesAndThreshold(t *testing.T) {
	// Universe order C, A, B, D on purpose: ties go by symbol, not order.
	u := &Universe{Members: []Member{
		{Market: engFundedMarket("CUSDT", 3, 0.0001)},
		{Market: engFundedMarket("AUSDT", 3, 0.0001)},
		{Market: engFundedMarket("BUSDT", 3, 0.0001)},
		{Market: engFundedMarket("DUSDT", 3, 0.0002)},
	}}
	cases := []struct {
		name string
		top  int
		min  *float64
		want []int
	}{
		// D (0.219) first, then the 0.1095 tie by symbol: A, B.
		{"ties by symbol", 3, nil, []int{3, 1, 2}},
		{"top 2 of the tie", 2, nil, []int{3, 1}},
		// 0.1095 is exactly the threshold: a tie qualifies.
		{"threshold tie qualifies", 5, engF64(0.1095), []int{3, 1, 2, 0}},
		{"threshold just above", 5, engF64(0.10950000001), []int{3}},
		{"nobody qualifies", 5, engF64(0.3), nil},
	}
	for _, c := range cases {
		p := engFree()
		p.Lookback, p.Top, p.MinSignal = 1, c.top, c.min
		plan, err := NewPlan(u, p)
		if err != nil {
			t.Fatal(err)
		}
		if got := plan.Decisions[0].Kept; !slices.Equal(got, c.want) {
			t.Errorf("%s: kept %v, want %v", c.name, got, c.want)
		}
	}
}

// TestBasisThresholdTie: S = 100, F = 100.01: (F/S − 1)·365 = 0.0365
// exactly, the single-pair basis rule's value; a threshold of 0.0365
// qualifies, 0.03650001 does not.
func TestBasisThresholdTie(t *testing.T) {
	u := &Universe{Members: []Member{{Market: engMarket("AUSDT", 0, 1, 3, engConst(100), engConst(100.01))}}}
	for _, c := range []struct {
		min  float64
		kept int
	}{{0.0365, 1}, {0.03650001, 0}} {
		p := engFree()
		p.Signal, p.MinSignal = SignalBasis, engF64(c.min)
		plan, err := NewPlan(u, p)
		if err != nil {
			t.Fatal(err)
		}
		if d := plan.Decisions[0]; len(d.Kept) != c.kept || d.Signal[0] != 0.0365 {
			t.Errorf("threshold %v: kept %v, signal %v; want %d kept, signal 0.0365", c.min, d.Kept, d.Signal[0], c.kept)
		}
	}
}

func TestTargetWeights(t *testing.T) {
	cand := func(j int, vol float64) candidate { return candidate{j: j, sig: new(big.Rat), vol: vol} }
	cases := []struct {
		name   string
		by     Weighting
		top    int
		cap    float64
		kept   []candidate
		signal []float64
		want   []float64
		tol    float64
	}{
		// 1/K each, the missing third in cash.
		{"equal, 2 of 3", WeightEqual, 3, 1, []candidate{cand(0, 0), cand(2, 0)}, []float64{0.1, 0.1, 0.1}, []float64{1.0 / 3, 0, 1.0 / 3}, 0},
		// (n/K)·s/Σs = 1·0.2/0.3 and 1·0.1/0.3.
		{"signal", WeightSignal, 2, 1, []candidate{cand(0, 0), cand(1, 0)}, []float64{0.2, 0.1}, []float64{2.0 / 3, 1.0 / 3}, 1e-15},
		// The non-positive signal is dropped: n = 1, w = (1/2)·0.3/0.3.
		{"signal, one negative", WeightSignal, 2, 1, []candidate{cand(0, 0), cand(1, 0)}, []float64{0.3, -0.1}, []float64{0.5, 0}, 0},
		{"signal, none positive", WeightSignal, 2, 1, []candidate{cand(0, 0)}, []float64{-0.3}, []float64{0}, 0},
		// (n/K)(1/σ)/Σ(1/σ): 1/(1 + 1/2) = 2/3 and (1/2)/(3/2) = 1/3.
		{"inverse-vol", WeightInverseVol, 2, 1, []candidate{cand(0, 1), cand(1, 2)}, []float64{0, 0}, []float64{2.0 / 3, 1.0 / 3}, 1e-15},
		// Capped at 0.4; the excess stays in cash.
		{"inverse-vol capped", WeightInverseVol, 2, 0.4, []candidate{cand(0, 1), cand(1, 2)}, []float64{0, 0}, []float64{0.4, 1.0 / 3}, 1e-15},
	}
	for _, c := range cases {
		w := make([]float64, len(c.signal))
		targetWeights(w, c.kept, c.signal, c.by, c.top, c.cap)
		for j := range w {
			if math.Abs(w[j]-c.want[j]) > c.tol {
				t.Errorf("%s: weights %v, want %v", c.name, w, c.want)
				break
			}
		}
	}
}

// TestCarryVol: S = 100, 101, 100, 102, F = 100: r_1 = 1/100, r_2 =
// −1/101, r_3 = 2/100; with an event of rate 0.001, mark 100 at 01:30,
// r_2 = (−1 + 0.1)/101. Standard deviations (n − 1) from python3's
// statistics.stdev.
func TestCarryVol(t *testing.T) {
	spot := []float64{100, 101, 100, 102}
	m := engMarket("AUSDT", 0, 1, 4, func(i int) float64 { return spot[i] }, engConst(100))
	funded := engMarket("AUSDT", 0, 1, 4, func(i int) float64 { return spot[i] }, engConst(100))
	funded.Funding = []strategy.FundingEvent{engEvent(1.5, 0.001, 100)}
	cases := []struct {
		name   string
		m      *strategy.Market
		i      int
		window time.Duration
		want   float64
		ok     bool
	}{
		{"two returns", m, 3, 2 * time.Hour, 0.02114319286320172, true},
		{"with funding", funded, 3, 2 * time.Hour, 0.02044308713925464, true},
		{"three returns", m, 3, 3 * time.Hour, 0.0152212494878157, true},
		{"the window starts at the first return", m, 3, 30 * time.Hour, 0.0152212494878157, true},
		{"one return", m, 3, time.Hour, 0, false},
		{"first point", m, 1, 5 * time.Hour, 0, false},
	}
	for _, c := range cases {
		got, ok := carryVol(carryReturns(c.m), c.m.Times, c.i, c.window)
		if ok != c.ok || math.Abs(got-c.want) > 1e-15 {
			t.Errorf("%s: σ %v %v, want %v %v", c.name, got, ok, c.want, c.ok)
		}
	}
}

// TestEligibility: filters at the first rebalance (00:00) or a later one.
func TestEligibility(t *testing.T) {
	young := engFundedMarket("YUSDT", 30, 0.0001)
	young.Times, young.Spot, young.Futures = young.Times[5:], young.Spot[5:], young.Futures[5:] // from 05:00
	volumes := make([]float64, 30)
	for i := range volumes {
		volumes[i] = 100
	}
	volumes[24] = math.NaN() // counted as 0
	u := &Universe{Members: []Member{
		{Market: engFundedMarket("AUSDT", 30, 0.0001), QuoteVolume: volumes},
		{Market: young, QuoteVolume: volumes[5:]},
	}}
	cases := []struct {
		name   string
		set    func(*Params)
		point  int // decision index
		wantOK []bool
	}{
		// Daily decisions: 00:00 (book point 0) and 00:00 next day (24).
		{"no filter", func(*Params) {}, 1, []bool{true, true}},
		// Y began 19 h before the second decision.
		{"min history 20h", func(p *Params) { p.MinHistory = 20 * time.Hour }, 1, []bool{true, false}},
		{"min history 19h", func(p *Params) { p.MinHistory = 19 * time.Hour }, 1, []bool{true, true}},
		// The 24 h to point 24 hold points 1..24: A 23×100 (24 is NaN), Y
		// points 5..24 (24 NaN): 19×100.
		{"min volume 2300", func(p *Params) { p.MinQuoteVolume = 2300 }, 1, []bool{true, false}},
		{"min volume 1900", func(p *Params) { p.MinQuoteVolume = 1900 }, 1, []bool{true, true}},
		// At 00:00 Y is not in the universe yet.
		{"not present", func(*Params) {}, 0, []bool{true, false}},
		// Lookback 2 with one event known: no signal.
		{"signal undefined", func(p *Params) { p.Lookback = 2 }, 1, []bool{false, false}},
	}
	for _, c := range cases {
		p := engFree()
		p.Lookback, p.Rebalance = 1, Schedule{Every: 24 * time.Hour}
		c.set(&p)
		plan, err := NewPlan(u, p)
		if err != nil {
			t.Fatal(err)
		}
		d := plan.Decisions[c.point]
		for j, want := range c.wantOK {
			if got := !math.IsNaN(d.Signal[j]); got != want {
				t.Errorf("%s: member %d eligible %v, want %v", c.name, j, got, want)
			}
		}
	}
}

// TestMinHistoryCountsFromFirstData: MinHistory counts from the member's
// first data (Since), not from the window's first grid point. The window
// is 20 days hourly from 00:00 (daily decisions at days 0, 1, …, 19 are
// decisions 0, 1, …, 19). OLD's data began 30 days before the window
// (Since), so with MinHistory 14d it is eligible at the window's first
// rebalance; NEW is listed inside the window at day 2 (no Since: its
// first grid point), so it is eligible from day 2 + 14 = 16 on, not
// before; EDGE's Since is exactly 14d before day 0, so at day 0
// t − Since = MinHistory, a tie, which is eligible.
func TestMinHistoryCountsFromFirstData(t *testing.T) {
	const days = 20
	old := engFundedMarket("OLDUSDT", days*24, 0.0001)
	fresh := engFundedMarket("NEWUSDT", days*24, 0.0001)
	fresh.Times, fresh.Spot, fresh.Futures = fresh.Times[48:], fresh.Spot[48:], fresh.Futures[48:] // from day 2
	edge := engFundedMarket("EDGEUSDT", days*24, 0.0001)
	u := &Universe{Members: []Member{
		{Market: old, Since: engHr(-30 * 24)},
		{Market: fresh},
		{Market: edge, Since: engHr(-14 * 24)},
	}}
	p := engFree()
	p.Lookback, p.Top, p.Rebalance, p.MinHistory = 1, 3, Schedule{Every: 24 * time.Hour}, 14*24*time.Hour
	plan, err := NewPlan(u, p)
	if err != nil {
		t.Fatal(err)
	}
	firstEligible := func(j int) int {
		for k, d := range plan.Decisions {
			if !math.IsNaN(d.Signal[j]) {
				return k
			}
		}
		return -1
	}
	for j, want := range []int{0, 16, 0} {
		if got := firstEligible(j); got != want {
			t.Errorf("%s: first eligible at decision %d (day), want %d", u.Members[j].Market.Symbol, got, want)
		}
	}
	// The first decision holds OLD and EDGE: the book is not in cash for
	// the first 14 days of the window.
	if got := plan.Decisions[0].Kept; !slices.Equal(got, []int{2, 0}) {
		t.Errorf("kept at the window's first rebalance %v, want [2 0] (EDGE, OLD by symbol)", got)
	}
}
