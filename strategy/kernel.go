package strategy

import "math"

// KernelParams are Params for Kernel: money in float64, rule thresholds
// exact (an off Threshold disables its rule).
type KernelParams struct {
	Capital, Leverage, SpotFee, PerpFee, Slippage, Maintenance, RebalanceBelow float64
	Roll                                                                       bool
	FundingLookback                                                            int
	FundingEnter, FundingExit, BasisEnter, BasisExit                           Threshold
	MaxHoldMs                                                                  int64
}

// KernelParamsOf converts p, which must be valid (Params.Validate): it
// panics on a threshold Validate refuses. The thresholds are converted here,
// once, to the exact form the kernel compares with.
func KernelParamsOf(p Params) KernelParams {
	kp := KernelParams{
		Capital: p.Capital.InexactFloat64(), Leverage: p.Leverage.InexactFloat64(),
		SpotFee: p.SpotFee.InexactFloat64(), PerpFee: p.PerpFee.InexactFloat64(), Slippage: p.Slippage.InexactFloat64(),
		Maintenance: p.Maintenance.InexactFloat64(), RebalanceBelow: p.RebalanceBelow.InexactFloat64(),
		Roll: p.OnDelivery == DeliverRoll, FundingLookback: p.Rules.FundingLookback, MaxHoldMs: p.Rules.MaxHold.Milliseconds(),
	}
	if err := setThresholds(&kp, p.Rules); err != nil {
		panic("strategy: KernelParamsOf on parameters Validate refuses: " + err.Error())
	}
	return kp
}

// KernelTotals are a kernel run's money and counts, as Totals.
type KernelTotals struct {
	FinalEquity, Funding, BasisPnL, Fees, SlippageCost, Forfeit float64
	Notional                                                    float64 // Σ quantity × price over all fills
	EventsReceived, PositiveEvents, MissingMark, Trades, Fills  int
	InMarket                                                    int
	WorstMarginRatio                                            float64 // NaN: never open
	WorstMarginAt, LiquidatedAt                                 int     // grid index, −1 if none
	Liquidated                                                  bool
}

// KernelRecorder, when passed to Kernel, receives what Run records in full.
type KernelRecorder struct {
	Equity, CumFunding, CumFees, BasisPnL, Quantity, MarginRatio []float64
	Fills                                                        []KernelFill
	Payments                                                     []float64
}

// KernelFill is a fill as the kernel sees it.
type KernelFill struct {
	Index           int
	Leg             Leg
	Reason          Reason
	Qty, Price, Fee float64
}

// kstate is a kernel run's state; the rare actions are its methods, the
// common step is inlined in Kernel.
type kstate struct {
	p   *Prepared
	kp  KernelParams
	rec *KernelRecorder
	tot KernelTotals

	invL, s1, s0                        float64
	cash, funding, fees, realized, slip float64
	forfeit                             float64
	open, liquidated, dated             bool
	q, sp, fp, wallet                   float64
	deliv, opened                       int64
	rules                               kernelRules
}

func (k *kstate) fill(i int, leg Leg, reason Reason, q, price, grid, fee float64) {
	k.fees += fee
	k.slip += q * math.Abs(price-grid)
	k.tot.Notional += q * price
	k.tot.Fills++
	if k.rec != nil {
		k.rec.Fills = append(k.rec.Fills, KernelFill{i, leg, reason, q, price, fee})
	}
}

func (k *kstate) sellSpot(i int, q float64, reason Reason) {
	sx := k.p.spot[i] * k.s0
	fee := q * sx * k.kp.SpotFee
	k.realized += q * (sx - k.sp)
	k.cash += q*sx - fee
	k.fill(i, LegSpot, reason, q, sx, k.p.spot[i], fee)
}

func (k *kstate) close(i int, fh float64, reason Reason) {
	k.sellSpot(i, k.q, reason)
	fx := fh * k.s1
	fee := k.q * fx * k.kp.PerpFee
	pnl := k.q * (k.fp - fx)
	k.realized += pnl
	k.wallet += pnl - fee
	k.fill(i, LegPerp, reason, k.q, fx, fh, fee)
	k.cash += k.wallet
	k.flat()
}

