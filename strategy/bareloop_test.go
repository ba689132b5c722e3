package strategy

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
)

// The reference bare loop for rules grids (issue 14): the model of
// docs/model.md for a perpetual market, written from the document and not
// from the kernel's code, doing the model work a rules grid needs and no
// more — position, funding at its events, equity at every step, the worst
// margin ratio (compared by multiplication), the funding and basis
// entry/exit rules decided exactly, and the maximum holding time. No
// rebalance, no dated contracts, no recorder. It is what
// BenchmarkKernelVsBareLoopRules measures the kernel against, and
// TestBareLoopAgreesWithKernel holds the two to 1e-9.

// bareMarket is a perpetual Market in the form the bare loop reads. Its
// exact inputs assume Binance-like numbers: prices and rates with at most 8
// decimals (units of 10^−8), intervals dividing 8760 h, thresholds with at
// most 4 decimals (the grid's); newBareMarket and bareThresholdOf panic on
// anything else. The rules' products then stay inside int64 for prices
// below 10^5, |F − S| below 10^3 and |thresholds| below 10 (the test
// data's): |f − s|·365·10^4 < 4·10^17, |t|·s < 10^18.
type bareMarket struct {
	n             int
	times         []int64 // ms
	spot, fut     []float64
	spotU, futU   []int64 // 10^−8 units
	known         []int32 // events with τ ≤ t_i
	pay           []float64
	positive, mis []bool
	annSum        []int64 // annSum[k] = Σ_{j<k} u_j·8760/h_j, u in 10^−8 units
}

func units8(x float64) int64 {
	u := math.Round(x * 1e8)
	if math.Abs(u/1e8-x) > 1e-9*math.Max(1, math.Abs(x)) {
		panic("bare loop: more than 8 decimals")
	}
	return int64(u)
}

func newBareMarket(m *Market) *bareMarket {
	if m.Dated() {
		panic("bare loop: perpetual markets only")
	}
	n := len(m.Times)
	b := &bareMarket{n: n, spot: m.Spot, fut: m.Futures}
	for i, t := range m.Times {
		b.times = append(b.times, t.UnixMilli())
		b.spotU = append(b.spotU, units8(m.Spot[i]))
		b.futU = append(b.futU, units8(m.Futures[i]))
	}
	b.annSum = []int64{0}
	for k, ev := range m.Funding {
		if 8760%ev.IntervalHours != 0 {
			panic("bare loop: interval does not divide 8760 h")
		}
		b.annSum = append(b.annSum, b.annSum[k]+units8(ev.Rate)*int64(8760/ev.IntervalHours))
		// The mark, or F at the last grid point at or before τ.
		mark := ev.Mark.Float64
		if !ev.Mark.Valid {
			j := 0
			for j+1 < n && !m.Times[j+1].After(ev.Instant) {
				j++
			}
			mark = m.Futures[j]
		}
		b.pay = append(b.pay, mark*ev.Rate)
		b.positive = append(b.positive, ev.Rate > 0)
		b.mis = append(b.mis, !ev.Mark.Valid)
	}
	k := 0
	for _, t := range m.Times {
		for k < len(m.Funding) && !m.Funding[k].Instant.After(t) {
			k++
		}
		b.known = append(b.known, int32(k))
	}
	return b
}

// bareThreshold is a threshold as the decimal t·10^−4.
type bareThreshold struct {
	on bool
	t  int64
}

func bareThresholdOf(x *float64) bareThreshold {
	if x == nil {
		return bareThreshold{}
	}
	d := decimal.NewFromFloat(*x) // the shortest decimal reading back as *x
	if d.Exponent() < -4 {
		panic("bare loop: threshold with more than 4 decimals")
	}
	return bareThreshold{on: true, t: d.Shift(4).IntPart()}
}

type bareParams struct {
	capital, lev, spotFee, perpFee, slip, maint float64
	lookback                                    int
	fEnter, fExit, bEnter, bExit                bareThreshold
	maxHoldMs                                   int64
}

func bareParamsOf(p Params) bareParams {
	r := p.Rules
	return bareParams{
		capital: p.Capital.InexactFloat64(), lev: p.Leverage.InexactFloat64(), spotFee: p.SpotFee.InexactFloat64(),
		perpFee: p.PerpFee.InexactFloat64(), slip: p.Slippage.InexactFloat64(), maint: p.Maintenance.InexactFloat64(),
		lookback: r.FundingLookback, fEnter: bareThresholdOf(r.FundingEnter), fExit: bareThresholdOf(r.FundingExit),
		bEnter: bareThresholdOf(r.BasisEnter), bExit: bareThresholdOf(r.BasisExit), maxHoldMs: r.MaxHold.Milliseconds(),
	}
}

type bareTotals struct {
	final, funding, fees, notional, worst float64
	trades, events, positive, missing     int
	inMarket                              int
	liquidated                            bool
}

