package portfolio

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
)

// engScalingUniverse: A is known at the first point (an event 8 h before),
// B only from 01:00, when A also receives 25 of funding (25 units ×
// mark 100 × rate 0.01), so that A's weight is above its target and the
// cash cannot pay B's whole allocation. S = F = 100 throughout.
func engScalingUniverse() *Universe {
	a := engMarket("AUSDT", 0, 1, 3, engConst(100), engConst(100))
	a.Funding = []strategy.FundingEvent{engEvent(-8, 0.0001, 100), engEvent(1, 0.01, 100)}
	b := engMarket("BUSDT", 0, 1, 3, engConst(100), engConst(100))
	b.Funding = []strategy.FundingEvent{engEvent(1, 0.0001, 100)}
	return &Universe{Members: []Member{{Market: a}, {Market: b}}}
}

// TestBuysScaledToCash: free costs, L = 1, C = 10,000, K = 2, equal
// weights, lookback 1, hourly rebalances. At 00:00 only A qualifies:
// allocation 0.5 × 10,000 = 5,000 at 200 a unit (S + F/L) = 25 units, cash
// 5,000. At 01:00 A has 25 of funding: E = 5,000 + 25·100 + 2,525 =
// 10,025, each target 5,012.5.
func TestBuysScaledToCash(t *testing.T) {
	cases := []struct {
		name        string
		band        float64
		wantA, want string // units bought at 01:00 (A: "" for none)
	}{
		// Band 0.05: A's weight 5,025/10,025 = 0.50125 is inside, A is not
		// traded; B needs 5,012.5 > 5,000 of cash: scaled by 5,000/5,012.5,
		// B gets 5,000/200 = 25 units (python3: Fraction(50125,10) ×
		// Fraction(5000)/Fraction(50125,10) / 200 = 25; rounded down).
		{"A inside the band", 0.05, "", "25"},
		// Band 0: A (P = 5,025) is above its 5,012.5: it sells the fraction
		// 12.5/5,025 of itself, d = 25·12.5/5,025 (python3:
		// Fraction(25*125,10*5025) = 0.0621890547263681592…), releasing
		// exactly 12.5 to cash (spot 100·d, wallet 2,525·d/25); cash
		// 5,012.5 pays B's 5,012.5 whole: 5,012.5/200 = 25.0625, no scaling.
		{"A resized too", 0, "0.06218905472636815920", "25.0625"},
	}
	for _, c := range cases {
		p := engFree()
		p.Top, p.Lookback, p.Band = 2, 1, c.band
		r := engRun(t, engScalingUniverse(), p)
		var a, b []Trade
		for _, tr := range r.Trades {
			if tr.Time.Equal(engHr(1)) && tr.Leg == strategy.LegSpot {
				if tr.Symbol == "AUSDT" {
					a = append(a, tr)
				} else {
					b = append(b, tr)
				}
			}
		}
		if len(b) != 1 || b[0].Reason != strategy.ReasonEntry || b[0].Quantity.Sub(engDec(c.want)).Abs().GreaterThan(engDec("1e-14")) {
			t.Errorf("%s: B's fills at 01:00 %+v, want an entry of %s", c.name, b, c.want)
		}
		switch {
		case c.wantA == "" && len(a) != 0:
			t.Errorf("%s: A traded at 01:00: %+v", c.name, a)
		case c.wantA != "" && (len(a) != 1 || a[0].Reason != ReasonResize || a[0].Side != "sell" ||
			a[0].Quantity.Sub(engDec(c.wantA)).Abs().GreaterThan(engDec("1e-15"))):
			t.Errorf("%s: A's fills at 01:00 %+v, want a resize selling %s", c.name, a, c.wantA)
		}
		// The cash left is the rounding of the units, never negative.
		if cash := r.Rows[1].Cash; cash.IsNegative() || cash.GreaterThan(engDec("1e-12")) {
			t.Errorf("%s: cash after the buys %s, want in [0, 1e-12]", c.name, cash)
		}
	}
}

