package strategy

// Signals are the rules' decisions on one Prepared series, computed once per
// (lookback, threshold, rule) and then shared read-only by any number of
// concurrent kernel runs (KernelSignals). A sweep runs thousands of
// combinations on a series with a handful of lookbacks and thresholds:
// each decision is taken once per series instead of once per combination
// and grid point, and a run then only jumps from one decision to the next.
//
// For a basis condition c (σ ≥ a, σ ≤ b) Signals holds
//
//	next_c[i] = min{ j ≥ i : c holds at grid point j },  n if none (next_c[n] = n)
//
// as int32, 4·(n+1) bytes (35 KB for a year of hourly points), each point
// decided by the float filter, then the integers near a tie. A funding
// condition depends on the grid point only through the number of events
// known there, so it is tested once per count the grid meets (in
// integers, as the kernel does) and held over counts:
//
//	nextK_c[k] = min{ k' ≥ k : some grid point knows k' events, c holds with k' },  K+1 if none
//
// 4·(K+2) bytes (4.4 KB for a year of 8h events), the grid point being
// firstAt[k'], the first that knows k' events (one array a series). The
// decisions are the kernel's own (the same exact tests), so a run with
// Signals is bit for bit the run without.
//
// Only perpetual series are covered: on a dated series (whose held contract
// may not be the series' own) Add does nothing and the kernel decides as
// it goes.
type Signals struct {
	p       *Prepared
	funding map[fundingKey][]int32 // nextK
	basis   map[basisKey][]int32   // next
	// firstAt[k]: the first grid point knowing k events (−1 if none does),
	// firstAt[K+1] = n.
	firstAt []int32
}

type fundingKey struct {
	lookback int
	th       Threshold
	exit     bool
}

type basisKey struct {
	th   Threshold
	exit bool
}

// NewSignals returns an empty set of signals for p.
func NewSignals(p *Prepared) *Signals {
	s := &Signals{p: p, funding: map[fundingKey][]int32{}, basis: map[basisKey][]int32{}}
	ne := len(p.fund.sum) - 1
	s.firstAt = make([]int32, ne+2)
	for k := range s.firstAt {
		s.firstAt[k] = -1
	}
	s.firstAt[ne+1] = int32(p.n)
	for i := p.n - 1; i >= 0; i-- {
		s.firstAt[p.evHi[i]] = int32(i)
	}
	return s
}

// AddRules is Add for the rules r (with the thresholds' exact form, as
// KernelParamsOf takes it); it refuses a threshold Params.Validate would.
func (s *Signals) AddRules(r Rules) error {
	kp := KernelParams{FundingLookback: r.FundingLookback}
	if err := setThresholds(&kp, r); err != nil {
		return err
	}
	s.Add(kp)
	return nil
}

// Add computes the signals kp's rules need and do not yet have. It is not
// safe for concurrent use: call it for every combination (or every distinct
// lookback and threshold) before the kernel runs share s; adding a
// combination whose signals are all present costs a few map lookups.
func (s *Signals) Add(kp KernelParams) {
	p := s.p
	if p.deliv != nil {
		return
	}
	if kp.FundingEnter.on {
		s.addFunding(fundingKey{kp.FundingLookback, kp.FundingEnter, false})
	}
	if kp.FundingExit.on {
		s.addFunding(fundingKey{kp.FundingLookback, kp.FundingExit, true})
	}
	if kp.BasisEnter.on {
		s.addBasis(basisKey{kp.BasisEnter, false})
	}
	if kp.BasisExit.on {
		s.addBasis(basisKey{kp.BasisExit, true})
	}
}

// Len is the number of conditions held.
func (s *Signals) Len() int { return len(s.funding) + len(s.basis) }

func (s *Signals) addFunding(key fundingKey) {
	if _, ok := s.funding[key]; ok {
		return
	}
	p := s.p
	test := newFundingTest(&p.fund, key.lookback, key.th)
	ne := len(p.fund.sum) - 1
	next := make([]int32, ne+2)
	next[ne+1] = int32(ne + 1)
	for k := ne; k >= 0; k-- {
		next[k] = next[k+1]
		if k >= key.lookback && s.firstAt[k] >= 0 {
			c := test.cmp(p.fund.sum[k] - p.fund.sum[k-key.lookback])
			if key.exit && c <= 0 || !key.exit && c >= 0 {
				next[k] = int32(k)
			}
		}
	}
	s.funding[key] = next
}

