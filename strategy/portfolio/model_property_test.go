package portfolio_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// Property tests of docs/model.md "Portfolios" on random universes with a
// fixed seed: the P&L identity, no look-ahead, and the one-pair book that
// is the single-pair run.

// round2 keeps prices to cents and rates to 1e-6, like exchange decimals,
// so that the exact engine reads short decimals.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }

// randomMember is a perpetual pair on hours start … start+n−1 (with
// possibly one gap), prices a random walk around base, a funding event
// every 2 hours from 8 hours before the grid (some without a mark, some
// 4-hour intervals), and with probability jump a 45 % jump of F that
// liquidates a short at leverage 3.
func randomMember(rng *rand.Rand, sym string, start, n int, base, jump float64) portfolio.Member {
	var hs, spot, fut []float64
	s, basis := base, 0.0
	gap := -1
	if rng.IntN(3) == 0 {
		gap = 1 + rng.IntN(max(n-2, 1))
	}
	jumpAt := -1
	if rng.Float64() < jump {
		jumpAt = 1 + rng.IntN(max(n-1, 1))
	}
	for i := range n {
		s *= 1 + 0.02*rng.NormFloat64()
		basis = 0.5*basis + 0.002*rng.NormFloat64()
		if i == gap {
			continue
		}
		f := s * (1 + basis)
		if i == jumpAt {
			f *= 1.45
		}
		hs = append(hs, float64(start+i))
		spot = append(spot, round2(s))
		fut = append(fut, round2(f))
	}
	var evs []ev
	for h := start - 8; h <= start+n+2; h += 2 {
		e := ev{h: float64(h), rate: round6(0.0001 + 0.0002*rng.NormFloat64()), interval: 8}
		if rng.IntN(4) == 0 {
			e.interval = 4
		}
		if rng.IntN(5) != 0 {
			e.mark = round2(base * (1 + 0.01*rng.NormFloat64()))
		}
		evs = append(evs, e)
	}
	return member(sym, hs, spot, fut, evs...)
}

// randomBook is 2–4 pairs entering at hours 0–2 and leaving after 4–9
// points (one possibly delisted early), with random parameters.
func randomBook(rng *rand.Rand) (*portfolio.Universe, portfolio.Params) {
	u := &portfolio.Universe{}
	nm := 2 + rng.IntN(3)
	for j := range nm {
		start := 0
		if j > 0 {
			start = rng.IntN(3)
		}
		m := randomMember(rng, fmt.Sprintf("S%02dUSDT", j), start, 4+rng.IntN(6), 20+30*float64(j), 0.2)
		if j > 0 && rng.IntN(3) == 0 {
			m.Delisted = true
		}
		u.Members = append(u.Members, m)
	}
	p := portfolio.DefaultParams()
	p.Pair.Leverage = decimal.NewFromInt(int64(1 + rng.IntN(3)))
	p.Lookback = 1 + rng.IntN(3)
	p.Top = 1 + rng.IntN(3)
	p.Rebalance = portfolio.Schedule{Every: time.Duration(1+rng.IntN(3)) * time.Hour, OnFunding: rng.IntN(4) == 0}
	p.Band = []float64{0, 0.01, 0.05}[rng.IntN(3)]
	p.Weights = []portfolio.Weighting{portfolio.WeightEqual, portfolio.WeightSignal, portfolio.WeightInverseVol}[rng.IntN(3)]
	p.Signal = []portfolio.Signal{portfolio.SignalFunding, portfolio.SignalBasis}[rng.IntN(2)]
	if rng.IntN(2) == 0 {
		p.MinSignal = f64(0.05)
	}
	p.Cap = []float64{1, 0.6}[rng.IntN(2)]
	return u, p
}

