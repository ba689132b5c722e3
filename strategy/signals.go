package strategy

// Signals are the rules' decisions on one Prepared series, computed once per
// (lookback, threshold, rule) and then shared read-only by any number of
// concurrent kernel runs (KernelSignals). A sweep runs thousands of
// combinations on a series with a handful of lookbacks and thresholds:
// each decision is taken once per series instead of once per combination
// and grid point, and a run then only jumps from one decision to the next.
//
// For each condition c (funding σ ≥ a, funding σ ≤ b, basis σ ≥ a, basis
// σ ≤ b) Signals holds
//
//	next_c[i] = min{ j ≥ i : c holds at grid point j },  n if none (next_c[n] = n)
//
// as int32, 4·(n+1) bytes a condition (35 KB for a year of hourly points).
// The funding conditions change only where an event becomes known, so they
// are tested there alone (once per event, in integers, as the kernel does);
// the basis conditions at every grid point (the float filter, then the
// integers near a tie). The decisions are the kernel's own (the same exact
// tests), so a run with Signals is bit for bit the run without.
//
// Only perpetual series are covered: on a dated series (whose held contract
// may not be the series' own) Add does nothing and the kernel decides as
// it goes.
type Signals struct {
	p       *Prepared
	funding map[fundingKey][]int32
	basis   map[basisKey][]int32
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
	return &Signals{p: p, funding: map[fundingKey][]int32{}, basis: map[basisKey][]int32{}}
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
	// holds[k]: the condition with k events known.
	ne := len(p.fund.sum) - 1
	holds := make([]bool, ne+1)
	for k := key.lookback; k <= ne; k++ {
		c := test.cmp(p.fund.sum[k] - p.fund.sum[k-key.lookback])
		holds[k] = key.exit && c <= 0 || !key.exit && c >= 0
	}
	next := make([]int32, p.n+1)
	next[p.n] = int32(p.n)
	for i := p.n - 1; i >= 0; i-- {
		next[i] = next[i+1]
		if holds[p.evHi[i]] {
			next[i] = int32(i)
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

// ruleSignals are a run's conditions from s; nil for a rule off. ok is false
// when a rule is on and s (possibly nil) does not hold its signal.
type ruleSignals struct{ fundEnter, fundExit, basisEnter, basisExit []int32 }

func (s *Signals) lookup(kp *KernelParams) (r ruleSignals, ok bool) {
	if !kp.FundingEnter.on && !kp.FundingExit.on && !kp.BasisEnter.on && !kp.BasisExit.on {
		return r, true
	}
	if s == nil {
		return r, false
	}
	ok = true
	get := func(on bool, m map[fundingKey][]int32, key fundingKey) []int32 {
		if !on {
			return nil
		}
		v, found := m[key]
		ok = ok && found
		return v
	}
	getB := func(on bool, key basisKey) []int32 {
		if !on {
			return nil
		}
		v, found := s.basis[key]
		ok = ok && found
		return v
	}
	r.fundEnter = get(kp.FundingEnter.on, s.funding, fundingKey{kp.FundingLookback, kp.FundingEnter, false})
	r.fundExit = get(kp.FundingExit.on, s.funding, fundingKey{kp.FundingLookback, kp.FundingExit, true})
	r.basisEnter = getB(kp.BasisEnter.on, basisKey{kp.BasisEnter, false})
	r.basisExit = getB(kp.BasisExit.on, basisKey{kp.BasisExit, true})
	return r, ok
}
