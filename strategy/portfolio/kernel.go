package portfolio

import (
	"math"
)

// KernelParams are the money a kernel run plays a plan with, in float64:
// the pair's parameters and the band (the only parameters RunPlan lets
// differ from the plan's).
type KernelParams struct {
	Capital, Leverage, SpotFee, PerpFee, Slippage, Maintenance, Band float64
}

// KernelParamsOf converts p's money to float64.
func KernelParamsOf(p Params) KernelParams {
	q := p.Pair
	return KernelParams{
		Capital: q.Capital.InexactFloat64(), Leverage: q.Leverage.InexactFloat64(),
		SpotFee: q.SpotFee.InexactFloat64(), PerpFee: q.PerpFee.InexactFloat64(), Slippage: q.Slippage.InexactFloat64(),
		Maintenance: q.Maintenance.InexactFloat64(), Band: p.Band,
	}
}

// KernelTotals are a kernel run's money and counts, as Result's.
type KernelTotals struct {
	FinalEquity, Funding, BasisPnL, Fees, SlippageCost, Forfeit float64
	Traded                                                      float64 // notional filled, both legs
	Entries, Fills, Liquidations, Delistings                    int
	// HoldingsSum is Σ over book points of the pairs held after the
	// point's actions (÷ intervals: the average number of holdings);
	// ConcentrationSum is Σ over the points holding pairs worth something
	// of the Herfindahl index of the held pairs' weights normalized to
	// the invested equity, Σ_j (P_j/Σ P)² over P_j > 0 (÷ those points:
	// its mean, summary.json's concentration_hhi; 1/n for n equal pairs).
	HoldingsSum, ConcentrationPoints int
	ConcentrationSum                 float64
}

// KernelRecorder, when passed to Kernel, receives every pair's money.
type KernelRecorder struct {
	// Funding, BasisPnL, Fees, Forfeit and Traded are per member, at the
	// end of the run.
	Funding, BasisPnL, Fees, Forfeit, Traded []float64
}

// Kernel plays the prepared plan with kp's money in float64 and writes
// the book's equity after each point into equity (len = book points, or
// nil). It takes the decisions Run takes (the plan's, shared) and its
// money agrees with Run's to 1e-9 of the capital (a test holds it). Only
// held pairs cost anything at a point: a flat member's events pass
// unread, so a run over a wide universe holding few pairs costs little
// more than those pairs' single-pair runs.
func Kernel(pp *Prepared, kp KernelParams, equity []float64, rec *KernelRecorder) KernelTotals {
	k := newKbook(pp, kp)
	n := len(pp.plan.Times)
	next := 0
	for b := range n {
		last := b == n-1
		// Steps a–c of each held pair present here (funding, the margin
		// check, leaving at its last grid point), and the equity of the
		// pairs still held, in one pass over the point's row.
		row := b * pp.m
		sum, pos, sq, flat := 0.0, 0.0, 0.0, false
		for _, j := range k.held {
			c := row + j
			p := &k.pairs[j]
			if fl := pp.flags[c]; fl&cellPresent != 0 {
				if fp := pp.fundPerQty[c]; fp != 0 {
					pay := p.q * fp
					p.wallet += pay
					p.funding += pay
					p.refresh(kp.Maintenance)
				}
				// M < m·q·F ⇔ W + N < q·F·(1 + m) ⇔ F > liq (q > 0)
				if pp.fut[c] > p.liq {
					k.liquidate(j, b)
					flat = true
					continue
				}
				if fl&cellLeaving != 0 && !last {
					if pp.delisted[j] {
						k.tot.Delistings++
					}
					k.sell(j, b, p.q, true)
					flat = true
					continue
				}
			}
			e := p.equityAt(pp, c)
			sum += e
			if e > 0 {
				pos += e
				sq += e * e
			}
		}
		if flat {
			k.compactHeld()
		}
		eq := k.cash + sum
		if next < len(pp.plan.Decisions) && pp.plan.Decisions[next].Point == b {
			k.rebalance(b, &pp.plan.Decisions[next])
			next++
			eq, pos, sq = k.equitySq(b)
		}
		if last {
			for _, j := range k.held {
				k.sell(j, b, k.pairs[j].q, true)
			}
			k.compactHeld()
			eq, pos, sq = k.equitySq(b)
		}
		if equity != nil {
			equity[b] = eq
		}
		k.tot.HoldingsSum += len(k.held)
		if len(k.held) > 0 && pos > 0 {
			k.tot.ConcentrationSum += sq / (pos * pos)
			k.tot.ConcentrationPoints++
		}
	}
	return k.totals(rec)
}