// TestBookIdentityIsExact: at every row Equity − C = CumFunding +
// BasisPnL − CumFees − Forfeit exactly, and the pairs' contributions
// Funding + BasisPnL − Fees − Forfeit add up to FinalEquity − C exactly
// (docs/model.md "Portfolios", the P&L identity).
func TestBookIdentityIsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	liquidations, delistings, resizes := 0, 0, 0
	for k := range 200 {
		u, p := randomBook(rng)
		r, err := portfolio.Run(u, p)
		if err != nil {
			t.Fatalf("book %d: %v", k, err)
		}
		c := p.Pair.Capital
		for i, row := range r.Rows {
			lhs := row.Equity.Sub(c)
			rhs := row.CumFunding.Add(row.BasisPnL).Sub(row.CumFees).Sub(row.Forfeit)
			if !lhs.Equal(rhs) {
				t.Fatalf("book %d row %d (%s): equity − C = %s, funding + basis − fees − forfeit = %s", k, i, row.Time, lhs, rhs)
			}
		}
		var sum, funding, fees, forfeit decimal.Decimal
		for _, pt := range r.Pairs {
			sum = sum.Add(pt.Funding).Add(pt.BasisPnL).Sub(pt.Fees).Sub(pt.Forfeit)
			funding, fees, forfeit = funding.Add(pt.Funding), fees.Add(pt.Fees), forfeit.Add(pt.Forfeit)
			liquidations += pt.Liquidated
			if pt.Delisted {
				delistings++
			}
		}
		if want := r.FinalEquity.Sub(c); !sum.Equal(want) {
			t.Fatalf("book %d: Σ pairs' contributions %s, final equity − C %s", k, sum, want)
		}
		last := r.Rows[len(r.Rows)-1]
		if !last.Equity.Equal(r.FinalEquity) || !last.CumFunding.Equal(funding) || !last.CumFees.Equal(fees) || !last.Forfeit.Equal(forfeit) {
			t.Fatalf("book %d: the last row (equity %s, funding %s, fees %s, forfeit %s) is not the pairs' totals (final %s, %s, %s, %s)",
				k, last.Equity, last.CumFunding, last.CumFees, last.Forfeit, r.FinalEquity, funding, fees, forfeit)
		}
		if !last.Cash.Equal(last.Equity) || last.Holdings != 0 {
			t.Fatalf("book %d: at the last point every pair is closed, yet cash %s ≠ equity %s or %d held", k, last.Cash, last.Equity, last.Holdings)
		}
		for _, tr := range r.Trades {
			if tr.Reason == portfolio.ReasonResize {
				resizes++
			}
		}
	}
	// The random books must reach the cases the identity is about.
	if liquidations == 0 || delistings == 0 || resizes == 0 {
		t.Errorf("random books reached %d liquidations, %d delistings, %d resizes: want some of each", liquidations, delistings, resizes)
	}
}

// perturbAfter is u with every price after t and every funding event
// after t changed (rates and marks), the grids unchanged.
func perturbAfter(rng *rand.Rand, u *portfolio.Universe, t time.Time) *portfolio.Universe {
	out := &portfolio.Universe{}
	for _, m := range u.Members {
		mk := *m.Market
		mk.Spot, mk.Futures = slices.Clone(mk.Spot), slices.Clone(mk.Futures)
		mk.Funding = slices.Clone(mk.Funding)
		for i, ti := range mk.Times {
			if ti.After(t) {
				mk.Spot[i] = round2(mk.Spot[i] * (0.7 + 0.6*rng.Float64()))
				mk.Futures[i] = round2(mk.Futures[i] * (0.7 + 0.6*rng.Float64()))
			}
		}
		for i, e := range mk.Funding {
			if e.Instant.After(t) {
				mk.Funding[i].Rate = round6(0.001 * rng.NormFloat64())
				if e.Mark.Valid {
					mk.Funding[i].Mark.Float64 = round2(e.Mark.Float64 * (0.5 + rng.Float64()))
				}
			}
		}
		m.Market = &mk
		out.Members = append(out.Members, m)
	}
	return out
}

// TestNoLookAhead: changing the prices and funding after grid point t
// changes nothing the book did at or before t: its rows, fills,
// settlements (τ ≤ t) and rebalances (docs/model.md "Portfolios": signals
// use only data stamped at or before the rebalance instant).
func TestNoLookAhead(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 2))
	for k := range 60 {
		u, p := randomBook(rng)
		base, err := portfolio.Run(u, p)
		if err != nil {
			t.Fatalf("book %d: %v", k, err)
		}
		for _, cut := range []int{0, len(base.Rows) / 3, len(base.Rows) / 2, len(base.Rows) - 2} {
			at := base.Rows[cut].Time
			r, err := portfolio.Run(perturbAfter(rng, u, at), p)
			if err != nil {
				t.Fatalf("book %d perturbed after %s: %v", k, at, err)
			}
			if diff := sameUpTo(base, r, cut); diff != "" {
				t.Fatalf("book %d: data after %s changed the book at or before it: %s", k, at, diff)
			}
		}
	}
}

