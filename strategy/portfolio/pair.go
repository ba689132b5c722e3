package portfolio

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// pair is one member's position and ledger. Prices are read at the
// member's own grid index i (at a book point where the member is absent:
// its last index, its last prices). The legs are held as notionals, so
// nothing is divided to mark them: the spot's cost Σ qty·fill and the
// short's entry notional Σ qty·fill; a margin balance is
// wallet + entry notional − q·F.
type pair struct {
	e         *engine
	symbol    string
	m         *strategy.Market
	nextEvent int // first funding event not yet settled or passed
	// the prices at one grid index, as decimals: converted when a held
	// pair or a trade needs them, not for every point of every member
	priceAt     int
	spotD, futD decimal.Decimal
	touched     bool // money moved at this point: record checks the identity

	id                   int // position id, 0 when flat
	q                    decimal.Decimal
	spotCost, perpNotion decimal.Decimal
	wallet               decimal.Decimal // the isolated short's wallet, without unrealized P&L
	// netIn is the cash the book moved into the pair, net of what came
	// back: the pair's equity − netIn is its P&L.
	netIn    decimal.Decimal
	realized decimal.Decimal // basis P&L of closed quantities
	tot      PairTotals
	heldLast bool // held after the previous book point
}

func newPair(e *engine, m *strategy.Market) *pair {
	pr := &pair{e: e, symbol: m.Symbol, m: m, priceAt: -1}
	pr.tot.Symbol = m.Symbol
	// Events at or before the first grid point are known, not received.
	pr.nextEvent = knownEvents(m, m.Times[0])
	return pr
}

// prices are S and F at grid index i, exactly as decimals.
func (pr *pair) prices(i int) (decimal.Decimal, decimal.Decimal) {
	if pr.priceAt != i {
		pr.priceAt, pr.spotD, pr.futD = i, data.Decimal(pr.m.Spot[i]), data.Decimal(pr.m.Futures[i])
	}
	return pr.spotD, pr.futD
}

// spot and fut are S and F at grid index i.
func (pr *pair) spot(i int) decimal.Decimal { s, _ := pr.prices(i); return s }
func (pr *pair) fut(i int) decimal.Decimal  { _, f := pr.prices(i); return f }

func (pr *pair) held() bool { return pr.id != 0 }

// marginBalance is the short's M = W + q(F_avg − F_i).
func (pr *pair) marginBalance(i int) decimal.Decimal {
	return pr.wallet.Add(pr.perpNotion).Sub(pr.q.Mul(pr.fut(i)))
}

// equity is q·S_i + M, 0 when flat.
func (pr *pair) equity(i int) decimal.Decimal {
	if !pr.held() {
		return decimal.Zero
	}
	return pr.q.Mul(pr.spot(i)).Add(pr.marginBalance(i))
}

// basis is the pair's basis P&L, realized and unrealized at index i.
func (pr *pair) basis(i int) decimal.Decimal {
	if !pr.held() {
		return pr.realized
	}
	return pr.realized.Add(pr.q.Mul(pr.spot(i)).Sub(pr.spotCost)).Add(pr.perpNotion.Sub(pr.q.Mul(pr.fut(i))))
}

// settle pays the funding events with τ in (T_{i−1}, T_i] to a held short:
// q × mark × rate, a missing mark read as F at the last grid point at or
// before τ (spec step a).
func (pr *pair) settle(i int) {
	m := pr.m
	for pr.nextEvent < len(m.Funding) && !m.Funding[pr.nextEvent].Instant.After(m.Times[i]) {
		ev := m.Funding[pr.nextEvent]
		pr.nextEvent++
		if !pr.held() {
			continue
		}
		mark, missing := data.Decimal(ev.Mark.Float64), !ev.Mark.Valid
		if missing {
			j := i - 1
			if ev.Instant.Equal(m.Times[i]) {
				j = i
			}
			mark = pr.fut(j)
		}
		rate := data.Decimal(ev.Rate)
		size := pr.q.Mul(mark)
		pay := size.Mul(rate)
		pr.wallet = pr.wallet.Add(pay)
		pr.tot.Funding = pr.tot.Funding.Add(pay)
		pr.e.sumFunding = pr.e.sumFunding.Add(pay)
		pr.touched = true
		pr.e.settled(strategy.Settlement{
			Symbol: pr.symbol, PositionID: pr.id, FundingRate: rate, PositionSize: size, Payment: pay,
			SettledAt: ev.Instant, MarkPrice: mark, MarkMissing: missing, Quantity: pr.q, FundingTime: ev.FundingTime,
		})
	}
}

// fill books one fill's fee, slippage cost and notional, and records it.
func (pr *pair) fill(t time.Time, leg strategy.Leg, side string, q, price, fee decimal.Decimal, reason strategy.Reason, grid decimal.Decimal) {
	notional := q.Mul(price)
	pr.tot.Fees = pr.tot.Fees.Add(fee)
	pr.e.sumFees = pr.e.sumFees.Add(fee)
	pr.touched = true
	pr.tot.SlippageCost = pr.tot.SlippageCost.Add(q.Mul(price.Sub(grid).Abs()))
	pr.tot.Traded = pr.tot.Traded.Add(notional)
	pr.e.filled(Trade{Symbol: pr.symbol, Trade: strategy.Trade{
		Time: t, PositionID: pr.id, Leg: leg, Side: side, Quantity: q, Price: price, Fee: fee, Reason: reason,
	}}, notional)
}

