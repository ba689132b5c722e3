package portfolio

import (
	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
)

// divScale is the decimal places kept by the engine's divisions (position
// sizes, the short's margin, the fractions a decrease releases), as in the
// single-pair engine; every amount moved is booked on both sides, so the
// P&L identity holds exactly whatever they round to.
const divScale = 20

var one = decimal.NewFromInt(1)

// costs are the single-pair parameters every pair trades with.
type costs struct {
	spotFee, perpFee, slippage, maintenance decimal.Decimal
	leverage, invL                          decimal.Decimal
}

func newCosts(p strategy.Params) costs {
	return costs{
		spotFee: p.SpotFee, perpFee: p.PerpFee, slippage: p.Slippage, maintenance: p.Maintenance,
		leverage: p.Leverage, invL: one.DivRound(p.Leverage, divScale),
	}
}

// buyPrice and sellPrice apply slippage: buys fill at p·(1+s), sells at
// p·(1−s).
func (c *costs) buyPrice(p decimal.Decimal) decimal.Decimal  { return p.Mul(one.Add(c.slippage)) }
func (c *costs) sellPrice(p decimal.Decimal) decimal.Decimal { return p.Mul(one.Sub(c.slippage)) }

// perUnit is the cash one unit of a pair takes at spot s and futures f:
// S(1+s)(1+f_spot) + F(1−s)(1/L + f_perp), the single-pair entry's
// denominator (spec point 8).
func (c *costs) perUnit(s, f decimal.Decimal) decimal.Decimal {
	return c.buyPrice(s).Mul(one.Add(c.spotFee)).Add(c.sellPrice(f).Mul(c.invL.Add(c.perpFee)))
}
