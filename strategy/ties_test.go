package strategy

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// side says where a grid point's signal lies against the threshold.
type side int

const (
	below side = iota - 1
	tie
	above
)

// replayPositions counts the positions a run opens given, per grid point,
// the side of its signal against a rule whose entry and exit thresholds are
// both T: flat, enter on ≥ (not at the last point); open, exit on ≤. Dated
// positions are delivered at the first point at or after delivery, which is
// that point's action. Independent of both implementations.
func replayPositions(m *Market, sides []side) int {
	open, positions := false, 0
	var deliv time.Time
	for i, t := range m.Times {
		last := i == len(m.Times)-1
		switch {
		case open && m.Dated() && !t.Before(deliv):
			open = false
		case open:
			open = sides[i] > tie
		case !last && sides[i] >= tie:
			open, positions = true, positions+1
			if m.Dated() {
				deliv = m.Delivery[i]
			}
		}
	}
	return positions
}

// tieMarket draws, for each grid point, a side and a spot price S with 2
// decimals (within 2 % of each other), and sets F so that the annualized basis at that point is T
// exactly (f(i, S) is that F, in decimal), or F ± 0.01 above or below it.
// About half of the points tie.
func tieMarket(rng *rand.Rand, m *Market, f func(i int, s decimal.Decimal) decimal.Decimal) []side {
	sides := make([]side, len(m.Times))
	for i := range m.Times {
		s := decimal.New(int64(50_000+rng.IntN(1_000)), -2) // 500.00 to 509.99: no liquidation
		fi := f(i, s)
		switch r := rng.IntN(4); {
		case r == 0:
			sides[i], fi = above, fi.Add(decimal.New(1, -2))
		case r == 1:
			sides[i], fi = below, fi.Sub(decimal.New(1, -2))
		default:
			sides[i] = tie
		}
		m.Spot[i], m.Futures[i] = s.InexactFloat64(), fi.InexactFloat64()
	}
	return sides
}

// TestKernelAgreesOnBasisTies: synthetic markets whose annualized basis
// equals the threshold exactly at about half of the grid points, where a
// float64 signal falls on either side at random. The engine and the kernel
// must both decide every tie exactly: the positions opened are those of
// replayPositions, and the runs agree to 1e-9.
func TestKernelAgreesOnBasisTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	// Perpetual: (F/S − 1)·365 = 0.1095 at F = S·1.0003 (a basis of 3 bp,
	// which float64 computes as 0.10949999999… or 0.10950000000…1).
	perp := func() (*Market, []side, float64) {
		m := flatMarket(200, 1, 0, 0)
		return m, tieMarket(rng, m, func(_ int, s decimal.Decimal) decimal.Decimal {
			return s.Mul(dec("1.0003"))
		}), 0.1095
	}
	// CURRENT_QUARTER, deliveries every 100 h: (F/S − 1)·365·24/hours left
	// = 0.0876 at F = S·(1 + 0.00001·hours left).
	dated := func() (*Market, []side, float64) {
		m := flatMarket(350, 1, 0, 0)
		m.ContractType = data.CurrentQuarter
		for i := range m.Times {
			m.Delivery = append(m.Delivery, hr(float64((i/100+1)*100)))
		}
		return m, tieMarket(rng, m, func(i int, s decimal.Decimal) decimal.Decimal {
			left := m.Delivery[i].Sub(m.Times[i]).Hours()
			return s.Mul(one.Add(decimal.New(int64(left), -5)))
		}), 0.0876
	}
	for _, tc := range []struct {
		name   string
		market func() (*Market, []side, float64)
	}{{"perpetual", perp}, {"dated", dated}} {
		t.Run(tc.name, func(t *testing.T) {
			for c := range 20 {
				m, sides, th := tc.market()
				p := free()
				p.Rules.BasisEnter, p.Rules.BasisExit = f64(th), f64(th)
				exact := mustRun(t, m, p)
				if want := replayPositions(m, sides); exact.Totals.Trades != want {
					t.Fatalf("case %d: engine opened %d positions, the tie rule %d", c, exact.Totals.Trades, want)
				}
				prep, err := Prepare(m)
				if err != nil {
					t.Fatal(err)
				}
				rec := &KernelRecorder{}
				equity := make([]float64, prep.Len())
				compareRun(t, c, exact, Kernel(prep, KernelParamsOf(p), equity, rec), rec, equity)
			}
		})
	}
}

