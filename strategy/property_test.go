package strategy

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// randomMarket is a perpetual random walk of n hourly points with 8h (then
// 4h) funding, some events without a mark, and events before the grid.
func randomMarket(rng *rand.Rand, n int) *Market {
	m := &Market{Symbol: "RNDUSDT", ContractType: data.Perpetual, Period: "1h"}
	s, prem := 100+rng.Float64()*1000, 0.0
	for i := range n {
		s *= math.Exp(rng.NormFloat64() * 0.01)
		prem += 0.3*(0.0004-prem) + rng.NormFloat64()*0.0005
		m.Times = append(m.Times, hr(float64(i)))
		m.Spot = append(m.Spot, round8(s))
		m.Futures = append(m.Futures, round2(s*(1+prem)))
	}
	for h := -48; h <= n+8; h += 8 {
		ev := event(float64(h), round8(0.0001+rng.NormFloat64()*0.0003), 0)
		if rng.IntN(3) > 0 {
			ev.Mark = data.Some(round8(s * (1 + rng.NormFloat64()*0.001)))
		}
		m.Funding = append(m.Funding, ev)
	}
	return m
}

func round8(v float64) float64 { return math.Round(v*1e8) / 1e8 }
func round2(v float64) float64 { return math.Round(v*100) / 100 }
func round4(v float64) float64 { return math.Round(v*1e4) / 1e4 }

// randomParams draws parameters and rules; thresholds have 4 decimals, so
// that some fall on a signal exactly (both implementations decide ties
// exactly).
func randomParams(rng *rand.Rand) Params {
	p := DefaultParams()
	p.Capital = decimal.NewFromInt(int64(1000 + rng.IntN(1_000_000)))
	p.Leverage = decimal.NewFromFloat([]float64{1, 2, 3, 5}[rng.IntN(4)])
	p.SpotFee = decimal.NewFromFloat([]float64{0, 0.001, 0.00075}[rng.IntN(3)])
	p.PerpFee = decimal.NewFromFloat([]float64{0, 0.0005, 0.0002}[rng.IntN(3)])
	p.Slippage = decimal.NewFromFloat([]float64{0, 0.0001, 0.0005}[rng.IntN(3)])
	if rng.IntN(2) == 0 {
		p.RebalanceBelow = decimal.NewFromFloat(0.05 + rng.Float64()*0.1)
	}
	switch rng.IntN(4) {
	case 1:
		p.Rules.FundingLookback = 1 + rng.IntN(5)
		p.Rules.FundingEnter, p.Rules.FundingExit = f64(round4(0.05+rng.Float64()*0.1)), f64(round4(-0.05+rng.Float64()*0.05))
	case 2:
		p.Rules.BasisEnter, p.Rules.BasisExit = f64(round4(0.05+rng.Float64()*0.2)), f64(round4(-0.1+rng.Float64()*0.1))
	case 3:
		p.Rules.MaxHold = time.Duration(1+rng.IntN(72)) * time.Hour
	}
	return p
}

// TestFlatPricesZeroFundingLeaveCapitalMinusCosts: with constant prices and
// no funding, the only money that moves is costs: final equity = C − fees −
// slippage cost (the basis P&L at fill prices is exactly −slippage).
func TestFlatPricesZeroFundingLeaveCapitalMinusCosts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		m := flatMarket(30, 1, 50+rng.Float64()*100, 0)
		for i := range m.Futures {
			m.Futures[i] = m.Spot[0]
		}
		p := randomParams(rng)
		p.Rules = Rules{FundingLookback: 1, MaxHold: time.Duration(1+rng.IntN(10)) * time.Hour}
		r := mustRun(t, m, p)
		tot := r.Totals
		want := p.Capital.Sub(tot.Fees).Sub(tot.SlippageCost)
		if !tot.FinalEquity.Equal(want) {
			t.Fatalf("final %s, want C − fees − slippage = %s", tot.FinalEquity, want)
		}
		if !tot.BasisPnL.Equal(tot.SlippageCost.Neg()) {
			t.Fatalf("basis P&L %s, want −slippage %s", tot.BasisPnL, tot.SlippageCost)
		}
	}
}