// bareLoop runs the model on a perpetual market and writes the equity after
// each grid point into equity. Per grid point t_i:
//
//  1. funding: every event with τ in (t_{i−1}, t_i] pays q·mark·rate;
//  2. margin M = W + q(F_f − F); the worst M/(qF) kept, compared by
//     multiplication; liquidation when M < m·qF;
//  3. rules: held, exit when any of σ_f ≤ b_f (N events known), σ_b ≤ b_b,
//     t − t_entry ≥ H holds, or at the last point; flat, enter (not at the
//     last point) when every enabled entry condition holds, with
//     σ_f = Σ r_k·8760/h_k / N over the last N known events and
//     σ_b = (F/S − 1)·365, both compared exactly in integers;
//  4. equity = cash + q·S + M.
func bareLoop(b *bareMarket, p bareParams, equity []float64) bareTotals {
	tot := bareTotals{worst: math.Inf(1)}
	cash, open, liquidated := p.capital, false, false
	var q, sf, ff, wallet float64
	var entryMs int64
	invL := 1 / p.lev
	N := p.lookback
	// σ_f ≥ a ⇔ Σ u_k·8760/h_k ≥ N·t_a·10^4 (u in 10^−8 units, t_a in 10^−4).
	known := int32(-1)
	var fundAbove, fundBelow bool
	// σ_b ≥ a ⇔ (F − S)·365 ≥ a·S ⇔ (f − s)·365·10^4 ≥ t_a·s.
	basis := func(i int, th bareThreshold) int64 {
		return (b.futU[i]-b.spotU[i])*365*10_000 - th.t*b.spotU[i]
	}
	for i := 0; i < b.n; i++ {
		last := i == b.n-1
		S, F := b.spot[i], b.fut[i]
		if k := b.known[i]; k != known {
			known = k
			defined := int(k) >= N
			fundAbove, fundBelow = false, false
			if defined {
				w := b.annSum[k] - b.annSum[int(k)-N]
				fundAbove = w >= int64(N)*p.fEnter.t*10_000
				fundBelow = w <= int64(N)*p.fExit.t*10_000
			}
		}
		if open {
			lo := int32(0)
			if i > 0 {
				lo = b.known[i-1]
			}
			for k := lo; k < b.known[i]; k++ {
				pay := q * b.pay[k]
				wallet += pay
				tot.funding += pay
				tot.events++
				if b.positive[k] {
					tot.positive++
				}
				if b.mis[k] {
					tot.missing++
				}
			}
			M := wallet + q*(ff-F)
			if M < tot.worst*q*F {
				tot.worst = M / (q * F)
				if M < p.maint*q*F {
					// The exchange closes the short at F and keeps M; the
					// spot is sold with its fee.
					sx := S * (1 - p.slip)
					fee := q * sx * p.spotFee
					cash += q*sx - fee
					tot.fees += fee
					tot.notional += q*F + q*sx
					open, liquidated, tot.liquidated = false, true, true
				}
			}
			exit := last ||
				p.fExit.on && fundBelow ||
				p.bExit.on && basis(i, p.bExit) <= 0 ||
				p.maxHoldMs > 0 && b.times[i]-entryMs >= p.maxHoldMs
			if open && exit {
				sx, fx := S*(1-p.slip), F*(1+p.slip)
				feeS, feeF := q*sx*p.spotFee, q*fx*p.perpFee
				cash += q*sx - feeS + wallet + q*(ff-fx) - feeF
				tot.fees += feeS + feeF
				tot.notional += q*sx + q*fx
				open = false
			}
		} else if !last && !liquidated &&
			(!p.fEnter.on || fundAbove) &&
			(!p.bEnter.on || basis(i, p.bEnter) >= 0) {
			sf, ff = S*(1+p.slip), F*(1-p.slip)
			q = cash / (sf*(1+p.spotFee) + ff*(invL+p.perpFee))
			wallet = q * ff * invL
			feeS, feeF := q*sf*p.spotFee, q*ff*p.perpFee
			cash -= q*sf + feeS + wallet + feeF
			tot.fees += feeS + feeF
			tot.notional += q*sf + q*ff
			tot.trades++
			entryMs = b.times[i]
			open = true
		}
		e := cash
		if open {
			e += q*S + wallet + q*(ff-F)
			if !last {
				tot.inMarket++
			}
		}
		equity[i] = e
	}
	tot.final = equity[b.n-1]
	if math.IsInf(tot.worst, 1) {
		tot.worst = math.NaN()
	}
	return tot
}