// TestKernelAgreesOnFundingTies: funding events whose annualized rate is the
// threshold exactly, or 1e-8 off it, under intervals of 8, 4, 1 and 7 hours
// (7 h: r·24/7·365 is not a finite decimal; D = 7 in the kernel's integers),
// with lookbacks 1 to 3 and the threshold 0.876: r = 0.0008 at 8 h, 0.0004
// at 4 h, 0.0001 at 1 h, 0.0007 at 7 h.
func TestKernelAgreesOnFundingTies(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	intervals := []int{8, 4, 1, 7}
	for c := range 40 {
		m := flatMarket(300, 1, 100, 100)
		h := intervals[c%len(intervals)]
		for at := -3 * h; at <= 300; at += h {
			if c%2 == 1 { // mixed intervals
				h = intervals[rng.IntN(len(intervals))]
			}
			r := decimal.New(int64(h), -4)
			switch rng.IntN(4) {
			case 0:
				r = r.Add(decimal.New(1, -8))
			case 1:
				r = r.Sub(decimal.New(1, -8))
			}
			ev := event(float64(at), r.InexactFloat64(), 100)
			ev.IntervalHours = h
			m.Funding = append(m.Funding, ev)
		}
		p := free()
		p.Rules.FundingLookback = 1 + c%3
		p.Rules.FundingEnter, p.Rules.FundingExit = f64(0.876), f64(0.876)
		exact := mustRun(t, m, p)
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		rec := &KernelRecorder{}
		equity := make([]float64, prep.Len())
		compareRun(t, c, exact, Kernel(prep, KernelParamsOf(p), equity, rec), rec, equity)
		if p.Rules.FundingLookback == 1 {
			// With lookback 1 the signal is the latest event's; replay it.
			sides := make([]side, len(m.Times))
			k := -1
			for i, ti := range m.Times {
				for k+1 < len(m.Funding) && !m.Funding[k+1].Instant.After(ti) {
					k++
				}
				ev := m.Funding[k]
				sides[i] = side(data.Decimal(ev.Rate).Cmp(decimal.New(int64(ev.IntervalHours), -4)))
			}
			if want := replayPositions(m, sides); exact.Totals.Trades != want {
				t.Fatalf("case %d: engine opened %d positions, the tie rule %d", c, exact.Totals.Trades, want)
			}
		}
	}
}

// TestNoRebalanceAtTheLastPoint: the last grid point's action is the close
// (reason end), so a margin ratio below --rebalance-below there rebalances
// nothing. Leverage 3 without costs: q = 10000/(100 + 100/3) = 75, wallet
// 2500; at F = 110 the ratio is (2500 − 750)/(75·110) = 0.2121 < 0.216.
func TestNoRebalanceAtTheLastPoint(t *testing.T) {
	p := free()
	p.Leverage, p.RebalanceBelow = dec("3"), dec("0.216")
	cases := []struct {
		name    string
		jumpAt  int      // first grid point at 110 (of 6)
		reasons []Reason // of the fills, in order
	}{
		// The ratio falls below 0.216 only at the last point: entry, then
		// the end close alone.
		{"jump at the last point", 5, []Reason{ReasonEntry, ReasonEntry, ReasonEnd, ReasonEnd}},
		// One point earlier it rebalances there (to 1/3, which holds at the
		// last point), then closes at the end.
		{"jump one point earlier", 4, []Reason{ReasonEntry, ReasonEntry, ReasonRebalance, ReasonRebalance, ReasonEnd, ReasonEnd}},
	}
	for c, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := flatMarket(6, 1, 100, 100)
			for i := tc.jumpAt; i < 6; i++ {
				m.Spot[i], m.Futures[i] = 110, 110
			}
			exact := mustRun(t, m, p)
			var got []Reason
			for _, tr := range exact.Trades {
				got = append(got, tr.Reason)
			}
			if len(got) != len(tc.reasons) {
				t.Fatalf("fills %v, want %v", got, tc.reasons)
			}
			for j := range got {
				if got[j] != tc.reasons[j] {
					t.Fatalf("fills %v, want %v", got, tc.reasons)
				}
			}
			prep, err := Prepare(m)
			if err != nil {
				t.Fatal(err)
			}
			rec := &KernelRecorder{}
			equity := make([]float64, prep.Len())
			compareRun(t, c, exact, Kernel(prep, KernelParamsOf(p), equity, rec), rec, equity)
		})
	}
}
