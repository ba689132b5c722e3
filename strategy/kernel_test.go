package strategy

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// agree is the kernel's tolerance: 1e-9 relative, 1e-9 absolute near zero.
func agree(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) <= 1e-9*math.Max(1, math.Max(math.Abs(a), math.Abs(b)))
}

// randomDatedMarket is a CURRENT_QUARTER (or NEXT_QUARTER) series with
// contracts delivering every 100 hours, converging to spot, and the other
// quarterly series beside it.
func randomDatedMarket(rng *rand.Rand, n int, next bool) *Market {
	m := randomMarket(rng, n)
	m.Funding = nil
	m.ContractType = data.CurrentQuarter
	if next {
		m.ContractType = data.NextQuarter
	}
	prem1, prem2 := 0.01+rng.Float64()*0.02, 0.02+rng.Float64()*0.03
	for i, t := range m.Times {
		d1 := hr(float64((i/100 + 1) * 100))
		d2 := d1.Add(100 * time.Hour)
		left1, left2 := d1.Sub(t).Hours()/100, d2.Sub(t).Hours()/200
		cur := round2(m.Spot[i] * (1 + prem1*left1 + rng.NormFloat64()*0.0005))
		nxt := round2(m.Spot[i] * (1 + prem2*left2 + rng.NormFloat64()*0.0005))
		if next {
			m.Futures[i], m.Delivery = nxt, append(m.Delivery, d2)
			m.AltFutures, m.AltDelivery = append(m.AltFutures, cur), append(m.AltDelivery, d1)
		} else {
			m.Futures[i], m.Delivery = cur, append(m.Delivery, d1)
			m.AltFutures, m.AltDelivery = append(m.AltFutures, nxt), append(m.AltDelivery, d2)
		}
	}
	return m
}

func TestKernelAgreesWithTheExactEngine(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	kinds := map[string]int{}
	for c := range 400 {
		var m *Market
		switch c % 4 {
		case 0, 1:
			m = randomMarket(rng, 50+rng.IntN(400))
		case 2:
			m = randomDatedMarket(rng, 50+rng.IntN(400), false)
		case 3:
			m = randomDatedMarket(rng, 50+rng.IntN(400), true)
		}
		if rng.IntN(5) == 0 {
			k := rng.IntN(len(m.Times))
			for i := k; i < len(m.Times); i++ {
				m.Spot[i], m.Futures[i] = round8(m.Spot[i]*1.7), round2(m.Futures[i]*1.7)
				if m.AltFutures != nil {
					m.AltFutures[i] = round2(m.AltFutures[i] * 1.7)
				}
			}
		}
		p := randomParams(rng)
		if m.Dated() && rng.IntN(2) == 0 {
			p.OnDelivery = DeliverRoll
		}
		exact, err := Run(m, p)
		if err != nil {
			t.Fatal(err)
		}
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		rec := &KernelRecorder{}
		equity := make([]float64, prep.Len())
		kt := Kernel(prep, KernelParamsOf(p), equity, rec)
		compareRun(t, c, exact, kt, rec, equity)
		if exact.Totals.Liquidated {
			kinds["liquidation"]++
		}
		for _, tr := range exact.Trades {
			kinds[string(tr.Reason)]++
		}
	}
	for _, k := range []string{"entry", "exit", "end", "rebalance", "liquidation", "delivery", "roll"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the random runs: the agreement was not tested on it", k)
		}
	}
}