// equitySq is the book's equity at b, and the sum and the sum of squares
// of its held pairs' positive equities (the Herfindahl index's parts).
func (k *kbook) equitySq(b int) (eq, pos, sq float64) {
	eq = k.equity(b)
	for _, e := range k.pe {
		if e > 0 {
			pos += e
			sq += e * e
		}
	}
	return eq, pos, sq
}

// kpair is one member's position in a kernel run.
type kpair struct {
	base, liq                       float64 // see refresh
	q, spotCost, perpNotion, wallet float64
	held                            bool
	funding, fees, forfeit, slip    float64
	realized, traded                float64
}

// equityAt is q·S + M at cell c (a member at a book point).
func (p *kpair) equityAt(pp *Prepared, c int) float64 {
	return p.q*(pp.spot[c]-pp.fut[c]) + p.base
}

// refresh recomputes what a point reads of the pair's state after it
// changed: base = W + N (so equity is q·(S − F) + base) and liq, the
// futures price above which the short is liquidated: M < m·q·F ⇔
// F > (W + N)/(q·(1 + m)).
func (p *kpair) refresh(m float64) {
	p.base = p.wallet + p.perpNotion
	p.liq = math.Inf(1)
	if p.q > 0 {
		p.liq = p.base / (p.q * (1 + m))
	}
}

type kbook struct {
	pp    *Prepared
	kp    KernelParams
	invL  float64
	cash  float64
	pairs []kpair
	held  []int     // members held, in universe order
	pe    []float64 // pe[x]: held[x]'s equity at the point (equity's scratch)
	tot   KernelTotals
	buys  []kbuy
}

type kbuy struct {
	j         int
	need, per float64
}

func newKbook(pp *Prepared, kp KernelParams) *kbook {
	return &kbook{pp: pp, kp: kp, invL: 1 / kp.Leverage, cash: kp.Capital, pairs: make([]kpair, pp.m)}
}

// compactHeld drops the pairs that went flat from the held list.
func (k *kbook) compactHeld() {
	h := k.held[:0]
	for _, j := range k.held {
		if k.pairs[j].held {
			h = append(h, j)
		}
	}
	k.held = h
}

// equity is cash + Σ held pairs' q·S + M at their last prices.
func (k *kbook) equity(b int) float64 {
	eq := k.cash
	k.pe = k.pe[:0]
	row := b * k.pp.m
	for _, j := range k.held {
		e := k.pairs[j].equityAt(k.pp, row+j)
		k.pe = append(k.pe, e)
		eq += e
	}
	return eq
}

func (k *kbook) fill(p *kpair, q, price, grid, fee float64) {
	p.fees += fee
	p.slip += q * math.Abs(price-grid)
	p.traded += q * price
	k.tot.Fills++
}

// buy adds d units to member j at book point b (an entry when flat).
func (k *kbook) buy(j, b int, d float64) {
	p := &k.pairs[j]
	c := b*k.pp.m + j
	s, f := k.pp.spot[c], k.pp.fut[c]
	sf, ff := s*(1+k.kp.Slippage), f*(1-k.kp.Slippage)
	if !p.held {
		p.held = true
		k.tot.Entries++
		k.insertHeld(j)
	}
	spotFee := d * sf * k.kp.SpotFee
	margin := d * ff / k.kp.Leverage
	perpFee := d * ff * k.kp.PerpFee
	p.wallet += margin
	k.cash -= d*sf + spotFee + margin + perpFee
	p.spotCost += d * sf
	p.perpNotion += d * ff
	p.q += d
	p.refresh(k.kp.Maintenance)
	k.fill(p, d, sf, s, spotFee)
	k.fill(p, d, ff, f, perpFee)
}

// insertHeld keeps the held list in universe order, as the engine walks
// its pairs.
func (k *kbook) insertHeld(j int) {
	at := len(k.held)
	for at > 0 && k.held[at-1] > j {
		at--
	}
	k.held = append(k.held, 0)
	copy(k.held[at+1:], k.held[at:])
	k.held[at] = j
}

