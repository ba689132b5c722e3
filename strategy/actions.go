package strategy

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// buyPrice and sellPrice apply slippage: buys fill at p·(1+s), sells at
// p·(1−s).
func (e *engine) buyPrice(p decimal.Decimal) decimal.Decimal  { return p.Mul(one.Add(e.p.Slippage)) }
func (e *engine) sellPrice(p decimal.Decimal) decimal.Decimal { return p.Mul(one.Sub(e.p.Slippage)) }

func (e *engine) fill(i int, leg Leg, side string, q, price, fee decimal.Decimal, reason Reason, grid decimal.Decimal) {
	e.fees = e.fees.Add(fee)
	e.slip = e.slip.Add(q.Mul(price.Sub(grid).Abs()))
	e.res.Trades = append(e.res.Trades, Trade{Time: e.m.Times[i], PositionID: e.pos.id, Leg: leg, Side: side, Quantity: q, Price: price, Fee: fee, Reason: reason})
}

// open deploys all cash E: q = E / (S(1+s)(1+f_spot) + F(1−s)(1/L + f_perp)),
// so that the spot with its fee, the short's initial margin and its entry fee
// use exactly E (up to the rounding of q, which stays in cash).
func (e *engine) open(i int) {
	s, f := e.spot[i], e.fut[i]
	sf, ff := e.buyPrice(s), e.sellPrice(f)
	denom := sf.Mul(one.Add(e.p.SpotFee)).Add(ff.Mul(one.DivRound(e.p.Leverage, divScale).Add(e.p.PerpFee)))
	q := e.cash.DivRound(denom, divScale)
	e.pos = &position{id: e.nextID, q: q, spotPrice: sf, perpPrice: ff, opened: e.m.Times[i]}
	if e.m.Dated() {
		e.pos.delivery = e.m.Delivery[i]
	}
	e.nextID++
	e.res.Totals.Trades++
	spotFee := q.Mul(sf).Mul(e.p.SpotFee)
	margin := q.Mul(ff).DivRound(e.p.Leverage, divScale)
	perpFee := q.Mul(ff).Mul(e.p.PerpFee)
	// The wallet is funded with the margin plus the entry fee, and the fee
	// is deducted at once.
	e.pos.wallet = margin
	e.cash = e.cash.Sub(q.Mul(sf)).Sub(spotFee).Sub(margin).Sub(perpFee)
	e.fill(i, LegSpot, "buy", q, sf, spotFee, ReasonEntry, s)
	e.fill(i, LegPerp, "sell", q, ff, perpFee, ReasonEntry, f)
}

// close sells the spot at S(1−s) and buys back the short at F(1+s), fees on
// both, and moves everything to cash.
func (e *engine) close(i int, fh decimal.Decimal, reason Reason) {
	q := e.pos.q
	e.sellSpot(i, q, reason)
	fx := e.buyPrice(fh)
	perpFee := q.Mul(fx).Mul(e.p.PerpFee)
	pnl := q.Mul(e.pos.perpPrice.Sub(fx))
	e.realized = e.realized.Add(pnl)
	e.pos.wallet = e.pos.wallet.Add(pnl).Sub(perpFee)
	e.fill(i, LegPerp, "buy", q, fx, perpFee, reason, fh)
	e.cash = e.cash.Add(e.pos.wallet)
	e.pos = nil
}

// sellSpot sells q of the spot leg at S(1−s) with its fee, into cash.
func (e *engine) sellSpot(i int, q decimal.Decimal, reason Reason) {
	s := e.spot[i]
	sx := e.sellPrice(s)
	fee := q.Mul(sx).Mul(e.p.SpotFee)
	e.realized = e.realized.Add(q.Mul(sx.Sub(e.pos.spotPrice)))
	e.cash = e.cash.Add(q.Mul(sx)).Sub(fee)
	e.fill(i, LegSpot, "sell", q, sx, fee, reason, s)
}

// liquidate: the exchange closes the short at the grid price and keeps the
// whole margin balance (the forfeit); the spot is sold with costs; the run
// stays flat to the end.
func (e *engine) liquidate(i int, fh decimal.Decimal) {
	q := e.pos.q
	pnl := q.Mul(e.pos.perpPrice.Sub(fh))
	e.realized = e.realized.Add(pnl)
	e.forfeit = e.forfeit.Add(e.pos.wallet.Add(pnl))
	e.fill(i, LegPerp, "buy", q, fh, decimal.Zero, ReasonLiquidation, fh)
	e.sellSpot(i, q, ReasonLiquidation)
	e.pos = nil
	e.liquidated = true
	e.res.Totals.Liquidated = true
	e.res.Totals.LiquidatedAt = e.m.Times[i]
}