// TestDelistClosesAndTheBookGoesOn: B is delisted at 02:00 (its last
// point), A runs to 04:00. B closes at its last point with reason delist;
// A stays held; the book's last point closes A with reason end.
func TestDelistClosesAndTheBookGoesOn(t *testing.T) {
	a := engMarket("AUSDT", 0, 1, 5, engConst(100), engConst(100.1))
	a.Funding = []strategy.FundingEvent{engEvent(-8, 0.0001, 100)}
	b := engMarket("BUSDT", 0, 1, 3, engConst(50), engConst(50.05))
	b.Funding = []strategy.FundingEvent{engEvent(-8, 0.0002, 50), engEvent(1, 0.0002, 0)}
	p := DefaultParams()
	p.Top, p.Lookback, p.Rebalance.Every = 2, 1, time.Hour
	r := engRun(t, &Universe{Members: []Member{{Market: a}, {Market: b, Delisted: true}}}, p)
	var reasons []string
	for _, tr := range r.Trades {
		if tr.Leg == strategy.LegPerp {
			reasons = append(reasons, tr.Symbol+"@"+tr.Time.Format("15")+":"+string(tr.Reason))
		}
	}
	// Entries at 00:00 (A's id 1, B's id 2); B delisted at 02:00; A ends.
	if got, want := strings.Join(reasons, " "), "AUSDT@00:entry BUSDT@00:entry BUSDT@02:delist AUSDT@04:end"; got != want {
		t.Errorf("perp fills %s, want %s", got, want)
	}
	if !r.Pairs[1].Delisted || r.Pairs[0].Delisted || r.Pairs[1].HeldPoints != 2 || r.Pairs[0].HeldPoints != 4 {
		t.Errorf("pair totals %+v", r.Pairs)
	}
	if r.Rows[2].Holdings != 1 || r.Rows[2].Weights[1] != 0 || !(r.Rows[2].Weights[0] > 0.49 && r.Rows[2].Weights[0] < 0.51) {
		t.Errorf("after the delisting: %d held, weights %v; want A alone near 0.5", r.Rows[2].Holdings, r.Rows[2].Weights)
	}
	// B's event at 01:00 had no mark: F at 01:00 (50.05) was used.
	if len(r.Settlements) != 1 || r.Settlements[0].Symbol != "BUSDT" || !r.Settlements[0].MarkMissing || !r.Settlements[0].MarkPrice.Equal(engDec("50.05")) {
		t.Errorf("settlements %+v", r.Settlements)
	}
	ids := map[int]string{}
	for _, tr := range r.Trades {
		if s, ok := ids[tr.PositionID]; ok && s != tr.Symbol {
			t.Errorf("position id %d used by %s and %s", tr.PositionID, s, tr.Symbol)
		}
		ids[tr.PositionID] = tr.Symbol
	}
}

// engFills lists a run's perp fills as symbol@hour:reason#position.
func engFills(r *Result) string {
	var s []string
	for _, tr := range r.Trades {
		if tr.Leg == strategy.LegPerp {
			s = append(s, fmt.Sprintf("%s@%s:%s#%d", tr.Symbol[:1], tr.Time.Format("15"), tr.Reason, tr.PositionID))
		}
	}
	return strings.Join(s, " ")
}

// TestLiquidationOfOnePair: L = 2, free costs, K = 2, hourly. At 00:00 each
// pair gets 5,000 at S + F/L = 150 a unit: q = 33.333…, A's wallet q·50.
// At 01:00 A's S and F jump to 149.5: M = 50q + q(100 − 149.5) = 0.5q <
// 0.004·q·149.5 = 0.598q, so A is liquidated (forfeit 0.5q =
// 16.666…), B goes on, and A (still the best signal) is entered again at
// the same point's rebalance with a new position id.
func TestLiquidationOfOnePair(t *testing.T) {
	jump := func(i int) float64 { return []float64{100, 149.5, 149.5, 149.5}[i] }
	a := engMarket("AUSDT", 0, 1, 4, jump, jump)
	a.Funding = []strategy.FundingEvent{engEvent(-8, 0.0002, 100)}
	b := engFundedMarket("BUSDT", 4, 0.0001)
	p := engFree()
	p.Pair.Leverage = decimal.NewFromInt(2)
	p.Top, p.Lookback = 2, 1
	r := engRun(t, &Universe{Members: []Member{{Market: a}, {Market: b}}}, p)
	if got, want := engFills(r), "A@00:entry#1 B@00:entry#2 A@01:liquidation#1 A@01:entry#3 A@03:end#3 B@03:end#2"; got != want {
		t.Errorf("perp fills %s, want %s", got, want)
	}
	forfeit := engDec("16.666666666666666666665") // 0.5 × 33.33333333333333333333
	if !r.Rows[1].Forfeit.Equal(forfeit) || !r.Pairs[0].Forfeit.Equal(forfeit) || r.Pairs[0].Liquidated != 1 || r.Pairs[0].Entries != 2 || r.Pairs[1].Entries != 1 {
		t.Errorf("forfeit %s, pair totals %+v; want forfeit %s, A liquidated once and entered twice", r.Rows[1].Forfeit, r.Pairs, forfeit)
	}
}

