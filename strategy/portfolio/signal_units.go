package portfolio

import (
	"math"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// fundingUnits are a universe's funding rates as integers at one scale,
// so that the funding signal — the mean of the last N annualized rates —
// is compared exactly without rationals. With every rate r_k = u_k/10^d
// (u_k an integer: Binance sends 8 places) and L the least common multiple
// of the events' intervals h_k,
//
//	signal = (1/N) Σ r_k·(24/h_k)·365 = 8760·Σ u_k·(L/h_k) / (N·L·10^d)
//
// so between members (same N, L, d) the signals compare as the integer
// sums Σ u_k·(L/h_k), read from per-member prefix sums. newFundingUnits
// returns nil when the rates need more than 12 places or the sums could
// leave int64: the planner then keeps to exact rationals.
type fundingUnits struct {
	d, l   int64
	prefix [][]int64 // prefix[j][k]: Σ over member j's first k events
	// maxTerm is the largest |u_k·(L/h_k)|: N of them bound a sum.
	maxTerm int64
}

// maxUnitPlaces bounds d so that the sums stay far inside int64: rates of
// at most 1 (100 %) at 10^12 units, times L ≤ 24, times tens of thousands
// of events.
const maxUnitPlaces = 12

func newFundingUnits(u *Universe) *fundingUnits {
	places, l := int32(0), int64(1)
	for _, mem := range u.Members {
		for _, ev := range mem.Market.Funding {
			if !(math.Abs(ev.Rate) <= 1) {
				return nil
			}
			x := data.Decimal(ev.Rate)
			if e := -x.Exponent(); e > places {
				places = e
			}
			l = lcm(l, int64(ev.IntervalHours))
		}
	}
	if places > maxUnitPlaces || l > 24*365 {
		return nil
	}
	fu := &fundingUnits{d: int64(places), l: l, prefix: make([][]int64, len(u.Members))}
	scale := decimal.New(1, places)
	for j, mem := range u.Members {
		p := make([]int64, len(mem.Market.Funding)+1)
		for k, ev := range mem.Market.Funding {
			units := data.Decimal(ev.Rate).Mul(scale)
			if !units.IsInteger() {
				return nil
			}
			term := units.IntPart() * (l / int64(ev.IntervalHours))
			p[k+1] = p[k] + term
			fu.maxTerm = max(fu.maxTerm, term, -term)
		}
		fu.prefix[j] = p
	}
	return fu
}

func lcm(a, b int64) int64 {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// sum is member j's Σ u_k·(L/h_k) over its events [known−n, known).
func (fu *fundingUnits) sum(j, known, n int) int64 {
	return fu.prefix[j][known] - fu.prefix[j][known-n]
}

// denominator is N·L·10^d / 8760 as a rational: signal = sum / it.
func (fu *fundingUnits) denominator(n int) *big.Rat {
	den := new(big.Int).Exp(big.NewInt(10), big.NewInt(fu.d), nil)
	den.Mul(den, big.NewInt(int64(n)*fu.l))
	return new(big.Rat).SetFrac(den, big.NewInt(8760))
}

// minSum is the least integer sum whose signal reaches the threshold th
// (exactly: sum/den ≥ th ⇔ sum ≥ ⌈th·den⌉); ok false when it leaves
// int64 (no sum can reach it, or every sum does).
func (fu *fundingUnits) minSum(th *big.Rat, n int) (int64, bool) {
	x := new(big.Rat).Mul(th, fu.denominator(n))
	q, r := new(big.Int).QuoRem(x.Num(), x.Denom(), new(big.Int))
	if r.Sign() > 0 {
		q.Add(q, big.NewInt(1)) // ceil for a positive remainder (QuoRem truncates)
	}
	if !q.IsInt64() {
		return 0, false
	}
	return q.Int64(), true
}

// float is the signal of an integer sum, correctly rounded: 8760·sum and
// N·L·10^d are exact in float64 (below 2^53), and one division of exact
// operands is correctly rounded.
func (fu *fundingUnits) float(sum int64, n int) float64 {
	return float64(8760*sum) / (float64(int64(n)*fu.l) * math.Pow10(int(fu.d)))
}

// usable reports whether sums of n events stay exact in float's float64
// operands (below 2^53), so float is correctly rounded.
func (fu *fundingUnits) usable(n int) bool {
	const limit = 1 << 53
	return fu.maxTerm < limit/8760/int64(n) && float64(int64(n)*fu.l)*math.Pow10(int(fu.d)) < limit
}
