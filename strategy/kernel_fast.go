package strategy

import "math"

// kernelFast is kernelGeneric for a perpetual market without recorder, the
// rules' conditions given by rc (next arrays from Signals, or exact tests
// scanned forward). It computes the same numbers in the same order, bit
// for bit (TestKernelFastIsKernelGeneric), but decides the rules before
// stepping instead of at every grid point:
//
//   - flat at i, the entry is at  j = min{ j ≥ i : every enabled entry
//     condition holds at j }  (the conditions' next points leapfrogged),
//     and the points before it are flat: equity = cash;
//   - entered at j, the exit is at
//     x = min(next_fundExit[j+1], next_basisExit[j+1], first t ≥ t_j + H),
//     known at entry (the exit conditions depend on the grid point alone,
//     and the holding time on the entry time);
//   - held from j+1 to x (or the last point), a step is funding, the
//     margin and the equity, with one comparison deciding whether anything
//     else can happen: margin < max(worst ratio, rebalance ratio)·notional
//     (margin and notional as in kernelGeneric; multiplication by the
//     positive notional is monotone in float64, so this holds exactly when
//     either of kernelGeneric's two comparisons does).
func kernelFast(p *Prepared, kp KernelParams, equity []float64, rc *ruleConds) KernelTotals {
	k := kstate{p: p, kp: kp, cash: kp.Capital, invL: 1 / kp.Leverage, s1: 1 + kp.Slippage, s0: 1 - kp.Slippage}
	k.tot = KernelTotals{WorstMarginRatio: math.NaN(), WorstMarginAt: -1, LiquidatedAt: -1}
	n := p.n
	last := n - 1
	times, spot, fut, evHi := p.times[:n], p.spot[:n], p.fut[:n], p.evHi[:n]
	equity = equity[:n]
	markRate := p.markRate
	fe, fx, be, bx := &rc.fundEnter, &rc.fundExit, &rc.basisEnter, &rc.basisExit
	holdMs, rb, maint := kp.MaxHoldMs, kp.RebalanceBelow, kp.Maintenance
	var received, positives, missings int32
	q, fp, wallet, cash, funding, open := 0.0, 0.0, 0.0, kp.Capital, 0.0, false
	worst, worstAt, openAfter := math.Inf(1), -1, 0
	// thr: below it a step needs more than the common work.
	thr := worst
	var e, e0 int32 // the next event to settle; the first of the position
	ex, stop := 0, 0
	for i := 0; i < n; {
		if !open {
			j := last
			if !k.liquidated && i < last {
				j = nextEntry(p, fe, be, i, last)
			}
			for ; i < j; i++ {
				equity[i] = cash
			}
			if j == last {
				equity[last] = cash
				k.tot.FinalEquity = cash
				break
			}
			k.set(q, fp, wallet, cash, funding, open)
			k.enter(j)
			q, fp, wallet, cash, funding, open = k.get()
			openAfter++
			equity[j] = cash + (q*spot[j] + wallet + q*(fp-fut[j]))
			ex = n
			if holdMs > 0 {
				ex = holdIndex(times, j, holdMs)
			}
			if fx.on {
				ex = fx.from(p, j+1, ex)
			}
			if bx.on {
				ex = bx.from(p, j+1, ex)
			}
			stop = min(ex, last)
			e = evHi[j]
			e0 = e
			thr = worst
			if rb > 0 {
				thr = max(worst, rb)
			}
			i = j + 1
			continue
		}
		// The common steps, held, before the stop point; each counts in
		// time in market (openAfter) unless it closes the position.
		i0 := i
		for ; i < stop; i++ {
			for h := evHi[i]; e < h; e++ {
				pay := q * markRate[e]
				wallet += pay
				funding += pay
			}
			fh := fut[i]
			margin := wallet + q*(fp-fh)
			notional := q * fh
			if margin < thr*notional {
				if margin < worst*notional {
					worst, worstAt = margin/notional, i
					if margin < maint*notional {
						k.set(q, fp, wallet, cash, funding, open)
						k.liquidate(i, fh)
						q, fp, wallet, cash, funding, open = k.get()
						equity[i] = cash
						break
					}
				}
				thr = worst
				if rb > 0 {
					thr = max(worst, rb)
				}
				if rb > 0 && margin < rb*notional {
					k.set(q, fp, wallet, cash, funding, open)
					k.rebalance(i, fh)
					q, fp, wallet, cash, funding, open = k.get()
					if !open {
						equity[i] = cash
						break
					}
					equity[i] = cash + (q*spot[i] + wallet + q*(fp-fh))
					continue
				}
			}
			equity[i] = cash + q*spot[i] + margin
		}
		openAfter += i - i0
		if !open { // closed in the loop, at i
			received, positives, missings = received+e-e0, positives+p.posSum[e]-p.posSum[e0], missings+p.missSum[e]-p.missSum[e0]
			i++
			continue
		}
		// The stop point: the exit, or the last point.
		for h := evHi[i]; e < h; e++ {
			pay := q * markRate[e]
			wallet += pay
			funding += pay
		}
		received, positives, missings = received+e-e0, positives+p.posSum[e]-p.posSum[e0], missings+p.missSum[e]-p.missSum[e0]
		fh := fut[i]
		margin := wallet + q*(fp-fh)
		notional := q * fh
		liquidate := false
		if margin < worst*notional {
			worst, worstAt = margin/notional, i
			liquidate = margin < maint*notional
		}
		k.set(q, fp, wallet, cash, funding, open)
		switch {
		case liquidate:
			k.liquidate(i, fh)
		case i == ex:
			k.close(i, fh, ReasonExit)
		default: // the last point
			k.close(i, fh, ReasonEnd)
		}
		q, fp, wallet, cash, funding, open = k.get()
		equity[i] = cash
		if i == last {
			k.tot.FinalEquity = cash
		}
		i++
	}
	k.set(q, fp, wallet, cash, funding, open)
	return k.totals(worst, worstAt, openAfter, received, positives, missings, n)
}

// nextEntry is the first grid point j in [i, limit) where both entry
// conditions hold (one off always holds), limit if none: their next points
// leapfrogged until they agree.
func nextEntry(p *Prepared, fe, be *cond, i, limit int) int {
	for {
		j := i
		if fe.on {
			j = fe.from(p, j, limit)
		}
		if be.on && j < limit {
			j = be.from(p, j, limit)
		}
		if j == i || j >= limit {
			return j
		}
		i = j
	}
}

// holdIndex is the first grid point x > j with times[x] − times[j] ≥ h,
// len(times) if none (times increase).
func holdIndex(times []int64, j int, h int64) int {
	t := times[j] + h
	lo, hi := j+1, len(times)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if times[m] >= t {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