func (k *kstate) flat() {
	k.open, k.q, k.sp, k.fp, k.wallet, k.deliv, k.opened = false, 0, 0, 0, 0, 0, 0
}

// held is the held contract's futures price at i (NaN if none is quoted).
func (k *kstate) held(i int) float64 {
	p := k.p
	if !k.dated || p.deliv[i] == k.deliv {
		return p.fut[i]
	}
	if p.alt != nil && p.altDel[i] == k.deliv {
		return p.alt[i]
	}
	return math.NaN()
}

func (k *kstate) deliver(i int, last bool) {
	p := k.p
	s := p.spot[i]
	pnl := k.q * (k.fp - s)
	k.realized += pnl
	k.wallet += pnl
	k.fill(i, LegPerp, ReasonDelivery, k.q, s, s, 0)
	if k.kp.Roll && !last && p.deliv[i] > p.times[i] {
		ff := p.fut[i] * k.s0
		fee := k.q * ff * k.kp.PerpFee
		k.wallet -= fee
		k.fp, k.deliv = ff, p.deliv[i]
		k.fill(i, LegPerp, ReasonRoll, k.q, ff, p.fut[i], fee)
		return
	}
	k.sellSpot(i, k.q, ReasonDelivery)
	k.cash += k.wallet
	k.flat()
}

func (k *kstate) liquidate(i int, fh float64) {
	pnl := k.q * (k.fp - fh)
	k.realized += pnl
	k.forfeit += k.wallet + pnl
	k.fill(i, LegPerp, ReasonLiquidation, k.q, fh, fh, 0)
	k.sellSpot(i, k.q, ReasonLiquidation)
	k.flat()
	k.liquidated, k.tot.Liquidated, k.tot.LiquidatedAt = true, true, i
}

func (k *kstate) rebalance(i int, fh float64) {
	p, kp := k.p, k.kp
	sx, fx := p.spot[i]*k.s0, fh*k.s1
	num := k.q*fh*k.invL - (k.wallet + k.q*(k.fp-fh))
	den := sx*(1-kp.SpotFee) - (fx - fh) - fx*kp.PerpFee + fh*k.invL
	dq := num / den
	switch {
	case den <= 0 || dq >= k.q:
		k.close(i, fh, ReasonRebalance)
	case dq > 0:
		spotFee := dq * sx * kp.SpotFee
		k.realized += dq * (sx - k.sp)
		k.fill(i, LegSpot, ReasonRebalance, dq, sx, p.spot[i], spotFee)
		perpFee := dq * fx * kp.PerpFee
		pnl := dq * (k.fp - fx)
		k.realized += pnl
		k.fill(i, LegPerp, ReasonRebalance, dq, fx, fh, perpFee)
		k.wallet += dq*sx - spotFee + pnl - perpFee
		k.q -= dq
	}
}

func (k *kstate) enter(i int) {
	p, kp := k.p, k.kp
	s, f := p.spot[i], p.fut[i]
	sf, ff := s*k.s1, f*k.s0
	q := k.cash / (sf*(1+kp.SpotFee) + ff*(k.invL+kp.PerpFee))
	spotFee, margin, perpFee := q*sf*kp.SpotFee, q*ff*k.invL, q*ff*kp.PerpFee
	k.open, k.q, k.sp, k.fp, k.wallet, k.opened = true, q, sf, ff, margin, p.times[i]
	if k.dated {
		k.deliv = p.deliv[i]
	}
	k.cash -= q*sf + spotFee + margin + perpFee
	k.tot.Trades++
	k.fill(i, LegSpot, ReasonEntry, q, sf, s, spotFee)
	k.fill(i, LegPerp, ReasonEntry, q, ff, f, perpFee)
}