func (s *Signals) addBasis(key basisKey) {
	if _, ok := s.basis[key]; ok {
		return
	}
	p := s.p
	test := newBasisTest(key.th)
	next := make([]int32, p.n+1)
	next[p.n] = int32(p.n)
	for i := p.n - 1; i >= 0; i-- {
		next[i] = next[i+1]
		c, _ := basisSign(p, &test, 365, i, p.fut[i], p.futU[i], 0)
		if key.exit && c <= 0 || !key.exit && c >= 0 {
			next[i] = int32(i)
		}
	}
	s.basis[key] = next
}

// cond is one enabled rule condition of a run: its next array from
// Signals, or, without one, its exact test, scanned forward from where the
// run is (the funding test only where an event becomes known).
type cond struct {
	on, exit, funding bool
	next              []int32 // basis: next; funding: nextK, with firstAt
	firstAt           []int32
	lookback          int
	ft                fundingTest
	bt                basisTest
}

// from is the first grid point j in [i, limit) where c holds, limit if none.
func (c *cond) from(p *Prepared, i, limit int) int {
	if c.next != nil {
		if !c.funding {
			return min(int(c.next[i]), limit)
		}
		k0 := p.evHi[i]
		k := c.next[k0]
		if k == k0 {
			return min(i, limit)
		}
		return min(int(c.firstAt[k]), limit)
	}
	if c.funding {
		known, holds := int32(-1), false
		for j := i; j < limit; j++ {
			if k := p.evHi[j]; k != known {
				known, holds = k, false
				if n := int(k); n >= c.lookback {
					r := c.ft.cmp(p.fund.sum[n] - p.fund.sum[n-c.lookback])
					holds = c.exit && r <= 0 || !c.exit && r >= 0
				}
			}
			if holds {
				return j
			}
		}
		return limit
	}
	for j := i; j < limit; j++ {
		r, _ := basisSign(p, &c.bt, 365, j, p.fut[j], p.futU[j], 0)
		if c.exit && r <= 0 || !c.exit && r >= 0 {
			return j
		}
	}
	return limit
}

// ruleConds are a perpetual run's four conditions, with the next arrays s
// (possibly nil) holds.
type ruleConds struct{ fundEnter, fundExit, basisEnter, basisExit cond }

func (s *Signals) conds(p *Prepared, kp *KernelParams) (r ruleConds) {
	fund := func(th Threshold, exit bool) cond {
		c := cond{on: th.on, exit: exit, funding: true, lookback: kp.FundingLookback}
		if c.on {
			c.ft = newFundingTest(&p.fund, kp.FundingLookback, th)
			if s != nil {
				c.next, c.firstAt = s.funding[fundingKey{kp.FundingLookback, th, exit}], s.firstAt
			}
		}
		return c
	}
	basis := func(th Threshold, exit bool) cond {
		c := cond{on: th.on, exit: exit}
		if c.on {
			c.bt = newBasisTest(th)
			if s != nil {
				c.next = s.basis[basisKey{th, exit}]
			}
		}
		return c
	}
	r.fundEnter, r.fundExit = fund(kp.FundingEnter, false), fund(kp.FundingExit, true)
	r.basisEnter, r.basisExit = basis(kp.BasisEnter, false), basis(kp.BasisExit, true)
	return r
}

// setThresholds sets kp's four rule thresholds from r's, in their exact
// form (thresholdOf); it refuses one Params.Validate would.
func setThresholds(kp *KernelParams, r Rules) error {
	for _, th := range []struct {
		x   *float64
		dst *Threshold
	}{{r.FundingEnter, &kp.FundingEnter}, {r.FundingExit, &kp.FundingExit}, {r.BasisEnter, &kp.BasisEnter}, {r.BasisExit, &kp.BasisExit}} {
		t, err := thresholdOf(th.x)
		if err != nil {
			return err
		}
		*th.dst = t
	}
	return nil
}