// sameUpTo says how a and b differ at or before row cut ("" if not).
func sameUpTo(a, b *portfolio.Result, cut int) string {
	at := a.Rows[cut].Time
	if len(b.Rows) <= cut {
		return fmt.Sprintf("%d rows", len(b.Rows))
	}
	for i := 0; i <= cut; i++ {
		x, y := a.Rows[i], b.Rows[i]
		if !x.Time.Equal(y.Time) || !x.Equity.Equal(y.Equity) || !x.Cash.Equal(y.Cash) || !x.CumFunding.Equal(y.CumFunding) ||
			!x.CumFees.Equal(y.CumFees) || !x.BasisPnL.Equal(y.BasisPnL) || !x.Forfeit.Equal(y.Forfeit) ||
			!x.Traded.Equal(y.Traded) || !slices.Equal(x.Weights, y.Weights) || x.Holdings != y.Holdings {
			return fmt.Sprintf("row %d: %+v vs %+v", i, x, y)
		}
	}
	before := func(ts []portfolio.Trade) []portfolio.Trade {
		var out []portfolio.Trade
		for _, tr := range ts {
			if !tr.Time.After(at) {
				out = append(out, tr)
			}
		}
		return out
	}
	ta, tb := before(a.Trades), before(b.Trades)
	if len(ta) != len(tb) {
		return fmt.Sprintf("%d fills vs %d", len(ta), len(tb))
	}
	for i := range ta {
		x, y := ta[i], tb[i]
		if x.Symbol != y.Symbol || !x.Time.Equal(y.Time) || x.Leg != y.Leg || x.Side != y.Side || x.Reason != y.Reason ||
			!x.Quantity.Equal(y.Quantity) || !x.Price.Equal(y.Price) || !x.Fee.Equal(y.Fee) {
			return fmt.Sprintf("fill %d: %+v vs %+v", i, x, y)
		}
	}
	settled := func(ss []strategy.Settlement) []strategy.Settlement {
		var out []strategy.Settlement
		for _, s := range ss {
			if !s.SettledAt.After(at) {
				out = append(out, s)
			}
		}
		return out
	}
	sa, sb := settled(a.Settlements), settled(b.Settlements)
	if len(sa) != len(sb) {
		return fmt.Sprintf("%d settlements vs %d", len(sa), len(sb))
	}
	for i := range sa {
		x, y := sa[i], sb[i]
		if x.Symbol != y.Symbol || !x.SettledAt.Equal(y.SettledAt) || !x.Payment.Equal(y.Payment) || !x.Quantity.Equal(y.Quantity) || !x.MarkPrice.Equal(y.MarkPrice) {
			return fmt.Sprintf("settlement %d: %+v vs %+v", i, x, y)
		}
	}
	upTo := func(rs []int) []int {
		var out []int
		for _, i := range rs {
			if i <= cut {
				out = append(out, i)
			}
		}
		return out
	}
	if x, y := upTo(a.Rebalances), upTo(b.Rebalances); !slices.Equal(x, y) {
		return fmt.Sprintf("rebalances %v vs %v", x, y)
	}
	return ""
}

