package strategy

import (
	"math/big"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// engineRules are Run's rules in exact arithmetic: the funding signal as a
// rational number, the basis compared by cross-multiplication in decimal.
// Kernel computes the same tests in integers (kernel_rules.go); both follow
// docs/model.md, "Signals are exact".
type engineRules struct {
	r                                          Rules
	fundEnter, fundExit, basisEnter, basisExit Threshold
	// annualized[k] = r_k·(24/h_k)·365 of funding event k, exactly.
	annualized []*big.Rat
	// N·a and N·b: the mean of N annualized rates is compared with a
	// threshold as their sum with N times it.
	enterN, exitN *big.Rat
	// The sum of the last N known annualized rates, for known events.
	known int
	sum   *big.Rat
}

func newEngineRules(m *Market, r Rules) engineRules {
	// Params.Validate has accepted the thresholds.
	er := engineRules{r: r, known: -1, sum: new(big.Rat)}
	er.fundEnter, _ = thresholdOf(r.FundingEnter)
	er.fundExit, _ = thresholdOf(r.FundingExit)
	er.basisEnter, _ = thresholdOf(r.BasisEnter)
	er.basisExit, _ = thresholdOf(r.BasisExit)
	if !er.fundEnter.on && !er.fundExit.on {
		return er
	}
	n := big.NewRat(int64(r.FundingLookback), 1)
	er.enterN = new(big.Rat).Mul(er.fundEnter.Decimal().Rat(), n)
	er.exitN = new(big.Rat).Mul(er.fundExit.Decimal().Rat(), n)
	er.annualized = make([]*big.Rat, len(m.Funding))
	for k, ev := range m.Funding {
		er.annualized[k] = data.AnnualizedFundingExact(data.Decimal(ev.Rate), ev.IntervalHours)
	}
	return er
}

// fundingSum is the sum of the annualized rates of the last N events known
// at the current grid point, and false with fewer than N known: the signal
// σ is it divided by N.
func (e *engine) fundingSum() (*big.Rat, bool) {
	er := &e.rules
	n := er.r.FundingLookback
	if e.nextEvent < n {
		return nil, false
	}
	if er.known != e.nextEvent {
		er.known = e.nextEvent
		er.sum.SetInt64(0)
		for _, a := range er.annualized[e.nextEvent-n : e.nextEvent] {
			er.sum.Add(er.sum, a)
		}
	}
	return er.sum, true
}

// basisCmp is the sign of σ − T, σ the annualized basis of price f at grid
// point i for a contract delivering at d (zero: perpetual), and false for a
// dated contract at or after delivery. Multiplied through by S (and by the
// time to delivery ms > 0), exactly in decimal:
//
//	perpetual  σ = (F/S − 1)·365:                sign((F − S)·365 − T·S)
//	dated      σ = (F/S − 1)·365·86,400,000/ms:  sign((F − S)·365·86,400,000 − T·S·ms)
func (e *engine) basisCmp(i int, f decimal.Decimal, d time.Time, th Threshold) (int, bool) {
	s, t := e.spot[i], th.Decimal()
	lhs, rhs := f.Sub(s).Mul(d365), t.Mul(s)
	if !d.IsZero() {
		ms := d.UnixMilli() - e.m.Times[i].UnixMilli()
		if ms <= 0 {
			return 0, false
		}
		lhs, rhs = lhs.Mul(msPerDay), rhs.Mul(decimal.NewFromInt(ms))
	}
	return lhs.Cmp(rhs), true
}

// entrySignal: every enabled entry condition holds, σ ≥ the entry threshold.
func (e *engine) entrySignal(i int) bool {
	er := &e.rules
	if er.fundEnter.on {
		sum, ok := e.fundingSum()
		if !ok || sum.Cmp(er.enterN) < 0 {
			return false
		}
	}
	if er.basisEnter.on {
		var d time.Time
		if e.m.Dated() {
			d = e.m.Delivery[i]
		}
		if c, ok := e.basisCmp(i, e.fut[i], d, er.basisEnter); !ok || c < 0 {
			return false
		}
	}
	return true
}

// exitSignal: any enabled exit condition holds, σ ≤ the exit threshold or
// the position held for MaxHold.
func (e *engine) exitSignal(i int, fh decimal.Decimal) bool {
	er := &e.rules
	if er.fundExit.on {
		if sum, ok := e.fundingSum(); ok && sum.Cmp(er.exitN) <= 0 {
			return true
		}
	}
	if er.basisExit.on {
		if c, ok := e.basisCmp(i, fh, e.pos.delivery, er.basisExit); ok && c <= 0 {
			return true
		}
	}
	return er.r.MaxHold > 0 && e.m.Times[i].Sub(e.pos.opened) >= er.r.MaxHold
}
