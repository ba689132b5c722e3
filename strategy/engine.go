package strategy

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// divScale is the decimal places kept by the engine's few divisions (the
// position size and the rebalance size); every other operation is exact, so
// the P&L identity holds exactly whatever they round to.
const divScale = 20

var (
	one      = decimal.NewFromInt(1)
	d365     = decimal.NewFromInt(data.DaysPerYear)
	msPerDay = decimal.NewFromInt(24 * 3600 * 1000)
)

// Run simulates the market under p exactly, in decimal arithmetic, and
// returns the full record. See docs/model.md.
func Run(m *Market, p Params) (*Result, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if err := m.Validate(); err != nil {
		return nil, err
	}
	e := newEngine(m, p)
	for i := range m.Times {
		if err := e.step(i); err != nil {
			return nil, err
		}
	}
	e.res.Totals.FinalEquity = e.res.Equity[len(e.res.Equity)-1].Equity
	return e.res, nil
}

type position struct {
	id        int
	q         decimal.Decimal
	spotPrice decimal.Decimal // S_f, the spot leg's average fill price
	perpPrice decimal.Decimal // F_f, the short's fill price
	wallet    decimal.Decimal // the short's wallet, without unrealized P&L
	delivery  time.Time       // the dated contract held (zero for perpetuals)
	opened    time.Time
}

type engine struct {
	m   *Market
	p   Params
	res *Result

	spot, fut, alt []decimal.Decimal
	cash           decimal.Decimal
	pos            *position
	nextID         int
	liquidated     bool
	funding, fees  decimal.Decimal
	realized, slip decimal.Decimal
	forfeit        decimal.Decimal
	nextEvent      int // first funding event not yet known
	rules          engineRules
	settled        int
	inMarket       bool // a position was held after the previous grid point
}

func newEngine(m *Market, p Params) *engine {
	e := &engine{m: m, p: p, res: &Result{Market: m, Params: p}, cash: p.Capital, nextID: 1}
	e.res.Totals.Capital = p.Capital
	e.spot = decimals(m.Spot)
	e.fut = decimals(m.Futures)
	e.alt = decimals(m.AltFutures)
	e.rules = newEngineRules(m, p.Rules)
	// Events at or before the first grid point are known, not received.
	for e.nextEvent < len(m.Funding) && !m.Funding[e.nextEvent].Instant.After(m.Times[0]) {
		e.nextEvent++
	}
	e.res.Equity = make([]EquityRow, 0, len(m.Times))
	return e
}

func decimals(fs []float64) []decimal.Decimal {
	out := make([]decimal.Decimal, len(fs))
	for i, f := range fs {
		out[i] = data.Decimal(f)
	}
	return out
}

// step runs the order of work at grid point i: (1) settle funding, (2)
// delivery or the margin check, (3) at most one rule action, then the close
// at the last point, (4) record the equity row.
func (e *engine) step(i int) error {
	last := i == len(e.m.Times)-1
	if i > 0 {
		e.settleFunding(i)
	}
	acted, rebalanceDue := false, false
	if e.pos != nil {
		if e.m.Dated() && !e.m.Times[i].Before(e.pos.delivery) {
			if err := e.deliver(i); err != nil {
				return err
			}
			acted = true
		} else {
			fh, err := e.heldPrice(i)
			if err != nil {
				return err
			}
			margin := e.marginBalance(fh)
			notional := e.pos.q.Mul(fh)
			e.trackWorst(margin.DivRound(notional, divScale), i)
			if margin.LessThan(e.p.Maintenance.Mul(notional)) {
				e.liquidate(i, fh)
				acted = true
			}
			// The ratio below r, compared exactly: M < r·q·F. Not at the
			// last grid point, whose action is the close (reason end).
			rebalanceDue = !last && e.p.RebalanceBelow.IsPositive() && margin.LessThan(e.p.RebalanceBelow.Mul(notional))
		}
	}
	if !acted && !e.liquidated {
		switch {
		case e.pos != nil:
			fh, _ := e.heldPrice(i)
			if e.exitSignal(i, fh) {
				e.close(i, fh, ReasonExit)
			} else if rebalanceDue {
				e.rebalance(i, fh)
			}
		case !last && e.entrySignal(i):
			e.open(i)
		}
	}
	if last && e.pos != nil {
		fh, err := e.heldPrice(i)
		if err != nil {
			return err
		}
		e.close(i, fh, ReasonEnd)
	}
	e.record(i)
	return e.checkIdentity(i)
}

// heldPrice is the futures price of the held contract at grid point i.
func (e *engine) heldPrice(i int) (decimal.Decimal, error) {
	if !e.m.Dated() {
		return e.fut[i], nil
	}
	d := e.pos.delivery
	switch {
	case e.m.Delivery[i].Equal(d):
		return e.fut[i], nil
	case len(e.alt) > 0 && e.m.AltDelivery[i].Equal(d):
		return e.alt[i], nil
	}
	return decimal.Decimal{}, fmt.Errorf("%s: no futures price at %s for the contract delivering %s (load both quarterly series)",
		e.m.Symbol, e.m.Times[i].Format(time.RFC3339), d.Format(time.RFC3339))
}

func (e *engine) marginBalance(fh decimal.Decimal) decimal.Decimal {
	return e.pos.wallet.Add(e.pos.q.Mul(e.pos.perpPrice.Sub(fh)))
}

func (e *engine) trackWorst(r decimal.Decimal, i int) {
	t := &e.res.Totals
	if !t.WorstMarginRatio.Valid || r.LessThan(t.WorstMarginRatio.Decimal) {
		t.WorstMarginRatio = decimal.NewNullDecimal(r)
		t.WorstMarginAt = e.m.Times[i]
	}
}

// settleFunding pays the events with τ in (t[i−1], t[i]] to an open
// position: q × mark × rate to the short. A position open now was opened
// at an earlier grid point, so before τ.
func (e *engine) settleFunding(i int) {
	for e.nextEvent < len(e.m.Funding) && !e.m.Funding[e.nextEvent].Instant.After(e.m.Times[i]) {
		ev := e.m.Funding[e.nextEvent]
		e.nextEvent++
		if e.pos == nil || e.m.Dated() {
			continue
		}
		mark, missing := data.Decimal(ev.Mark.Float64), !ev.Mark.Valid
		if missing {
			// F at the last grid point at or before τ.
			j := i - 1
			if ev.Instant.Equal(e.m.Times[i]) {
				j = i
			}
			mark = e.fut[j]
		}
		rate := data.Decimal(ev.Rate)
		size := e.pos.q.Mul(mark)
		pay := size.Mul(rate)
		e.pos.wallet = e.pos.wallet.Add(pay)
		e.funding = e.funding.Add(pay)
		e.settled++
		t := &e.res.Totals
		t.EventsReceived++
		if pay.IsPositive() {
			t.PositiveEvents++
		}
		if missing {
			t.MissingMark++
		}
		e.res.Settlements = append(e.res.Settlements, Settlement{
			ID: e.settled, Symbol: e.m.Symbol, PositionID: e.pos.id, FundingRate: rate, PositionSize: size, Payment: pay,
			SettledAt: ev.Instant, MarkPrice: mark, MarkMissing: missing, Quantity: e.pos.q, FundingTime: ev.FundingTime,
		})
	}
}
