package sweep

import "github.com/carry-research/carry/strategy"

// addSignals gives each loaded series (once, however many markets share
// it) the rules' decisions for every rule value the grid lists, before the
// workers start: from then on the signals are only read, shared by all the
// workers. A rule's signals depend on its own threshold alone (and, for
// funding, on the lookback), so they are added rule by rule over the
// distinct values of the grid's axes — lookbacks × funding entries and
// exits, then basis entries and exits — not over the combinations: a few
// dozen passes over each series. A value the engine refuses is left out
// (no combination runs with it); a tuple missing from the signals would
// only be decided as the run goes, with the same numbers.
func (s *space) addSignals(loaded []*series) {
	lookbacks, funding, basis := s.ruleValues()
	seen := map[*series]bool{}
	for _, sr := range loaded {
		if sr == nil || seen[sr] {
			continue
		}
		seen[sr] = true
		sig := strategy.NewSignals(sr.prepared)
		for _, lb := range lookbacks {
			for _, e := range funding {
				st := s.base
				for _, v := range []*value{lb, e[0], e[1]} {
					v.param.Apply(&st)
				}
				r := st.Params.Rules
				_ = sig.AddRules(strategy.Rules{FundingLookback: r.FundingLookback, FundingEnter: r.FundingEnter, FundingExit: r.FundingExit})
			}
		}
		for _, e := range basis {
			st := s.base
			for _, v := range e {
				v.param.Apply(&st)
			}
			r := st.Params.Rules
			_ = sig.AddRules(strategy.Rules{BasisEnter: r.BasisEnter, BasisExit: r.BasisExit})
		}
		sr.signals = sig
	}
}

// ruleValues are the grid's readable values of the funding lookback and
// the (entry, exit) pairs of the funding and basis rules.
func (s *space) ruleValues() (lookbacks []*value, funding, basis [][2]*value) {
	table := strategy.ParamTable()
	field := func(name string) int {
		for i, p := range table {
			if p.Name == name {
				return marketFields + i
			}
		}
		return -1
	}
	fLookback, fFunding, fBasis := field("funding_lookback"), field("funding_enter"), field("basis_enter")
	ok := func(vs []*value) bool {
		for _, v := range vs {
			if v.err != nil {
				return false
			}
		}
		return true
	}
	for _, sl := range s.slots {
		for _, e := range sl.entries {
			if !ok(e) {
				continue
			}
			switch sl.first {
			case fLookback:
				lookbacks = append(lookbacks, e[0])
			case fFunding:
				funding = append(funding, [2]*value{e[0], e[1]})
			case fBasis:
				basis = append(basis, [2]*value{e[0], e[1]})
			}
		}
	}
	if len(lookbacks) == 0 {
		lookbacks = []*value{off} // the lookback base sets
	}
	return lookbacks, funding, basis
}
