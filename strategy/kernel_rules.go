package strategy

import (
	"errors"
	"fmt"
	"math"

	"github.com/carry-research/carry/data"
)

// hoursPerYear is 24·365: a rate paid every h hours annualizes as
// r·(24/h)·365 = r·8760/h.
const hoursPerYear = data.HoursPerYear

// msPerYear365 is 365·86,400,000: the dated basis (F/S − 1)·365/days with
// days = ms/86,400,000 is (F/S − 1)·msPerYear365/ms.
const msPerYear365 = data.MillisPerYear

// maxFundingDen bounds D (see fundingUnits).
const maxFundingDen = 1 << 20

// fundingUnits is the funding signal in integers. With u_k the rate of
// event k in units of 10^−scale and h_k its interval in hours,
//
//	v_k = u_k · 8760·D/h_k,  D the least integer making every 8760·D/h_k whole
//
// (D = 1 for Binance's intervals 1, 2, 3, 4 and 8 h), so the mean
// annualized rate of the N events [n−N, n) is exactly
//
//	σ = (1/N)·Σ r_k·(24/h_k)·365 = (sum[n] − sum[n−N]) / (N·D·10^scale)
//
// with sum the prefix sums of v. newFundingUnits refuses Σ|v_k| > 2^62, so
// no sum or difference of sums overflows: Binance's rates have 8 decimals
// (scale 8) and stay within its caps of a few %, |v_k| ≤ 3·10^6·8760 at
// 1 h, so that takes over 10^8 events (5·10^6 even at 100 % an hour).
type fundingUnits struct {
	sum   []int64 // sum[k] = Σ v_j, j < k
	scale int
	den   int64 // D
}

func newFundingUnits(evs []FundingEvent) (fundingUnits, error) {
	rates := make([]float64, len(evs))
	d := int64(1)
	for k, ev := range evs {
		rates[k] = ev.Rate
		h := int64(ev.IntervalHours)
		need := h / gcd(h, hoursPerYear)
		d = d / gcd(d, need) * need
		if d > maxFundingDen {
			return fundingUnits{}, fmt.Errorf("funding interval %d h: the intervals' common denominator exceeds %d", h, maxFundingDen)
		}
	}
	units, scale, err := commonUnits(rates)
	if err != nil {
		return fundingUnits{}, fmt.Errorf("rates %w", err)
	}
	f := fundingUnits{sum: make([]int64, len(evs)+1), scale: scale, den: d}
	var abs uint64
	for k, u := range units[0] {
		w := hoursPerYear * d / int64(evs[k].IntervalHours)
		if u != 0 && absU(u) > maxUnits/uint64(w) {
			return fundingUnits{}, errTooLarge
		}
		v := u * w
		if abs += absU(v); abs > maxUnits {
			return fundingUnits{}, errTooLarge
		}
		f.sum[k+1] = f.sum[k] + v
	}
	return f, nil
}

var errTooLarge = errors.New("the annualized rates sum beyond 2^62 units: too large to compare exactly")

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// fundingTest decides σ ≥ T and σ ≤ T for a threshold T = t·10^−d and
// lookback N by the sign of
//
//	W·10^d − N·D·t·10^scale,  W = sum[n] − sum[n−N]
//
// (both sides multiplied by N·D·10^scale·10^d, the common power of ten
// cancelled so that each stays ≤ 10^18), computed exactly by cmp3.
type fundingTest struct{ wPow, nd, t, tPow int64 }

// N·D fits: a test is used only with N ≤ the number of events (< 2^31),
// and D ≤ 2^20.
func newFundingTest(f *fundingUnits, lookback int, th Threshold) fundingTest {
	c := min(th.d, f.scale)
	return fundingTest{wPow: pow10[th.d-c], nd: int64(lookback) * f.den, t: th.t, tPow: pow10[f.scale-c]}
}

func (c fundingTest) cmp(w int64) int { return cmp3(w, c.wPow, 1, c.nd, c.t, c.tPow) }

// basisTest decides a basis signal against T = t·10^−d by the sign of
//
//	perpetual  (F/S − 1)·365 − T            ~  (f − s)·365·10^d − t·s
//	dated      (F/S − 1)·365·86.4e6/ms − T  ~  (f − s)·31.536e9·10^d − t·s·ms
//
// with f, s the prices in common integer units and ms > 0 the time to
// delivery (multiplied through by s·10^d, and ms, both positive).
type basisTest struct {
	t, pow int64
	tf     float64 // T in float64, for the filter of kstate.basis
}

func newBasisTest(th Threshold) basisTest {
	return basisTest{t: th.t, pow: pow10[th.d], tf: th.Decimal().InexactFloat64()}
}

// cmp is the sign of the signal minus T; year is 365 with ms = 1 for a
// perpetual, msPerYear365 with the time to delivery for a dated contract.
func (c *basisTest) cmp(f, s, year, ms int64) int { return cmp3(f-s, year, c.pow, c.t, s, ms) }

// basisFilter is the relative margin of kstate.basis's float64 filter:
// about 90 units of roundoff (u = 2^−53), where its error is below 5.
const basisFilter = 1e-14