// TestOnePairBookIsTheSinglePairRun: a one-member universe with K = 1, no
// threshold, equal weights, cap 1 and the default band, whose member knows
// N events at its first point, is strategy.Run always in, exactly: the
// same fills, settlements and equity at every grid point
// (docs/model.md "Portfolios", the one-pair book).
func TestOnePairBookIsTheSinglePairRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	compared := 0
	for k := range 100 {
		m := randomMember(rng, "BTCUSDT", 0, 5+rng.IntN(26), 100, 0).Market
		pair := strategy.DefaultParams() // Binance's fees, 1 bp slippage, L = 1, always in
		sr, err := strategy.Run(m, pair)
		if err != nil {
			t.Fatalf("market %d: strategy.Run: %v", k, err)
		}
		if sr.Totals.Liquidated {
			continue // outside the equality's premise
		}
		p := portfolio.DefaultParams()
		p.Pair, p.Lookback, p.Top, p.MinSignal = pair, 3, 1, nil
		p.Weights, p.Cap, p.Band = portfolio.WeightEqual, 1, 0.05
		p.Rebalance = portfolio.Schedule{Every: []time.Duration{time.Hour, 24 * time.Hour}[k%2], OnFunding: k%3 == 0}
		r, err := portfolio.Run(&portfolio.Universe{Members: []portfolio.Member{{Market: m}}}, p)
		if err != nil {
			t.Fatalf("market %d: portfolio.Run: %v", k, err)
		}
		compared++
		if len(r.Rows) != len(sr.Equity) {
			t.Fatalf("market %d: %d book rows, %d grid points", k, len(r.Rows), len(sr.Equity))
		}
		for i, row := range r.Rows {
			e := sr.Equity[i]
			if !row.Time.Equal(e.Time) || !row.Equity.Equal(e.Equity) || !row.CumFunding.Equal(e.CumFunding) ||
				!row.CumFees.Equal(e.CumFees) || !row.BasisPnL.Equal(e.BasisPnL) || !row.Forfeit.Equal(e.Forfeit) {
				t.Fatalf("market %d point %d: book %s equity %s funding %s fees %s basis %s; pair %s equity %s funding %s fees %s basis %s",
					k, i, row.Time, row.Equity, row.CumFunding, row.CumFees, row.BasisPnL, e.Time, e.Equity, e.CumFunding, e.CumFees, e.BasisPnL)
			}
		}
		if len(r.Trades) != len(sr.Trades) {
			t.Fatalf("market %d: %d fills, the pair %d", k, len(r.Trades), len(sr.Trades))
		}
		for i, x := range r.Trades {
			y := sr.Trades[i]
			if x.Symbol != m.Symbol || !x.Time.Equal(y.Time) || x.Leg != y.Leg || x.Side != y.Side || x.Reason != y.Reason ||
				!x.Quantity.Equal(y.Quantity) || !x.Price.Equal(y.Price) || !x.Fee.Equal(y.Fee) {
				t.Fatalf("market %d fill %d: book %+v, pair %+v", k, i, x, y)
			}
		}
		if len(r.Settlements) != len(sr.Settlements) {
			t.Fatalf("market %d: %d settlements, the pair %d", k, len(r.Settlements), len(sr.Settlements))
		}
		for i, x := range r.Settlements {
			y := sr.Settlements[i]
			if x.Symbol != y.Symbol || !x.SettledAt.Equal(y.SettledAt) || !x.Payment.Equal(y.Payment) || !x.Quantity.Equal(y.Quantity) ||
				!x.MarkPrice.Equal(y.MarkPrice) || x.MarkMissing != y.MarkMissing || !x.FundingRate.Equal(y.FundingRate) || !x.PositionSize.Equal(y.PositionSize) {
				t.Fatalf("market %d settlement %d: book %+v, pair %+v", k, i, x, y)
			}
		}
		tot, pt := sr.Totals, r.Pairs[0]
		if !r.FinalEquity.Equal(tot.FinalEquity) || !pt.Funding.Equal(tot.Funding) || !pt.BasisPnL.Equal(tot.BasisPnL) ||
			!pt.Fees.Equal(tot.Fees) || !pt.SlippageCost.Equal(tot.SlippageCost) || !pt.Forfeit.Equal(tot.Forfeit) {
			t.Fatalf("market %d: book final %s, pair %+v; single pair %+v", k, r.FinalEquity, pt, tot)
		}
	}
	if compared < 50 {
		t.Errorf("only %d markets compared", compared)
	}
}

// TestLiquidityFilterWithoutVolumeNeverAdmits: under a liquidity filter a
// member without quote volumes (AAA: QuoteVolume nil, as a pair priced by
// the basis) is never eligible, and the run goes on with the others (BBB:
// 3 points of volume 1e6 each; at hour 0 the 24 h before hold only its
// first point, 1e6 ≥ the filter's 1e6, a tie that qualifies).
// WithoutQuoteVolume names AAA for the run's warning; without the filter
// AAA is held as BBB is (the same funding, top 2) and none is named.
func TestLiquidityFilterWithoutVolumeNeverAdmits(t *testing.T) {
	bbb := member("BBBUSDT", hours(3), repeat(3, 100), repeat(3, 100), ev{-8, 0.0001, 100, 8})
	bbb.QuoteVolume = repeat(3, 1e6)
	u := &portfolio.Universe{Members: []portfolio.Member{
		member("AAAUSDT", hours(3), repeat(3, 100), repeat(3, 100), ev{-8, 0.0001, 100, 8}),
		bbb,
	}}
	for _, c := range []struct {
		name      string
		minVolume float64
		held      []int // entries per member
		named     []string
	}{
		{"filter", 1e6, []int{0, 1}, []string{"AAAUSDT"}},
		{"no filter", 0, []int{1, 1}, nil},
	} {
		p := bookParams("1000", "1", "0", "0", "0", 2, time.Hour)
		p.MinQuoteVolume = c.minVolume
		r, err := portfolio.Run(u, p)
		if err != nil {
			t.Fatalf("%s: %v, want a run", c.name, err)
		}
		for j, want := range c.held {
			if got := r.Pairs[j].Entries; got != want {
				t.Errorf("%s: %s entered %d times, want %d", c.name, r.Pairs[j].Symbol, got, want)
			}
		}
		if got := portfolio.WithoutQuoteVolume(u, p); !slices.Equal(got, c.named) {
			t.Errorf("%s: WithoutQuoteVolume %q, want %q", c.name, got, c.named)
		}
	}
}