func compareRun(t *testing.T, c int, exact *Result, kt KernelTotals, rec *KernelRecorder, equity []float64) {
	t.Helper()
	et := exact.Totals
	for _, x := range []struct {
		name string
		a, b float64
	}{
		{"final equity", et.FinalEquity.InexactFloat64(), kt.FinalEquity},
		{"funding", et.Funding.InexactFloat64(), kt.Funding},
		{"basis", et.BasisPnL.InexactFloat64(), kt.BasisPnL},
		{"fees", et.Fees.InexactFloat64(), kt.Fees},
		{"slippage", et.SlippageCost.InexactFloat64(), kt.SlippageCost},
		{"forfeit", et.Forfeit.InexactFloat64(), kt.Forfeit},
	} {
		if !agree(x.a, x.b) {
			t.Fatalf("case %d: %s: exact %v, kernel %v", c, x.name, x.a, x.b)
		}
	}
	worst := math.NaN()
	if et.WorstMarginRatio.Valid {
		worst = et.WorstMarginRatio.Decimal.InexactFloat64()
	}
	if et.EventsReceived != kt.EventsReceived || et.PositiveEvents != kt.PositiveEvents || et.MissingMark != kt.MissingMark ||
		et.Trades != kt.Trades || et.InMarket != kt.InMarket || et.Liquidated != kt.Liquidated || !agree(worst, kt.WorstMarginRatio) {
		t.Fatalf("case %d: counts differ:\nexact  %+v\nkernel %+v", c, et, kt)
	}
	if len(exact.Trades) != len(rec.Fills) || len(exact.Settlements) != len(rec.Payments) {
		t.Fatalf("case %d: %d fills and %d settlements, kernel %d and %d", c, len(exact.Trades), len(exact.Settlements), len(rec.Fills), len(rec.Payments))
	}
	for j, tr := range exact.Trades {
		f := rec.Fills[j]
		if tr.Reason != f.Reason || tr.Leg != f.Leg || !agree(tr.Quantity.InexactFloat64(), f.Qty) || !agree(tr.Price.InexactFloat64(), f.Price) || !agree(tr.Fee.InexactFloat64(), f.Fee) {
			t.Fatalf("case %d fill %d: exact %+v, kernel %+v", c, j, tr, f)
		}
	}
	for j, s := range exact.Settlements {
		if !agree(s.Payment.InexactFloat64(), rec.Payments[j]) {
			t.Fatalf("case %d settlement %d: %s vs %v", c, j, s.Payment, rec.Payments[j])
		}
	}
	for i, row := range exact.Equity {
		mr := math.NaN()
		if row.MarginRatio.Valid {
			mr = row.MarginRatio.Decimal.InexactFloat64()
		}
		if !agree(row.Equity.InexactFloat64(), equity[i]) || !agree(row.Equity.InexactFloat64(), rec.Equity[i]) ||
			!agree(row.CumFunding.InexactFloat64(), rec.CumFunding[i]) || !agree(row.CumFees.InexactFloat64(), rec.CumFees[i]) ||
			!agree(row.BasisPnL.InexactFloat64(), rec.BasisPnL[i]) || !agree(row.Quantity.InexactFloat64(), rec.Quantity[i]) || !agree(mr, rec.MarginRatio[i]) {
			t.Fatalf("case %d row %d: exact %+v; kernel equity %v funding %v fees %v basis %v q %v ratio %v", c, i, row,
				rec.Equity[i], rec.CumFunding[i], rec.CumFees[i], rec.BasisPnL[i], rec.Quantity[i], rec.MarginRatio[i])
		}
	}
}

// TestKernelEdgeCases runs the agreement on the scenario markets.
func TestKernelEdgeCases(t *testing.T) {
	liq := flatMarket(10, 1, 100, 100)
	for i := 5; i < 10; i++ {
		liq.Spot[i], liq.Futures[i] = 149.5, 149.5
	}
	// Just either side of the maintenance line at L = 2 without costs:
	// margin/notional = (150 − F)/F = 0.004016 at F = 149.40 (kept open)
	// and 0.003949 at F = 149.41 (liquidated).
	line := func(f float64) *Market {
		m := flatMarket(8, 1, 100, 100)
		for i := 4; i < 8; i++ {
			m.Spot[i], m.Futures[i] = f, f
		}
		return m
	}
	const2 := flatMarket(25, 1, 100, 100)
	const2.Funding = []FundingEvent{event(8, 0.0001, 0), event(16, -0.0001, 100), event(24, 0.0001, 100)}
	never := DefaultParams()
	never.Rules.BasisEnter, never.Rules.BasisExit = f64(10), f64(0)
	lev := DefaultParams()
	lev.Leverage = dec("2")
	reb := DefaultParams()
	reb.Leverage, reb.RebalanceBelow = dec("2"), dec("0.3")
	free2 := free()
	free2.Leverage = dec("2")
	roll := DefaultParams()
	roll.OnDelivery = DeliverRoll
	cases := []struct {
		name string
		m    *Market
		p    Params
	}{
		{"constant funding, missing mark", const2, DefaultParams()},
		{"never enters", const2, never},
		{"liquidation", liq, lev},
		{"just above the maintenance line", line(149.40), free2},
		{"just below the maintenance line", line(149.41), free2},
		{"rebalance", liq, reb},
		{"dated flat", datedMarket(), DefaultParams()},
		{"dated roll", datedMarket(), roll},
		{"two points", flatMarket(2, 1, 100, 100), DefaultParams()},
	}
	for c, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			exact := mustRun(t, tc.m, tc.p)
			if tc.name == "just above the maintenance line" && exact.Totals.Liquidated || tc.name == "just below the maintenance line" && !exact.Totals.Liquidated {
				t.Fatalf("liquidated = %v", exact.Totals.Liquidated)
			}
			prep, err := Prepare(tc.m)
			if err != nil {
				t.Fatal(err)
			}
			rec := &KernelRecorder{}
			equity := make([]float64, prep.Len())
			compareRun(t, c, exact, Kernel(prep, KernelParamsOf(tc.p), equity, rec), rec, equity)
		})
	}
}
