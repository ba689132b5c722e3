package strategy

import "math"

// KernelParams are Params in float64, for Kernel. NaN thresholds disable a
// rule.
type KernelParams struct {
	Capital, Leverage, SpotFee, PerpFee, Slippage, Maintenance, RebalanceBelow float64
	Roll                                                                       bool
	FundingLookback                                                            int
	FundingEnter, FundingExit, BasisEnter, BasisExit                           float64
	MaxHoldMs                                                                  int64
}

// KernelParamsOf converts p.
func KernelParamsOf(p Params) KernelParams {
	nan := math.NaN()
	kp := KernelParams{
		Capital: p.Capital.InexactFloat64(), Leverage: p.Leverage.InexactFloat64(),
		SpotFee: p.SpotFee.InexactFloat64(), PerpFee: p.PerpFee.InexactFloat64(), Slippage: p.Slippage.InexactFloat64(),
		Maintenance: p.Maintenance.InexactFloat64(), RebalanceBelow: p.RebalanceBelow.InexactFloat64(),
		Roll: p.OnDelivery == DeliverRoll, FundingLookback: p.Rules.FundingLookback,
		FundingEnter: nan, FundingExit: nan, BasisEnter: nan, BasisExit: nan, MaxHoldMs: p.Rules.MaxHold.Milliseconds(),
	}
	if p.Rules.FundingEnter != nil {
		kp.FundingEnter, kp.FundingExit = *p.Rules.FundingEnter, *p.Rules.FundingExit
	}
	if p.Rules.BasisEnter != nil {
		kp.BasisEnter, kp.BasisExit = *p.Rules.BasisEnter, *p.Rules.BasisExit
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

type kpos struct {
	open              bool
	q, sp, fp, wallet float64
	deliv             int64
	opened            int64
}

// Kernel runs the same model as Run in float64 and writes the equity after
// each grid point into equity (len ≥ p.Len()), allocating nothing; rec may
// be nil. Results agree with Run to about 1e-12 relative (the agreement
// test holds them to 1e-9).
func Kernel(p *Prepared, kp KernelParams, equity []float64, rec *KernelRecorder) KernelTotals {
	n := p.n
	invL := 1 / kp.Leverage
	s1, s0 := 1+kp.Slippage, 1-kp.Slippage
	var (
		tot                                    = KernelTotals{WorstMarginRatio: math.NaN(), WorstMarginAt: -1, LiquidatedAt: -1}
		cash                                   = kp.Capital
		pos                                    kpos
		funding, fees, realized, slip, forfeit float64
		liquidated, inMarket                   bool
	)
	dated := p.deliv != nil
	held := func(i int) float64 {
		if !dated || p.deliv[i] == pos.deliv {
			return p.fut[i]
		}
		if p.alt != nil && p.altDel[i] == pos.deliv {
			return p.alt[i]
		}
		return math.NaN()
	}
	fill := func(i int, leg Leg, reason Reason, q, price, grid, fee float64) {
		fees += fee
		tot.Notional += q * price
		tot.Fills++
		slip += q * math.Abs(price-grid)
		if rec != nil {
			rec.Fills = append(rec.Fills, KernelFill{i, leg, reason, q, price, fee})
		}
	}
	sellSpot := func(i int, q float64, reason Reason) {
		sx := p.spot[i] * s0
		fee := q * sx * kp.SpotFee
		realized += q * (sx - pos.sp)
		cash += q*sx - fee
		fill(i, LegSpot, reason, q, sx, p.spot[i], fee)
	}
	closePos := func(i int, fh float64, reason Reason) {
		sellSpot(i, pos.q, reason)
		fx := fh * s1
		fee := pos.q * fx * kp.PerpFee
		pnl := pos.q * (pos.fp - fx)
		realized += pnl
		pos.wallet += pnl - fee
		fill(i, LegPerp, reason, pos.q, fx, fh, fee)
		cash += pos.wallet
		pos = kpos{}
	}
	fundingSignal := func(i int) (float64, bool) {
		k, nn := int(p.evHi[i]), kp.FundingLookback
		if k < nn {
			return 0, false
		}
		return (p.annPrefix[k] - p.annPrefix[k-nn]) / float64(nn), true
	}
	basisSignal := func(i int, f float64, deliv int64) (float64, bool) {
		b := (f/p.spot[i] - 1) * 365
		if !dated {
			return b, true
		}
		ms := deliv - p.times[i]
		if ms <= 0 {
			return 0, false
		}
		return b * 86_400_000 / float64(ms), true
	}
	for i := range n {
		last := i == n-1
		// (1) funding
		if i > 0 && pos.open && !dated {
			for k := p.evLo[i]; k < p.evHi[i]; k++ {
				size := pos.q * p.mark[k]
				pay := size * p.rate[k]
				pos.wallet += pay
				funding += pay
				tot.EventsReceived++
				if pay > 0 {
					tot.PositiveEvents++
				}
				if p.markMiss[k] {
					tot.MissingMark++
				}
				if rec != nil {
					rec.Payments = append(rec.Payments, pay)
				}
			}
		}
		// (2) delivery or margin
		acted := false
		ratio := math.NaN()
		if pos.open {
			if dated && p.times[i] >= pos.deliv {
				s := p.spot[i]
				pnl := pos.q * (pos.fp - s)
				realized += pnl
				pos.wallet += pnl
				fill(i, LegPerp, ReasonDelivery, pos.q, s, s, 0)
				if kp.Roll && !last && p.deliv[i] > p.times[i] {
					ff := p.fut[i] * s0
					fee := pos.q * ff * kp.PerpFee
					pos.wallet -= fee
					pos.fp, pos.deliv = ff, p.deliv[i]
					fill(i, LegPerp, ReasonRoll, pos.q, ff, p.fut[i], fee)
				} else {
					sellSpot(i, pos.q, ReasonDelivery)
					cash += pos.wallet
					pos = kpos{}
				}
				acted = true
			} else {
				fh := held(i)
				margin := pos.wallet + pos.q*(pos.fp-fh)
				ratio = margin / (pos.q * fh)
				if math.IsNaN(tot.WorstMarginRatio) || ratio < tot.WorstMarginRatio {
					tot.WorstMarginRatio, tot.WorstMarginAt = ratio, i
				}
				if margin < kp.Maintenance*pos.q*fh {
					pnl := pos.q * (pos.fp - fh)
					realized += pnl
					forfeit += pos.wallet + pnl
					fill(i, LegPerp, ReasonLiquidation, pos.q, fh, fh, 0)
					sellSpot(i, pos.q, ReasonLiquidation)
					pos = kpos{}
					liquidated, tot.Liquidated, tot.LiquidatedAt = true, true, i
					acted = true
				}
			}
		}
		// (3) rules
		if !acted && !liquidated {
			if pos.open {
				fh := held(i)
				exit := false
				if !math.IsNaN(kp.FundingExit) {
					if sig, ok := fundingSignal(i); ok && sig <= kp.FundingExit {
						exit = true
					}
				}
				if !exit && !math.IsNaN(kp.BasisExit) {
					if sig, ok := basisSignal(i, fh, pos.deliv); ok && sig <= kp.BasisExit {
						exit = true
					}
				}
				if !exit && kp.MaxHoldMs > 0 && p.times[i]-pos.opened >= kp.MaxHoldMs {
					exit = true
				}
				if exit {
					closePos(i, fh, ReasonExit)
				} else if kp.RebalanceBelow > 0 && ratio < kp.RebalanceBelow {
					sx, fx := p.spot[i]*s0, fh*s1
					num := pos.q*fh*invL - (pos.wallet + pos.q*(pos.fp-fh))
					den := sx*(1-kp.SpotFee) - (fx - fh) - fx*kp.PerpFee + fh*invL
					dq := num / den
					switch {
					case den <= 0 || dq >= pos.q:
						closePos(i, fh, ReasonRebalance)
					case dq > 0:
						spotFee := dq * sx * kp.SpotFee
						realized += dq * (sx - pos.sp)
						fill(i, LegSpot, ReasonRebalance, dq, sx, p.spot[i], spotFee)
						perpFee := dq * fx * kp.PerpFee
						pnl := dq * (pos.fp - fx)
						realized += pnl
						fill(i, LegPerp, ReasonRebalance, dq, fx, fh, perpFee)
						pos.wallet += dq*sx - spotFee + pnl - perpFee
						pos.q -= dq
					}
				}
			} else if !last {
				enter := true
				if !math.IsNaN(kp.FundingEnter) {
					sig, ok := fundingSignal(i)
					enter = ok && sig >= kp.FundingEnter
				}
				if enter && !math.IsNaN(kp.BasisEnter) {
					var sig float64
					ok := true
					if dated {
						sig, ok = basisSignal(i, p.fut[i], p.deliv[i])
					} else {
						sig = p.perpBasis[i]
					}
					enter = ok && sig >= kp.BasisEnter
				}
				if enter {
					s, f := p.spot[i], p.fut[i]
					sf, ff := s*s1, f*s0
					q := cash / (sf*(1+kp.SpotFee) + ff*(invL+kp.PerpFee))
					spotFee, margin, perpFee := q*sf*kp.SpotFee, q*ff*invL, q*ff*kp.PerpFee
					pos = kpos{open: true, q: q, sp: sf, fp: ff, wallet: margin, opened: p.times[i]}
					if dated {
						pos.deliv = p.deliv[i]
					}
					cash -= q*sf + spotFee + margin + perpFee
					tot.Trades++
					fill(i, LegSpot, ReasonEntry, q, sf, s, spotFee)
					fill(i, LegPerp, ReasonEntry, q, ff, f, perpFee)
				}
			}
		}
		if last && pos.open {
			closePos(i, held(i), ReasonEnd)
		}
		// (4) record
		if i > 0 && inMarket {
			tot.InMarket++
		}
		inMarket = pos.open
		eq, basis := cash, realized
		mr := math.NaN()
		if pos.open {
			fh := held(i)
			margin := pos.wallet + pos.q*(pos.fp-fh)
			eq += pos.q*p.spot[i] + margin
			basis += pos.q*(p.spot[i]-pos.sp) + pos.q*(pos.fp-fh)
			mr = margin / (pos.q * fh)
		}
		if equity != nil {
			equity[i] = eq
		}
		if rec != nil {
			rec.Equity = append(rec.Equity, eq)
			rec.CumFunding = append(rec.CumFunding, funding)
			rec.CumFees = append(rec.CumFees, fees)
			rec.BasisPnL = append(rec.BasisPnL, basis)
			rec.Quantity = append(rec.Quantity, pos.q)
			rec.MarginRatio = append(rec.MarginRatio, mr)
		}
		if last {
			tot.FinalEquity, tot.BasisPnL = eq, basis
		}
	}
	tot.Funding, tot.Fees, tot.SlippageCost, tot.Forfeit = funding, fees, slip, forfeit
	return tot
}