// rulesGrid is a small rules grid: combinations of the funding rule (three
// lookbacks, thresholds on and either side of the 10.95 % tie of a
// 0.01 %/8h rate), the basis rule and the maximum holding time, as a sweep
// would run them on one series.
func rulesGrid() []Params {
	var out []Params
	add := func(f func(r *Rules)) {
		p := DefaultParams()
		f(&p.Rules)
		out = append(out, p)
	}
	for _, n := range []int{1, 3, 9} {
		for _, ab := range [][2]float64{{0.1095, 0.1095}, {0.05, 0}, {0.2, 0.05}} {
			add(func(r *Rules) { r.FundingLookback, r.FundingEnter, r.FundingExit = n, f64(ab[0]), f64(ab[1]) })
			add(func(r *Rules) {
				r.FundingLookback, r.FundingEnter, r.FundingExit = n, f64(ab[0]), f64(ab[1])
				r.MaxHold = 48 * time.Hour
			})
		}
	}
	for _, ab := range [][2]float64{{0.15, 0.1}, {0.3, 0}, {0.1095, 0.1095}} {
		add(func(r *Rules) { r.BasisEnter, r.BasisExit = f64(ab[0]), f64(ab[1]) })
		add(func(r *Rules) {
			r.FundingLookback, r.FundingEnter, r.FundingExit = 3, f64(0.05), f64(0)
			r.BasisEnter, r.BasisExit = f64(ab[0]), f64(ab[1])
			r.MaxHold = 7 * 24 * time.Hour
		})
	}
	add(func(r *Rules) { r.FundingLookback, r.FundingEnter = 3, f64(0.1) }) // entry only: held to the end
	add(func(r *Rules) { r.FundingLookback, r.FundingExit = 3, f64(0.1) })  // exit only: re-enters next point
	add(func(r *Rules) { r.MaxHold = 24 * time.Hour })
	add(func(r *Rules) {})
	return out
}

// tieRatesMarket is randomMarket with most funding rates exactly 0.0001 (the
// 10.95 % tie) and a few ±0.0003 apart.
func tieRatesMarket(rng *rand.Rand, n int) *Market {
	m := randomMarket(rng, n)
	for k := range m.Funding {
		m.Funding[k].Rate = []float64{0.0001, 0.0001, 0.0001, 0.0004, -0.0002}[rng.IntN(5)]
	}
	return m
}

// TestBareLoopAgreesWithKernel: the reference bare loop and the kernel give
// the same equity at every grid point, the same totals and the same summary
// statistics to 1e-9 (agree), on random markets over the rules grid.
func TestBareLoopAgreesWithKernel(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	grid := rulesGrid()
	trades := 0
	for c := range 12 {
		m := randomMarket(rng, 300+rng.IntN(1500))
		if c%2 == 1 {
			m = tieRatesMarket(rng, 300+rng.IntN(1500))
		}
		prep, err := Prepare(m)
		if err != nil {
			t.Fatal(err)
		}
		bm := newBareMarket(m)
		sig := NewSignals(prep)
		for _, p := range grid {
			sig.Add(KernelParamsOf(p))
		}
		ek, eb := make([]float64, prep.Len()), make([]float64, prep.Len())
		for g, p := range grid {
			kp := KernelParamsOf(p)
			for _, s := range []*Signals{nil, sig} {
				kt := KernelSignals(prep, s, kp, ek, nil)
				bt := bareLoop(bm, bareParamsOf(p), eb)
				for i := range ek {
					if !agree(ek[i], eb[i]) {
						t.Fatalf("market %d, combination %d (%+v), point %d: kernel %v, bare %v", c, g, p.Rules, i, ek[i], eb[i])
					}
				}
				for _, x := range []struct {
					name string
					a, b float64
				}{{"final", kt.FinalEquity, bt.final}, {"funding", kt.Funding, bt.funding}, {"fees", kt.Fees, bt.fees},
					{"notional", kt.Notional, bt.notional}, {"worst margin", kt.WorstMarginRatio, bt.worst}} {
					if !agree(x.a, x.b) {
						t.Fatalf("market %d, combination %d: %s: kernel %v, bare %v", c, g, x.name, x.a, x.b)
					}
				}
				if kt.Trades != bt.trades || kt.EventsReceived != bt.events || kt.PositiveEvents != bt.positive ||
					kt.MissingMark != bt.missing || kt.InMarket != bt.inMarket || kt.Liquidated != bt.liquidated {
					t.Fatalf("market %d, combination %d: counts: kernel %+v, bare %+v", c, g, kt, bt)
				}
				ppy := analytics.PeriodsPerYear(time.Hour)
				pk, err1 := analytics.PerformanceOf(m.Times, ek, kp.Capital, ppy, 0.02)
				pb, err2 := analytics.PerformanceOf(m.Times, eb, kp.Capital, ppy, 0.02)
				if err1 != nil || err2 != nil {
					t.Fatal(err1, err2)
				}
				for _, x := range [][2]analytics.Value{{pk.TotalReturn, pb.TotalReturn}, {pk.Volatility, pb.Volatility},
					{pk.Sharpe, pb.Sharpe}, {pk.Sortino, pb.Sortino}, {pk.Drawdown.Max, pb.Drawdown.Max},
					{analytics.Turnover(kt.Notional, ek, pk.Days), analytics.Turnover(bt.notional, eb, pb.Days)}} {
					if x[0].Valid != x[1].Valid || x[0].Valid && !agree(x[0].V, x[1].V) {
						t.Fatalf("market %d, combination %d: statistics: kernel %+v, bare %+v", c, g, x[0], x[1])
					}
				}
				trades += kt.Trades
			}
		}
	}
	if trades < 1000 {
		t.Errorf("only %d trades over the grid: the rules were hardly exercised", trades)
	}
}