// Kernel runs the same model as Run in float64 and writes the equity after
// each grid point into equity (len ≥ p.Len()), allocating nothing; rec may
// be nil. The rules' signals are computed and compared with their
// thresholds exactly, in integers (kernel_rules.go), as Run does in
// decimal, so both decide alike at every grid point, ties included; money
// then agrees with Run to about 1e-12 relative (the agreement test holds it
// to 1e-9). The common step — a position held, nothing to do — is kept
// short: one price lookup, the margin compared by multiplication, rules
// evaluated only when enabled.
func Kernel(p *Prepared, kp KernelParams, equity []float64, rec *KernelRecorder) KernelTotals {
	return KernelSignals(p, nil, kp, equity, rec)
}

// KernelSignals is Kernel with the rules' decisions taken from s (nil, or
// built on p by NewSignals and Add before the run): bit for bit the same
// result, faster. A perpetual run without recorder takes kernelFast, which
// finds each entry and exit before stepping to it: from s's next arrays
// where s holds the rule's signal, else by scanning the rule's exact test
// forward; any other run (dated, or recorded) decides at every grid point
// (kernelGeneric).
func KernelSignals(p *Prepared, s *Signals, kp KernelParams, equity []float64, rec *KernelRecorder) KernelTotals {
	if s != nil && s.p != p {
		panic("strategy: KernelSignals with the signals of another series")
	}
	if rec == nil && equity != nil && p.deliv == nil && p.n > 0 {
		rc := s.conds(p, &kp)
		return kernelFast(p, kp, equity[:p.n], &rc)
	}
	return kernelGeneric(p, kp, equity, rec)
}

// kernelGeneric is the kernel deciding the rules as it goes, at every grid
// point; it records (rec) and handles dated contracts.
func kernelGeneric(p *Prepared, kp KernelParams, equity []float64, rec *KernelRecorder) KernelTotals {
	k := kstate{p: p, kp: kp, rec: rec, cash: kp.Capital, dated: p.deliv != nil,
		invL: 1 / kp.Leverage, s1: 1 + kp.Slippage, s0: 1 - kp.Slippage, rules: newKernelRules(p, &kp)}
	k.tot = KernelTotals{WorstMarginRatio: math.NaN(), WorstMarginAt: -1, LiquidatedAt: -1}
	exitRules := kp.FundingExit.on || kp.BasisExit.on || kp.MaxHoldMs > 0
	rebalanceBelow, maint := kp.RebalanceBelow, kp.Maintenance
	n, dated := p.n, k.dated
	spot, fut, evLo, evHi, markRate := p.spot[:n], p.fut[:n], p.evLo[:n], p.evHi[:n], p.markRate
	positive, missing := p.positive, p.missing
	var received, positives, missings int32
	// The hot state lives in locals (registers); it is synced with k only
	// around the rare actions, which are k's methods.
	q, fp, wallet, cash, funding, open := k.q, k.fp, k.wallet, k.cash, 0.0, false
	worst, worstAt, openAfter := math.Inf(1), -1, 0
	for i := 0; i < n; i++ {
		last := i == n-1
		// (1) funding to an open perpetual position
		if open && i > 0 && !dated {
			for e := evLo[i]; e < evHi[i]; e++ {
				pay := q * markRate[e]
				wallet += pay
				funding += pay
				received++
				positives += positive[e]
				missings += missing[e]
				if rec != nil {
					rec.Payments = append(rec.Payments, pay)
				}
			}
		}
		// (2) delivery or margin, (3) rules
		if open {
			if dated && p.times[i] >= k.deliv {
				k.set(q, fp, wallet, cash, funding, open)
				k.deliver(i, last)
				q, fp, wallet, cash, funding, open = k.get()
			} else {
				fh := fut[i]
				if dated {
					fh = k.held(i)
				}
				margin := wallet + q*(fp-fh)
				notional := q * fh
				// A liquidation needs the ratio below m, and the worst ratio
				// so far is above m until one happens: test it only at a new
				// worst.
				liquidate := false
				if margin < worst*notional {
					worst, worstAt = margin/notional, i
					liquidate = margin < maint*notional
				}
				switch {
				case liquidate:
					k.set(q, fp, wallet, cash, funding, open)
					k.liquidate(i, fh)
					q, fp, wallet, cash, funding, open = k.get()
				case exitRules && k.exitSignal(i, fh):
					k.set(q, fp, wallet, cash, funding, open)
					k.close(i, fh, ReasonExit)
					q, fp, wallet, cash, funding, open = k.get()
				case rebalanceBelow > 0 && !last && margin < rebalanceBelow*notional:
					// Not at the last grid point, whose action is the
					// close (reason end).
					k.set(q, fp, wallet, cash, funding, open)
					k.rebalance(i, fh)
					q, fp, wallet, cash, funding, open = k.get()
				case !last:
					// The common step: held, nothing to do.
					openAfter++
					eq := cash + q*spot[i] + margin
					if equity != nil {
						equity[i] = eq
					}
					if rec != nil {
						k.set(q, fp, wallet, cash, funding, open)
						k.record(i, eq)
					}
					continue
				}
			}
		} else if !k.liquidated && !last && k.entrySignal(i) {
			k.set(q, fp, wallet, cash, funding, open)
			k.enter(i)
			q, fp, wallet, cash, funding, open = k.get()
		}
		if last && open {
			k.set(q, fp, wallet, cash, funding, open)
			k.close(i, k.held(i), ReasonEnd)
			q, fp, wallet, cash, funding, open = k.get()
		}
		// (4) record; time in market counts the steps before the last
		// after which a position is open (the intervals it is held).
		if open && !last {
			openAfter++
		}
		eq := cash
		if open {
			fh := k.held(i)
			eq += q*spot[i] + wallet + q*(fp-fh)
		}
		if equity != nil {
			equity[i] = eq
		}
		if rec != nil {
			k.set(q, fp, wallet, cash, funding, open)
			k.record(i, eq)
		}
		if last {
			k.tot.FinalEquity = eq
		}
	}
	k.set(q, fp, wallet, cash, funding, open)
	return k.totals(worst, worstAt, openAfter, received, positives, missings, n)
}

