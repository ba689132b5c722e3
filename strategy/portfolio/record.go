package portfolio

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// record appends the book row of point k, after its actions, and checks
// the P&L identity of every pair and of the book (spec point 9):
//
//	pair j:  E_j − (cash moved into j) = funding_j + basis_j − fees_j − forfeit_j
//	book:    E − C = Σ funding + Σ basis − Σ fees − Σ forfeit
//
// The book's check also holds its cash to account: cash only moves
// between the book and its pairs.
func (e *engine) record(k int) error {
	g := &e.plan.grid
	t := g.times[k]
	row := BookRow{Time: t, Cash: e.cash, Traded: e.traded, Weights: make([]float64, len(e.pairs)),
		CumFunding: e.sumFunding, CumFees: e.sumFees, Forfeit: e.sumForfeit}
	// Flat pairs are worth nothing and their basis P&L is what they
	// realized (in the running total); only held pairs are marked.
	equity, basis := e.cash, e.sumRealized
	for j, pr := range e.pairs {
		if k > 0 && pr.heldLast {
			pr.tot.HeldPoints++
		}
		pr.heldLast = pr.held()
		if !pr.held() && !pr.touched {
			continue // nothing moved: its identity holds as it did
		}
		pr.touched = false
		i := g.index(j, k)
		pe, pb := pr.equity(i), pr.basis(i)
		e.pairEquity[j] = pe
		equity = equity.Add(pe)
		basis = basis.Add(pb.Sub(pr.realized))
		if err := checkIdentity(t, pr.symbol, pe.Sub(pr.netIn), pr.tot.Funding, pb, pr.tot.Fees, pr.tot.Forfeit); err != nil {
			return err
		}
	}
	row.Equity, row.BasisPnL = equity, basis
	if err := checkIdentity(t, "the book", equity.Sub(e.p.Pair.Capital), row.CumFunding, row.BasisPnL, row.CumFees, row.Forfeit); err != nil {
		return err
	}
	for j, pr := range e.pairs {
		if pr.held() {
			row.Holdings++
			if equity.IsPositive() {
				row.Weights[j] = e.pairEquity[j].DivRound(equity, divScale).InexactFloat64()
			}
		}
	}
	e.res.Rows = append(e.res.Rows, row)
	return nil
}

// checkIdentity asserts pnl = funding + basis − fees − forfeit exactly.
func checkIdentity(t time.Time, whose string, pnl, funding, basis, fees, forfeit decimal.Decimal) error {
	rhs := funding.Add(basis).Sub(fees).Sub(forfeit)
	if !pnl.Equal(rhs) {
		return fmt.Errorf("internal error: P&L identity broken at %s for %s: equity − capital = %s, funding + basis − fees − forfeit = %s",
			t.Format(time.RFC3339), whose, pnl, rhs)
	}
	return nil
}
