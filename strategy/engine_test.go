package strategy

import (
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// TestConstantFunding: S = F = 100 for 24 hours, 0.01% funding every 8h
// with mark 100, always in from the first grid point.
func TestConstantFunding(t *testing.T) {
	m := flatMarket(25, 1, 100, 100)
	m.Funding = []FundingEvent{event(8, 0.0001, 100), event(16, 0.0001, 100), event(24, 0.0001, 100)}

	// Without costs: q = 10000 / (100 + 100·1) = 50; each event pays
	// 50 × 100 × 0.0001 = 0.5; the event at 24h is the last grid point and
	// a close at τ comes after the settlement, so all three are received.
	r := mustRun(t, m, free())
	if got := r.Totals.FinalEquity; !got.Equal(dec("10001.5")) {
		t.Errorf("final equity %s, want 10001.5", got)
	}
	if r.Totals.EventsReceived != 3 || r.Totals.PositiveEvents != 3 || !r.Settlements[0].Payment.Equal(dec("0.5")) {
		t.Errorf("settlements %+v", r.Settlements)
	}
	if r.Totals.InMarket != 24 || r.Totals.Trades != 1 {
		t.Errorf("in market %d intervals, %d trades", r.Totals.InMarket, r.Totals.Trades)
	}

	// With the default costs (Python decimal, prec 50, same formulas):
	// S_f = 100.01, F_f = 99.99, q = 10000 / (100.01·1.001 + 99.99·1.0005)
	// = 49.96252685579498236835; funding 3 × q × 100 × 0.0001; exit at
	// 99.99 spot / 100.01 perp with fees.
	r = mustRun(t, m, DefaultParams())
	for _, c := range []struct{ name, got, want string }{
		{"q", r.Trades[0].Quantity.String(), "49.96252685579498236835"},
		{"final equity", r.Totals.FinalEquity.String(), "9984.5116166747035554658115"},
		{"funding", r.Totals.Funding.String(), "1.4988758056738494710505"},
		{"fees", r.Totals.Fees.String(), "14.988758056738494710505"},
		{"slippage", r.Totals.SlippageCost.String(), "1.998501074231799294734"},
		{"basis", r.Totals.BasisPnL.String(), "-1.998501074231799294734"},
	} {
		if !near(dec(c.got), dec(c.want), "1e-18") {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
}

// TestFundingSignFlips: rates +0.02%, −0.01%, +0.03% on q = 50 at mark 100
// pay +1, −0.5, +1.5; the negative event is paid by the short.
func TestFundingSignFlips(t *testing.T) {
	m := flatMarket(25, 1, 100, 100)
	m.Funding = []FundingEvent{event(8, 0.0002, 100), event(16, -0.0001, 100), event(24, 0.0003, 100)}
	r := mustRun(t, m, free())
	want := []string{"1", "-0.5", "1.5"}
	for i, s := range r.Settlements {
		if !s.Payment.Equal(dec(want[i])) || !s.PositionSize.Equal(dec("5000")) {
			t.Errorf("settlement %d: payment %s size %s, want %s and 5000", i, s.Payment, s.PositionSize, want[i])
		}
	}
	if !r.Totals.FinalEquity.Equal(dec("10002")) || r.Totals.PositiveEvents != 2 {
		t.Errorf("final %s, positive %d", r.Totals.FinalEquity, r.Totals.PositiveEvents)
	}
}

// TestMissingMarkPrice: events without a mark are paid on F at the last grid
// point at or before τ. Grid every 3h; F = 100 + hours.
func TestMissingMarkPrice(t *testing.T) {
	m := flatMarket(9, 3, 100, 100)
	for i := range m.Futures {
		m.Futures[i] = 100 + float64(3*i)
		m.Spot[i] = m.Futures[i]
	}
	// τ = 8h lies between grid points 6h and 9h: F(6h) = 106.
	// τ = 12h is a grid point: F(12h) = 112. τ = 20h carries a mark.
	m.Funding = []FundingEvent{event(8, 0.001, 0), event(12, 0.001, 0), event(20, 0.001, 150)}
	r := mustRun(t, m, free())
	// q = 10000 / (100 + 100) = 50.
	wantMarks := []string{"106", "112", "150"}
	for i, s := range r.Settlements {
		if !s.MarkPrice.Equal(dec(wantMarks[i])) || s.MarkMissing != (i < 2) {
			t.Errorf("settlement %d: mark %s missing %v, want %s", i, s.MarkPrice, s.MarkMissing, wantMarks[i])
		}
	}
	if r.Totals.MissingMark != 2 {
		t.Errorf("missing marks %d, want 2", r.Totals.MissingMark)
	}
	if want := dec("50").Mul(dec("106").Add(dec("112")).Add(dec("150"))).Mul(dec("0.001")); !r.Totals.Funding.Equal(want) {
		t.Errorf("funding %s, want %s", r.Totals.Funding, want)
	}
}

// TestEntryAndExitAtAFundingInstant: the basis rule enters at 8h (the
// premium appears there) and exits at 16h (it vanishes). The position
// opened at τ = 8h does not receive that event (opened at τ, not before);
// it receives τ = 16h, since a close at τ comes after the settlement.
func TestEntryAndExitAtAFundingInstant(t *testing.T) {
	m := flatMarket(25, 1, 100, 100)
	for i := 8; i < 16; i++ {
		m.Futures[i] = 100.1 // (100.1/100 − 1)·365 = 36.5% annualized
	}
	m.Funding = []FundingEvent{event(8, 0.001, 100), event(16, 0.001, 100), event(24, 0.001, 100)}
	p := free()
	p.Rules.BasisEnter, p.Rules.BasisExit = f64(0.30), f64(0.05)
	r := mustRun(t, m, p)
	if len(r.Settlements) != 1 || !r.Settlements[0].SettledAt.Equal(hr(16)) {
		t.Fatalf("settlements %+v, want only τ = 16h", r.Settlements)
	}
	if r.Trades[0].Time != hr(8) || r.Trades[2].Time != hr(16) || r.Trades[2].Reason != ReasonExit {
		t.Errorf("trades %+v", r.Trades)
	}
	// q = 10000 / (100 + 100.1) = 49.97501249375312343828; funding
	// q × 100 × 0.001; basis: short from 100.1 to 100 gains q × 0.1.
	q := dec("10000").DivRound(dec("200.1"), divScale)
	want := dec("10000").Add(q.Mul(dec("0.1"))).Add(q.Mul(dec("100")).Mul(dec("0.001")))
	if got := r.Totals.FinalEquity; !near(got, want, "1e-15") {
		t.Errorf("final %s, want %s", got, want)
	}
	if r.Totals.InMarket != 8 {
		t.Errorf("in market %d intervals, want 8", r.Totals.InMarket)
	}
}

// TestLiquidation: L = 2, no costs, S = F = 100 then both rally to 149.5 at
// 5h. q = 10000 / (100 + 100/2) = 66.66…67. Margin balance at 149.5:
// q·100/2 + q·(100 − 149.5) = 0.5q < 0.004 × q × 149.5 = 0.598q: liquidated,
// the exchange keeps 0.5q, the spot is sold at 149.5, flat to the end.
func TestLiquidation(t *testing.T) {
	m := flatMarket(10, 1, 100, 100)
	for i := 5; i < 10; i++ {
		m.Spot[i], m.Futures[i] = 149.5, 149.5
	}
	p := free()
	p.Leverage = dec("2")
	r := mustRun(t, m, p)
	q := dec("10000").DivRound(dec("150"), divScale)
	if !r.Totals.Liquidated || !r.Totals.LiquidatedAt.Equal(hr(5)) {
		t.Fatalf("liquidated %v at %s", r.Totals.Liquidated, r.Totals.LiquidatedAt)
	}
	if want := q.Mul(dec("0.5")); !r.Totals.Forfeit.Equal(want) {
		t.Errorf("forfeit %s, want %s", r.Totals.Forfeit, want)
	}
	// (Up to the rounding of q at 20 places, whose residue stays in cash.)
	if want := q.Mul(dec("149.5")); !near(r.Totals.FinalEquity, want, "1e-15") {
		t.Errorf("final %s, want q × 149.5 = %s", r.Totals.FinalEquity, want)
	}
	// Worst margin ratio seen: 0.5/149.5 at 5h.
	if want := dec("0.5").DivRound(dec("149.5"), 10); !near(r.Totals.WorstMarginRatio.Decimal, want, "1e-10") || !r.Totals.WorstMarginAt.Equal(hr(5)) {
		t.Errorf("worst ratio %s at %s", r.Totals.WorstMarginRatio.Decimal, r.Totals.WorstMarginAt)
	}
	if r.Totals.Trades != 1 || r.Equity[9].Quantity.IsPositive() {
		t.Error("the run re-entered after a liquidation")
	}
}

// TestRebalance: L = 2, no costs, rebalance below 0.3. At 3h both legs
// rally to 120: margin balance q·50 + q·(100 − 120) = 30q, ratio 0.25.
// Δq = (q·120/2 − 30q) / (120 + 120/2) = q/6; afterwards 5q/6 held and a
// margin balance of 30q + 120·q/6 = 50q: ratio 50q / (5q/6 · 120) = 0.5 = 1/L.
func TestRebalance(t *testing.T) {
	m := flatMarket(6, 1, 100, 100)
	for i := 3; i < 6; i++ {
		m.Spot[i], m.Futures[i] = 120, 120
	}
	p := free()
	p.Leverage, p.RebalanceBelow = dec("2"), dec("0.3")
	r := mustRun(t, m, p)
	q := dec("10000").DivRound(dec("150"), divScale)
	var reb []Trade
	for _, tr := range r.Trades {
		if tr.Reason == ReasonRebalance {
			reb = append(reb, tr)
		}
	}
	if len(reb) != 2 || !near(reb[0].Quantity, q.Div(dec("6")), "1e-15") || reb[0].Leg != LegSpot || reb[1].Side != "buy" {
		t.Fatalf("rebalance fills %+v", reb)
	}
	if got := r.Equity[3].MarginRatio.Decimal; !near(got, dec("0.5"), "1e-15") {
		t.Errorf("margin ratio after the rebalance %s, want 0.5", got)
	}
	if !near(r.Equity[3].Quantity, q.Mul(dec("5")).Div(dec("6")), "1e-15") {
		t.Errorf("held %s after the rebalance", r.Equity[3].Quantity)
	}
	// No costs and the legs moved together: equity stays 10000.
	if !near(r.Totals.FinalEquity, dec("10000"), "1e-15") {
		t.Errorf("final %s", r.Totals.FinalEquity)
	}
}

// datedMarket: a CURRENT_QUARTER series around a delivery at 10h. Spot is
// 100 throughout; the expiring contract converges from 101 to 100.1 by 9h;
// from 10h the series prices the next contract at 102.
func datedMarket() *Market {
	m := flatMarket(16, 1, 100, 0)
	m.ContractType = data.CurrentQuarter
	d1, d2 := hr(10), hr(10+24*91)
	for i := range m.Times {
		if i < 10 {
			m.Futures[i] = 101 - 0.1*float64(i)
			m.Delivery = append(m.Delivery, d1)
		} else {
			m.Futures[i] = 102
			m.Delivery = append(m.Delivery, d2)
		}
	}
	return m
}

// TestDatedToDelivery: enter at 0h short at 101, held to delivery at 10h,
// settled at the index 100 there, spot sold, flat. No costs: q = 10000 /
// (100 + 101) and the basis earned is q × (101 − 100) = q. The series' jump
// from 100.1 to 102 at the switch is never P&L.
func TestDatedToDelivery(t *testing.T) {
	m := datedMarket()
	p := free()
	p.Rules.BasisEnter, p.Rules.BasisExit = f64(0.5), f64(-1e9) // enter once, never exit on the rule
	r := mustRun(t, m, p)
	q := dec("10000").DivRound(dec("201"), divScale)
	if want := dec("10000").Add(q); !near(r.Totals.FinalEquity, want, "1e-15") {
		t.Errorf("final %s, want %s", r.Totals.FinalEquity, want)
	}
	var delivery []Trade
	for _, tr := range r.Trades {
		if tr.Reason == ReasonDelivery {
			delivery = append(delivery, tr)
		}
	}
	if len(delivery) != 2 || !delivery[0].Price.Equal(dec("100")) || !delivery[0].Time.Equal(hr(10)) {
		t.Errorf("delivery fills %+v", delivery)
	}
	// After delivery the annualized basis of the new contract (2%·365/91
	// days ≈ 8%) is below the entry threshold: flat to the end.
	if r.Totals.Trades != 1 {
		t.Errorf("%d positions, want 1", r.Totals.Trades)
	}
	// Binance's annualizedBasisRate for the expiring contract at 0h:
	// (101/100 − 1)·365/(10h/24h) = 3.65·… : data.AnnualizedBasis reproduces it.
	if got := data.AnnualizedBasis(101, 100, hr(0), hr(10)); got < 8.7599 || got > 8.7601 {
		t.Errorf("annualized basis %v, want 0.01·365·2.4 = 8.76", got)
	}
}

// TestDatedRoll: the same, rolling at delivery: the short is settled at 100
// and a new one opened at 102 on the next contract, the spot kept; at the
// end (15h) the new short is bought back at 102: its P&L is zero, and the
// jump is not P&L either.
func TestDatedRoll(t *testing.T) {
	m := datedMarket()
	p := free()
	p.OnDelivery = DeliverRoll
	r := mustRun(t, m, p)
	q := dec("10000").DivRound(dec("201"), divScale)
	if want := dec("10000").Add(q); !near(r.Totals.FinalEquity, want, "1e-15") {
		t.Errorf("final %s, want %s", r.Totals.FinalEquity, want)
	}
	reasons := []string{}
	for _, tr := range r.Trades {
		reasons = append(reasons, string(tr.Leg)+":"+string(tr.Reason))
	}
	if got := strings.Join(reasons, " "); got != "spot:entry perp:entry perp:delivery perp:roll spot:end perp:end" {
		t.Errorf("fills %s", got)
	}
	if r.Equity[10].Quantity.IsZero() || !near(r.Equity[12].Equity, dec("10000").Add(q), "1e-15") {
		t.Errorf("after the roll: %+v", r.Equity[12])
	}
}

func TestParamsAreValidated(t *testing.T) {
	p := DefaultParams()
	p.Leverage = dec("300") // 1/L = 0.0033 < m = 0.004
	if _, err := Run(flatMarket(3, 1, 1, 1), p); err == nil || !strings.Contains(err.Error(), "leverage 300") {
		t.Errorf("err = %v", err)
	}
	p = DefaultParams()
	p.Rules.FundingEnter = f64(0.1)
	if _, err := Run(flatMarket(3, 1, 1, 1), p); err == nil || !strings.Contains(err.Error(), "funding rule") {
		t.Errorf("err = %v", err)
	}
	// A threshold is compared exactly at most 18 decimal places.
	p = DefaultParams()
	p.Rules.BasisEnter, p.Rules.BasisExit = f64(0.1), f64(1.5e-19)
	if _, err := Run(flatMarket(3, 1, 1, 1), p); err == nil || !strings.Contains(err.Error(), "basis exit threshold 1.5e-19 has 20 decimal places") {
		t.Errorf("err = %v", err)
	}
	if _, err := Run(flatMarket(1, 1, 1, 1), DefaultParams()); err == nil || !strings.Contains(err.Error(), "need at least 2") {
		t.Errorf("err = %v", err)
	}
	_ = time.Second
}