// sell takes d units off member j (the whole position when whole): the
// wallet keeps its share (q − d)/q, the rest, the spot's proceeds and the
// short's realized P&L less the fees go to cash.
func (k *kbook) sell(j, b int, d float64, whole bool) {
	p := &k.pairs[j]
	c := b*k.pp.m + j
	s, f := k.pp.spot[c], k.pp.fut[c]
	sx, fx := s*(1-k.kp.Slippage), f*(1+k.kp.Slippage)
	spotFee := d * sx * k.kp.SpotFee
	spotOut, perpOut, released := p.spotCost, p.perpNotion, p.wallet
	if !whole {
		spotOut = p.spotCost * d / p.q
		perpOut = p.perpNotion * d / p.q
		released = p.wallet - p.wallet*(p.q-d)/p.q
	}
	p.realized += d*sx - spotOut
	p.spotCost -= spotOut
	k.fill(p, d, sx, s, spotFee)
	pnl := perpOut - d*fx
	perpFee := d * fx * k.kp.PerpFee
	p.realized += pnl
	p.perpNotion -= perpOut
	k.fill(p, d, fx, f, perpFee)
	p.wallet -= released
	k.cash += d*sx - spotFee + released + pnl - perpFee
	p.q -= d
	if whole {
		p.flat()
	}
	p.refresh(k.kp.Maintenance)
}

// liquidate: the short bought back at F without fee, its margin balance
// forfeited; the spot sold with costs into the book's cash.
func (k *kbook) liquidate(j, b int) {
	p := &k.pairs[j]
	c := b*k.pp.m + j
	q, s, f := p.q, k.pp.spot[c], k.pp.fut[c]
	pnl := p.perpNotion - q*f
	p.realized += pnl
	p.forfeit += p.wallet + pnl
	k.fill(p, q, f, f, 0)
	sx := s * (1 - k.kp.Slippage)
	fee := q * sx * k.kp.SpotFee
	p.realized += q*sx - p.spotCost
	k.cash += q*sx - fee
	k.fill(p, q, sx, s, fee)
	k.tot.Liquidations++
	p.flat()
}

func (p *kpair) flat() {
	p.held = false
	p.q, p.spotCost, p.perpNotion, p.wallet = 0, 0, 0, 0
	p.base, p.liq = 0, math.Inf(1)
}

// rebalance trades book point b towards the decision's weights, as the
// engine's rebalance (docs/model.md, "Trading at a rebalance point").
func (k *kbook) rebalance(b int, d *Decision) {
	pp := k.pp
	eq := k.equity(b)
	if !(eq > 0) {
		return
	}
	k.buys = k.buys[:0]
	row := b * pp.m
	for _, j32 := range pp.present[b] {
		j := int(j32)
		w := d.Weights[j]
		p := &k.pairs[j]
		if p.held && w == 0 {
			k.sell(j, b, p.q, true)
			continue
		}
		if w == 0 {
			continue
		}
		c := row + j
		have := 0.0
		if p.held {
			have = p.equityAt(pp, c)
			if !outsideBand(have/eq, w, k.kp.Band) {
				continue
			}
		}
		alloc := w * eq
		per := pp.spot[c]*(1+k.kp.Slippage)*(1+k.kp.SpotFee) + pp.fut[c]*(1-k.kp.Slippage)*(k.invL+k.kp.PerpFee)
		switch {
		case alloc < have:
			if dq := p.q * (have - alloc) / have; dq > 0 {
				k.sell(j, b, math.Min(dq, p.q), dq >= p.q)
			}
		case alloc > have:
			k.buys = append(k.buys, kbuy{j: j, need: alloc - have, per: per})
		}
	}
	need := 0.0
	for _, o := range k.buys {
		need += o.need
	}
	f := 1.0
	if need > k.cash {
		if !(k.cash > 0) {
			k.compactHeld()
			return
		}
		f = k.cash / need
	}
	for _, o := range k.buys {
		if spend := o.need * f; spend > eq*dustDrift {
			k.buy(o.j, b, spend/o.per)
		}
	}
	k.compactHeld()
}

func (k *kbook) totals(rec *KernelRecorder) KernelTotals {
	t := k.tot
	n := len(k.pp.plan.Times)
	t.FinalEquity = k.equity(n - 1)
	if rec != nil {
		m := len(k.pairs)
		rec.Funding, rec.BasisPnL, rec.Fees, rec.Forfeit, rec.Traded = make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m), make([]float64, m)
	}
	for j := range k.pairs {
		p := &k.pairs[j]
		basis := p.realized
		if p.held {
			c := (n-1)*k.pp.m + j
			basis += p.q*k.pp.spot[c] - p.spotCost + p.perpNotion - p.q*k.pp.fut[c]
		}
		t.Funding += p.funding
		t.BasisPnL += basis
		t.Fees += p.fees
		t.SlippageCost += p.slip
		t.Forfeit += p.forfeit
		t.Traded += p.traded
		if rec != nil {
			rec.Funding[j], rec.BasisPnL[j], rec.Fees[j], rec.Forfeit[j], rec.Traded[j] = p.funding, basis, p.fees, p.forfeit, p.traded
		}
	}
	return t
}