// rebalance sells Δq of spot and buys back Δq of the short, moving the spot
// proceeds into the margin, with Δq such that the margin ratio afterwards is
// 1/L:
//
//	Δq = (q·F/L − M) / (S_x(1−f_spot) − (F_x − F) − F_x·f_perp + F/L)
//
// with S_x = S(1−s), F_x = F(1+s), M the margin balance. If that is the whole
// position (or no Δq can restore the ratio), the position is closed.
func (e *engine) rebalance(i int, fh decimal.Decimal) {
	q := e.pos.q
	invL := one.DivRound(e.p.Leverage, divScale)
	sx, fx := e.sellPrice(e.spot[i]), e.buyPrice(fh)
	num := q.Mul(fh).Mul(invL).Sub(e.marginBalance(fh))
	den := sx.Mul(one.Sub(e.p.SpotFee)).Sub(fx.Sub(fh)).Sub(fx.Mul(e.p.PerpFee)).Add(fh.Mul(invL))
	if !den.IsPositive() {
		e.close(i, fh, ReasonRebalance)
		return
	}
	dq := num.DivRound(den, divScale)
	if !dq.IsPositive() {
		return
	}
	if dq.GreaterThanOrEqual(q) {
		e.close(i, fh, ReasonRebalance)
		return
	}
	// Spot proceeds go to the short's wallet, not to cash.
	s := e.spot[i]
	spotFee := dq.Mul(sx).Mul(e.p.SpotFee)
	e.realized = e.realized.Add(dq.Mul(sx.Sub(e.pos.spotPrice)))
	e.fill(i, LegSpot, "sell", dq, sx, spotFee, ReasonRebalance, s)
	perpFee := dq.Mul(fx).Mul(e.p.PerpFee)
	pnl := dq.Mul(e.pos.perpPrice.Sub(fx))
	e.realized = e.realized.Add(pnl)
	e.fill(i, LegPerp, "buy", dq, fx, perpFee, ReasonRebalance, fh)
	e.pos.wallet = e.pos.wallet.Add(dq.Mul(sx)).Sub(spotFee).Add(pnl).Sub(perpFee)
	e.pos.q = q.Sub(dq)
}

// deliver settles the short at the index price of the grid point at (or
// first after) delivery, without slippage or fee, then sells the spot or
// rolls into the contract the grid point prices.
func (e *engine) deliver(i int) error {
	q, s := e.pos.q, e.spot[i]
	pnl := q.Mul(e.pos.perpPrice.Sub(s))
	e.realized = e.realized.Add(pnl)
	e.pos.wallet = e.pos.wallet.Add(pnl)
	e.fill(i, LegPerp, "buy", q, s, decimal.Zero, ReasonDelivery, s)
	if e.p.OnDelivery == DeliverRoll && i < len(e.m.Times)-1 && e.m.Delivery[i].After(e.m.Times[i]) {
		f := e.fut[i]
		ff := e.sellPrice(f)
		fee := q.Mul(ff).Mul(e.p.PerpFee)
		e.pos.wallet = e.pos.wallet.Sub(fee)
		e.pos.perpPrice, e.pos.delivery = ff, e.m.Delivery[i]
		e.fill(i, LegPerp, "sell", q, ff, fee, ReasonRoll, f)
		return nil
	}
	e.sellSpot(i, q, ReasonDelivery)
	e.cash = e.cash.Add(e.pos.wallet)
	e.pos = nil
	return nil
}

// record appends the equity row of grid point i, after its actions.
func (e *engine) record(i int) {
	row := EquityRow{
		Time: e.m.Times[i], IndexPrice: e.m.Spot[i], FuturesPrice: e.m.Futures[i],
		CumFunding: e.funding, CumFees: e.fees, Forfeit: e.forfeit, Quantity: decimal.Zero,
		InMarketInterval: i > 0 && e.inMarket,
	}
	equity, basis := e.cash, e.realized
	if e.pos != nil {
		fh, _ := e.heldPrice(i)
		row.FuturesPrice = fh.InexactFloat64()
		margin := e.marginBalance(fh)
		equity = equity.Add(e.pos.q.Mul(e.spot[i])).Add(margin)
		basis = basis.Add(e.pos.q.Mul(e.spot[i].Sub(e.pos.spotPrice))).Add(e.pos.q.Mul(e.pos.perpPrice.Sub(fh)))
		row.Quantity = e.pos.q
		row.MarginRatio = decimal.NewNullDecimal(margin.DivRound(e.pos.q.Mul(fh), divScale))
	}
	row.Equity, row.BasisPnL = equity, basis
	if row.InMarketInterval {
		e.res.Totals.InMarket++
	}
	e.inMarket = e.pos != nil
	e.res.Equity = append(e.res.Equity, row)
	t := &e.res.Totals
	t.Funding, t.Fees, t.BasisPnL, t.SlippageCost, t.Forfeit = e.funding, e.fees, basis, e.slip, e.forfeit
}

// checkIdentity asserts equity − C = funding + basis P&L − fees − forfeit,
// exactly, at grid point i.
func (e *engine) checkIdentity(i int) error {
	row := e.res.Equity[i]
	lhs := row.Equity.Sub(e.p.Capital)
	rhs := row.CumFunding.Add(row.BasisPnL).Sub(row.CumFees).Sub(row.Forfeit)
	if !lhs.Equal(rhs) {
		return fmt.Errorf("internal error: P&L identity broken at %s: equity − C = %s, funding + basis − fees − forfeit = %s", row.Time, lhs, rhs)
	}
	return nil
}