// kernelRules are a kernel run's rules, ready for exact tests.
type kernelRules struct {
	fundEnter, fundExit   bool
	basisEnter, basisExit bool
	lookback              int
	fEnter, fExit         fundingTest
	bEnter, bExit         basisTest
	basisYear             int64 // 365, or msPerYear365 for a dated market
	maxHoldMs             int64
	// The funding tests change only when an event becomes known: their
	// outcomes are cached for the known-event count known.
	known                     int32
	fundDefined, above, below bool // σ defined; σ ≥ enter; σ ≤ exit
}

func newKernelRules(p *Prepared, kp *KernelParams) kernelRules {
	r := kernelRules{
		fundEnter: kp.FundingEnter.on, fundExit: kp.FundingExit.on, basisEnter: kp.BasisEnter.on, basisExit: kp.BasisExit.on,
		lookback: kp.FundingLookback, bEnter: newBasisTest(kp.BasisEnter), bExit: newBasisTest(kp.BasisExit),
		basisYear: 365, maxHoldMs: kp.MaxHoldMs, known: -1,
	}
	if p.deliv != nil {
		r.basisYear = msPerYear365
	}
	if r.fundEnter || r.fundExit {
		r.fEnter = newFundingTest(&p.fund, kp.FundingLookback, kp.FundingEnter)
		r.fExit = newFundingTest(&p.fund, kp.FundingLookback, kp.FundingExit)
	}
	return r
}

// fundingTests brings the cached funding tests up to grid point i.
func (k *kstate) fundingTests(i int) {
	r := &k.rules
	known := k.p.evHi[i]
	if known == r.known {
		return
	}
	n, lb := int(known), r.lookback
	r.known, r.fundDefined = known, n >= lb
	if r.fundDefined {
		w := k.p.fund.sum[n] - k.p.fund.sum[n-lb]
		r.above = r.fundEnter && r.fEnter.cmp(w) >= 0
		r.below = r.fundExit && r.fExit.cmp(w) <= 0
	}
}

// basis is the sign of σ − T, σ the basis signal at i of a contract quoted
// f (fu in integer units) delivering at deliv, T the threshold of c; ok is
// false for a dated contract at or after delivery.
//
// The sign is exact. A float64 filter settles the clear cases: with
// r = f/s and y = year/ms, σ̃ = (r − 1)·y is within
// 4u·((r + |r − 1|)·y + |σ̃|) of σ (f and s are the nearest doubles to the
// decimals F and S; then at most four roundings), and T̃ within u·|T̃| of T, so
// |σ̃ − T̃| above basisFilter·((r + |r − 1|)·y + |σ̃| + |T̃|) has the sign of
// σ − T. Closer cases, ties among them, go to the integer test (cmp3).
func (k *kstate) basis(c *basisTest, i int, f float64, fu int64, deliv int64) (cmp int, ok bool) {
	return basisSign(k.p, c, k.rules.basisYear, i, f, fu, deliv)
}

// basisSign is kstate.basis on p, year being 365 (perpetual) or
// msPerYear365 (dated).
func basisSign(p *Prepared, c *basisTest, year int64, i int, f float64, fu int64, deliv int64) (cmp int, ok bool) {
	ms, y := int64(1), 365.0
	if p.deliv != nil {
		if ms = deliv - p.times[i]; ms <= 0 {
			return 0, false
		}
		y = msPerYear365 / float64(ms)
	}
	r := f / p.spot[i]
	sig := (r - 1) * y
	d := sig - c.tf
	tol := basisFilter * ((r+math.Abs(r-1))*y + math.Abs(sig) + math.Abs(c.tf))
	switch {
	case d > tol:
		return 1, true
	case d < -tol:
		return -1, true
	}
	return c.cmp(fu, p.spotU[i], year, ms), true
}

// heldUnits is the held contract's price at i in integer units, as held
// (0 where held is NaN: no quote, which Run reports as an error).
func (k *kstate) heldUnits(i int) int64 {
	p := k.p
	if !k.dated || p.deliv[i] == k.deliv {
		return p.futU[i]
	}
	if p.altU != nil && p.altDel[i] == k.deliv {
		return p.altU[i]
	}
	return 0
}

// exitSignal: any enabled exit condition holds (signal ≤ exit threshold,
// or held for MaxHold).
func (k *kstate) exitSignal(i int, fh float64) bool {
	r := &k.rules
	if r.fundExit {
		if k.fundingTests(i); r.fundDefined && r.below {
			return true
		}
	}
	if r.basisExit {
		if c, ok := k.basis(&r.bExit, i, fh, k.heldUnits(i), k.deliv); ok && c <= 0 {
			return true
		}
	}
	return r.maxHoldMs > 0 && k.p.times[i]-k.opened >= r.maxHoldMs
}

// entrySignal: every enabled entry condition holds (signal ≥ entry
// threshold).
func (k *kstate) entrySignal(i int) bool {
	r := &k.rules
	if r.fundEnter {
		if k.fundingTests(i); !r.fundDefined || !r.above {
			return false
		}
	}
	if r.basisEnter {
		var d int64
		if k.dated {
			d = k.p.deliv[i]
		}
		if c, ok := k.basis(&r.bEnter, i, k.p.fut[i], k.p.futU[i], d); !ok || c < 0 {
			return false
		}
	}
	return true
}