// TestScalingCapitalScalesMoney: every money output of a run with k·C is k
// times that of C (to the rounding of the position size), and every count
// is the same.
func TestScalingCapitalScalesMoney(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 30 {
		m := randomMarket(rng, 200)
		p := randomParams(rng)
		a := mustRun(t, m, p)
		k := decimal.NewFromInt(int64(2 + rng.IntN(50)))
		p.Capital = p.Capital.Mul(k)
		b := mustRun(t, m, p)
		ta, tb := a.Totals, b.Totals
		for _, c := range []struct {
			name string
			x, y decimal.Decimal
		}{{"final", ta.FinalEquity, tb.FinalEquity}, {"funding", ta.Funding, tb.Funding}, {"basis", ta.BasisPnL, tb.BasisPnL},
			{"fees", ta.Fees, tb.Fees}, {"slippage", ta.SlippageCost, tb.SlippageCost}, {"forfeit", ta.Forfeit, tb.Forfeit}} {
			if !near(c.x.Mul(k), c.y, "1e-9") {
				t.Fatalf("%s: %s × %s = %s, but the scaled run has %s", c.name, c.x, k, c.x.Mul(k), c.y)
			}
		}
		if ta.Trades != tb.Trades || ta.EventsReceived != tb.EventsReceived || ta.InMarket != tb.InMarket || ta.Liquidated != tb.Liquidated || len(a.Trades) != len(b.Trades) {
			t.Fatalf("counts differ: %+v vs %+v", ta, tb)
		}
	}
}

// TestIdentityHoldsExactlyEverywhere: Run checks equity − C = funding +
// basis − fees − forfeit exactly at every grid point and fails otherwise;
// here it runs on many random markets and parameters, liquidations and
// rebalances included.
func TestIdentityHoldsExactlyEverywhere(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	liquidations, rebalances := 0, 0
	for range 200 {
		m := randomMarket(rng, 100+rng.IntN(300))
		if rng.IntN(4) == 0 { // a rally that stresses the short
			k := rng.IntN(len(m.Times))
			for i := k; i < len(m.Times); i++ {
				m.Spot[i], m.Futures[i] = round8(m.Spot[i]*1.6), round2(m.Futures[i]*1.6)
			}
		}
		r := mustRun(t, m, randomParams(rng))
		if r.Totals.Liquidated {
			liquidations++
		}
		for _, tr := range r.Trades {
			if tr.Reason == ReasonRebalance {
				rebalances++
				break
			}
		}
		for _, row := range r.Equity {
			lhs := row.Equity.Sub(r.Params.Capital)
			rhs := row.CumFunding.Add(row.BasisPnL).Sub(row.CumFees).Sub(row.Forfeit)
			if !lhs.Equal(rhs) {
				t.Fatalf("identity broken at %s: %s ≠ %s", row.Time, lhs, rhs)
			}
		}
	}
	if liquidations == 0 || rebalances == 0 {
		t.Errorf("the random runs had %d liquidations and %d rebalancing runs: the identity was not tested on them", liquidations, rebalances)
	}
}

// TestNoLookAhead: changing every price and funding event after grid point
// k changes nothing the engine recorded up to k.
func TestNoLookAhead(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 60 {
		m := randomMarket(rng, 150)
		p := randomParams(rng)
		a := mustRun(t, m, p)
		k := rng.IntN(len(m.Times) - 2)
		changed := *m
		changed.Spot, changed.Futures = append([]float64(nil), m.Spot...), append([]float64(nil), m.Futures...)
		changed.Funding = append([]FundingEvent(nil), m.Funding...)
		for i := k + 1; i < len(m.Times); i++ {
			changed.Spot[i] = round8(changed.Spot[i] * (0.5 + rng.Float64()))
			changed.Futures[i] = round2(changed.Spot[i] * (1 + rng.NormFloat64()*0.01))
		}
		for j := range changed.Funding {
			if changed.Funding[j].Instant.After(m.Times[k]) {
				changed.Funding[j].Rate = round8(rng.NormFloat64() * 0.001)
			}
		}
		b := mustRun(t, &changed, p)
		for i := 0; i <= k; i++ {
			ra, rb := a.Equity[i], b.Equity[i]
			if !ra.Equity.Equal(rb.Equity) || !ra.Quantity.Equal(rb.Quantity) || !ra.CumFunding.Equal(rb.CumFunding) || !ra.CumFees.Equal(rb.CumFees) {
				t.Fatalf("row %d (≤ k = %d) changed: %+v vs %+v", i, k, ra, rb)
			}
		}
		for j, tr := range a.Trades {
			if tr.Time.After(m.Times[k]) {
				break
			}
			o := b.Trades[j]
			if !tr.Time.Equal(o.Time) || tr.Reason != o.Reason || tr.Leg != o.Leg || !tr.Quantity.Equal(o.Quantity) || !tr.Price.Equal(o.Price) || !tr.Fee.Equal(o.Fee) {
				t.Fatalf("trade %d before the change differs", j)
			}
		}
	}
}