// TestGapAndExit: A has no grid point at 02:00. Held, it is left alone by
// the 02:00 rebalance; its event at 02:30 is paid at 03:00 with the mark
// missing: F of its grid point at or before τ (01:00, 101). B's event at
// 01:00 turns its signal negative: below the threshold 0, B exits at 01:00
// (A keeps its 1/K: the rest of the book stays in cash).
func TestGapAndExit(t *testing.T) {
	a := engMarket("AUSDT", 0, 1, 5, engConst(100), engConst(101))
	a.Times = slices.Delete(a.Times, 2, 3)
	a.Spot, a.Futures = a.Spot[:4], a.Futures[:4]
	a.Futures[2], a.Futures[3] = 102, 102
	a.Funding = []strategy.FundingEvent{engEvent(-8, 0.0001, 100), engEvent(2.5, 0.0001, 0)}
	b := engFundedMarket("BUSDT", 5, 0.0002)
	b.Funding = append(b.Funding, engEvent(1, -0.0001, 100))
	p := engFree()
	p.Top, p.Lookback, p.MinSignal = 2, 1, engF64(0)
	r := engRun(t, &Universe{Members: []Member{{Market: a}, {Market: b}}}, p)
	if got, want := engFills(r), "A@00:entry#1 B@00:entry#2 B@01:exit#2 A@04:end#1"; got != want {
		t.Errorf("perp fills %s, want %s", got, want)
	}
	if !slices.Equal(r.Rebalances, []int{0, 1, 2, 3}) {
		t.Errorf("rebalances %v", r.Rebalances)
	}
	var s []strategy.Settlement
	for _, x := range r.Settlements {
		if x.Symbol == "AUSDT" {
			s = append(s, x)
		}
	}
	if len(s) != 1 || !s[0].SettledAt.Equal(engHr(2.5)) || !s[0].MarkMissing || !s[0].MarkPrice.Equal(engDec("101")) {
		t.Errorf("A's settlements %+v, want one at 02:30 marked at 101", s)
	}
}

// TestResizeBothWays: signal weights, K = 2, lookback 1. At 00:00 A's
// signal is twice B's (0.219 and 0.1095): weights 2/3 and 1/3; at 01:00
// the events swap them, outside the band: A is decreased first, then B
// increased, to about 1/3 and 2/3 of the book (the funding paid at 01:00,
// about 10⁻³ of it, stays in the wallets).
func TestResizeBothWays(t *testing.T) {
	a := engFundedMarket("AUSDT", 3, 0.0002)
	a.Funding = append(a.Funding, engEvent(1, 0.0001, 100))
	b := engFundedMarket("BUSDT", 3, 0.0001)
	b.Funding = append(b.Funding, engEvent(1, 0.0002, 100))
	p := engFree()
	p.Top, p.Lookback, p.Weights = 2, 1, WeightSignal
	r := engRun(t, &Universe{Members: []Member{{Market: a}, {Market: b}}}, p)
	var at1 []string
	for _, tr := range r.Trades {
		if tr.Time.Equal(engHr(1)) {
			at1 = append(at1, fmt.Sprintf("%s %s %s %s", tr.Symbol, tr.Leg, tr.Side, tr.Reason))
		}
	}
	want := "AUSDT spot sell resize|AUSDT perp buy resize|BUSDT spot buy resize|BUSDT perp sell resize"
	if got := strings.Join(at1, "|"); got != want {
		t.Errorf("fills at 01:00 %s, want %s", got, want)
	}
	if w := r.Rows[1].Weights; math.Abs(w[0]-1.0/3) > 1e-3 || math.Abs(w[1]-2.0/3) > 1e-3 {
		t.Errorf("weights after 01:00 %v, want about 1/3 and 2/3", w)
	}
	if w := r.Rows[0].Weights; math.Abs(w[0]-2.0/3) > 1e-15 || math.Abs(w[1]-1.0/3) > 1e-15 {
		t.Errorf("weights after 00:00 %v, want 2/3 and 1/3", w)
	}
}

// TestRunPlan: a plan made once runs with other costs exactly as Run does,
// and refuses parameters that would decide otherwise.
func TestRunPlan(t *testing.T) {
	u := &Universe{Members: []Member{{Market: engWavyMarket("AUSDT", 50)}, {Market: engWavyMarket("BUSDT", 40)}}}
	p := DefaultParams()
	p.Top = 2
	plan, err := NewPlan(u, p)
	if err != nil {
		t.Fatal(err)
	}
	q := p
	q.Pair.SpotFee, q.Band = engDec("0.002"), 0.01
	got, err := RunPlan(plan, q)
	if err != nil {
		t.Fatal(err)
	}
	want := engRun(t, u, q)
	if !got.FinalEquity.Equal(want.FinalEquity) || len(got.Trades) != len(want.Trades) {
		t.Errorf("RunPlan: final equity %s, %d trades; Run: %s, %d", got.FinalEquity, len(got.Trades), want.FinalEquity, len(want.Trades))
	}
	q.Top = 1
	if _, err := RunPlan(plan, q); err == nil {
		t.Error("RunPlan accepted another top")
	}
	q.Top, q.MinSignal = 2, engF64(0.1)
	if _, err := RunPlan(plan, q); err == nil {
		t.Error("RunPlan accepted another threshold")
	}
}

// TestRunStopsWhenCancelled: a cancelled context stops the engine with
// its error, not a result.
func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunContext(ctx, engScalingUniverse(), engFree()); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled run: %v, want context.Canceled", err)
	}
}
