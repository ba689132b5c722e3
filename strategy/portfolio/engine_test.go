package portfolio

import (
	"strings"
	"testing"
	"time"

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
		// Band 0: A is resized to 5,012.5/200 = 25.0625 (+0.0625, needs
		// 12.5), B needs 5,012.5; 5,025 > 5,000: both scaled by 5,000/5,025
		// (python3: 12.5·f/200 = 0.06218905472636816, 5012.5·f/200 =
		// 24.937810945273633).
		{"A resized too", 0, "0.06218905472636816", "24.937810945273633"},
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
		case c.wantA != "" && (len(a) != 1 || a[0].Reason != ReasonResize || a[0].Side != "buy" ||
			a[0].Quantity.Sub(engDec(c.wantA)).Abs().GreaterThan(engDec("1e-15"))):
			t.Errorf("%s: A's fills at 01:00 %+v, want a resize buying %s", c.name, a, c.wantA)
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