// totals completes k's totals at the end of a run (both kernels).
func (k *kstate) totals(worst float64, worstAt, openAfter int, received, positives, missings int32, n int) KernelTotals {
	if worstAt >= 0 {
		k.tot.WorstMarginRatio, k.tot.WorstMarginAt = worst, worstAt
	}
	k.tot.InMarket = openAfter
	k.tot.EventsReceived, k.tot.PositiveEvents, k.tot.MissingMark = int(received), int(positives), int(missings)
	k.tot.Funding, k.tot.Fees, k.tot.SlippageCost, k.tot.Forfeit = k.funding, k.fees, k.slip, k.forfeit
	k.tot.BasisPnL = k.basisPnL(n - 1)
	return k.tot
}

// set and get move the hot state between Kernel's locals and k, by value
// (a closure would capture the locals and keep them out of registers).
func (k *kstate) set(q, fp, wallet, cash, funding float64, open bool) {
	k.q, k.fp, k.wallet, k.cash, k.funding, k.open = q, fp, wallet, cash, funding, open
}

func (k *kstate) get() (q, fp, wallet, cash, funding float64, open bool) {
	return k.q, k.fp, k.wallet, k.cash, k.funding, k.open
}

// basisPnL is realized plus unrealized basis P&L after grid point i.
func (k *kstate) basisPnL(i int) float64 {
	b := k.realized
	if k.open {
		fh := k.held(i)
		b += k.q*(k.p.spot[i]-k.sp) + k.q*(k.fp-fh)
	}
	return b
}

func (k *kstate) record(i int, eq float64) {
	r := k.rec
	mr := math.NaN()
	if k.open {
		fh := k.held(i)
		mr = (k.wallet + k.q*(k.fp-fh)) / (k.q * fh)
	}
	r.Equity = append(r.Equity, eq)
	r.CumFunding = append(r.CumFunding, k.funding)
	r.CumFees = append(r.CumFees, k.fees)
	r.BasisPnL = append(r.BasisPnL, k.basisPnL(i))
	r.Quantity = append(r.Quantity, k.q)
	r.MarginRatio = append(r.MarginRatio, mr)
}