// buy adds d to the pair (an entry when flat), from the book's cash: d
// spot at S(1+s) with its fee, d short at F(1−s) with its fee, and the
// short's initial margin d·F_f/L deposited in its wallet (spec point 8).
func (pr *pair) buy(i int, t time.Time, d decimal.Decimal, reason strategy.Reason) {
	c := &pr.e.c
	s, f := pr.spot(i), pr.fut(i)
	sf, ff := c.buyPrice(s), c.sellPrice(f)
	if !pr.held() {
		pr.id = pr.e.newPosition()
		pr.tot.Entries++
	}
	spotFee := d.Mul(sf).Mul(c.spotFee)
	margin := d.Mul(ff).DivRound(c.leverage, divScale)
	perpFee := d.Mul(ff).Mul(c.perpFee)
	pr.wallet = pr.wallet.Add(margin)
	cost := d.Mul(sf).Add(spotFee).Add(margin).Add(perpFee)
	pr.e.cash = pr.e.cash.Sub(cost)
	pr.netIn = pr.netIn.Add(cost)
	pr.spotCost = pr.spotCost.Add(d.Mul(sf))
	pr.perpNotion = pr.perpNotion.Add(d.Mul(ff))
	pr.q = pr.q.Add(d)
	pr.fill(t, strategy.LegSpot, "buy", d, sf, spotFee, reason, s)
	pr.fill(t, strategy.LegPerp, "sell", d, ff, perpFee, reason, f)
}

// sell takes d ≤ q off the pair (a close when d = q): d spot sold at
// S(1−s), its fee from the proceeds, to cash; d short bought back at
// F(1+s). The wallet keeps its share (q − d)/q of the balance it had; the
// released margin and the closed units' realized P&L less their fee go to
// cash, so every part of the pair shrinks in proportion (docs/model.md,
// "Trading at a rebalance point").
func (pr *pair) sell(i int, t time.Time, d decimal.Decimal, reason strategy.Reason) {
	c := &pr.e.c
	whole := d.Equal(pr.q)
	// part is the share d/q of an amount, exactly the amount when whole.
	part := func(x decimal.Decimal) decimal.Decimal {
		if whole {
			return x
		}
		return x.Mul(d).DivRound(pr.q, divScale)
	}
	s, f := pr.spot(i), pr.fut(i)
	sx, fx := c.sellPrice(s), c.buyPrice(f)
	spotFee := d.Mul(sx).Mul(c.spotFee)
	spotOut := part(pr.spotCost)
	pr.realize(d.Mul(sx).Sub(spotOut))
	pr.spotCost = pr.spotCost.Sub(spotOut)
	toCash := d.Mul(sx).Sub(spotFee)
	pr.fill(t, strategy.LegSpot, "sell", d, sx, spotFee, reason, s)

	perpOut := part(pr.perpNotion)
	pnl := perpOut.Sub(d.Mul(fx))
	perpFee := d.Mul(fx).Mul(c.perpFee)
	pr.realize(pnl)
	pr.perpNotion = pr.perpNotion.Sub(perpOut)
	pr.fill(t, strategy.LegPerp, "buy", d, fx, perpFee, reason, f)

	released := pr.wallet
	if !whole {
		released = pr.wallet.Sub(pr.wallet.Mul(pr.q.Sub(d)).DivRound(pr.q, divScale))
	}
	pr.wallet = pr.wallet.Sub(released)
	toCash = toCash.Add(released).Add(pnl).Sub(perpFee)
	pr.e.cash = pr.e.cash.Add(toCash)
	pr.netIn = pr.netIn.Sub(toCash)
	pr.q = pr.q.Sub(d)
	if whole {
		pr.flat()
	}
}

// liquidate: the exchange closes the short at the grid price and keeps its
// margin balance (the forfeit); the spot is sold with costs into the
// book's cash. The pair is flat and may be selected again later.
func (pr *pair) liquidate(i int, t time.Time) {
	c := &pr.e.c
	q, s, f := pr.q, pr.spot(i), pr.fut(i)
	pnl := pr.perpNotion.Sub(q.Mul(f))
	pr.realize(pnl)
	forfeit := pr.wallet.Add(pnl)
	pr.tot.Forfeit = pr.tot.Forfeit.Add(forfeit)
	pr.e.sumForfeit = pr.e.sumForfeit.Add(forfeit)
	pr.fill(t, strategy.LegPerp, "buy", q, f, decimal.Zero, strategy.ReasonLiquidation, f)
	sx := c.sellPrice(s)
	fee := q.Mul(sx).Mul(c.spotFee)
	pr.realize(q.Mul(sx).Sub(pr.spotCost))
	toCash := q.Mul(sx).Sub(fee)
	pr.e.cash = pr.e.cash.Add(toCash)
	pr.netIn = pr.netIn.Sub(toCash)
	pr.fill(t, strategy.LegSpot, "sell", q, sx, fee, strategy.ReasonLiquidation, s)
	pr.tot.Liquidated++
	pr.flat()
}

// realize books basis P&L of closed quantities, the pair's and the book's.
func (pr *pair) realize(x decimal.Decimal) {
	pr.realized = pr.realized.Add(x)
	pr.e.sumRealized = pr.e.sumRealized.Add(x)
}

// flat clears a closed position (the wallet is empty by then, or
// forfeited).
func (pr *pair) flat() {
	pr.id = 0
	pr.q, pr.spotCost, pr.perpNotion, pr.wallet = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
}
