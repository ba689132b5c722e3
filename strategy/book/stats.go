package book

import (
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/portfolio"
)

// Series are what a book's report draws.
type Series struct {
	Times    []time.Time // the book's grid
	Equity   []float64
	Drawdown []float64 // from the running peak, starting at the capital
	Capital  float64
	// The benchmarks on their own grid (BTCUSDT's), from the capital;
	// empty without one.
	BTCTimes          []time.Time
	BTCCarry, BTCSpot []float64
	// Spans of the funding APRs: (SpanEnds[k−1], SpanEnds[k]], the days of
	// analytics.DailyEquity (00:00 UTC, partial first and last days); the
	// APRs are per span (k ≥ 1; index 0 is NaN), NaN where undefined.
	SpanEnds       []time.Time
	BookFundingAPR []float64 // funding received in the span / equity at its start, annualized
	MedianAPR      []float64 // median over members of their events' mean annualized rate
	// Daily traded notional and the cumulative costs, per grid point.
	Traded         []float64
	CumFees        []float64
	CumForfeit     []float64
	DailyEquity    []float64 // at SpanEnds, from the capital
	DailyDrawdowns []float64
}

// bookStats are a book's figures computed once for its summary, its
// contributions and its series.
type bookStats struct {
	perf                   analytics.Performance
	equity                 []float64
	intervals              int // grid intervals: points but the last
	meanWeight             []float64
	held                   []int
	avgHoldings, timeInMkt analytics.Value
	maxHoldings            int
	hhi, maxWeight         analytics.Value
	traded                 decimal.Decimal
	series                 Series
	dailyReturns           []float64
}

func statsOf(res *portfolio.Result, riskFree float64) (*bookStats, error) {
	rows := res.Rows
	n := len(rows)
	members := len(res.Universe.Members)
	capital := res.Capital.InexactFloat64()
	st := &bookStats{equity: make([]float64, n), intervals: n - 1, meanWeight: make([]float64, members), held: make([]int, members)}
	s := &st.series
	s.Times, s.Capital = make([]time.Time, n), capital
	s.Traded, s.CumFees, s.CumForfeit = make([]float64, n), make([]float64, n), make([]float64, n)
	for i, r := range rows {
		s.Times[i], st.equity[i] = r.Time, r.Equity.InexactFloat64()
		s.Traded[i], s.CumFees[i], s.CumForfeit[i] = r.Traded.InexactFloat64(), r.CumFees.InexactFloat64(), r.Forfeit.InexactFloat64()
		st.traded = st.traded.Add(r.Traded)
	}
	s.Equity = st.equity
	s.Drawdown = analytics.DrawdownsFrom(st.equity, capital)
	perf, err := analytics.PerformanceOf(s.Times, st.equity, capital, analytics.PeriodsPerYear(res.Universe.Members[0].Market.Period.Duration()), riskFree)
	if err != nil {
		return nil, err
	}
	st.perf = perf

	// Holdings and weights over the intervals: the state after point i
	// holds until point i+1.
	holdings, inMarket, hhiSum, hhiN, maxW := 0, 0, 0.0, 0, 0.0
	for i, r := range rows {
		for j, w := range r.Weights {
			maxW = math.Max(maxW, w)
			if i < n-1 {
				st.meanWeight[j] += w / float64(st.intervals)
				if w > 0 {
					st.held[j]++
				}
			}
		}
		if i == n-1 {
			break
		}
		holdings += r.Holdings
		st.maxHoldings = max(st.maxHoldings, r.Holdings)
		if r.Holdings > 0 {
			inMarket++
			if h, ok := herfindahl(r.Weights); ok {
				hhiSum, hhiN = hhiSum+h, hhiN+1
			}
		}
	}
	st.avgHoldings = analytics.Of(float64(holdings) / float64(st.intervals))
	st.timeInMkt = analytics.Of(float64(inMarket) / float64(st.intervals))
	if hhiN > 0 {
		st.hhi = analytics.Of(hhiSum / float64(hhiN))
	}
	st.maxWeight = analytics.Of(maxW)

	s.SpanEnds, s.DailyEquity = analytics.DailyEquity(s.Times, st.equity, capital)
	s.DailyDrawdowns = analytics.Drawdowns(s.DailyEquity)
	st.dailyReturns = analytics.Returns(s.DailyEquity)
	s.BookFundingAPR, s.MedianAPR = fundingAPRs(res, s.SpanEnds, s.DailyEquity)
	return st, nil
}

// herfindahl is Σ (w_j/Σw)² of the positive weights; false without one.
func herfindahl(weights []float64) (float64, bool) {
	total := 0.0
	for _, w := range weights {
		if w > 0 {
			total += w
		}
	}
	if total <= 0 {
		return 0, false
	}
	h := 0.0
	for _, w := range weights {
		if w > 0 {
			h += (w / total) * (w / total)
		}
	}
	return h, true
}

// contributions are each member's money over the run and its share of
// the book's E − C.
func contributions(res *portfolio.Result, st *bookStats) []Contribution {
	pnl := res.FinalEquity.Sub(res.Capital)
	out := make([]Contribution, len(res.Pairs))
	for j, p := range res.Pairs {
		net := p.Funding.Add(p.BasisPnL).Sub(p.Fees).Sub(p.Forfeit)
		c := Contribution{Symbol: p.Symbol, Funding: num(p.Funding), BasisPnL: num(p.BasisPnL), Fees: num(p.Fees), SlippageCost: num(p.SlippageCost),
			Forfeit: num(p.Forfeit), Net: num(net), Traded: num(p.Traded), Entries: p.Entries, Liquidations: p.Liquidated, Delisted: p.Delisted}
		if !pnl.IsZero() {
			c.Share = analytics.Of(net.InexactFloat64() / pnl.InexactFloat64())
		}
		if st.intervals > 0 {
			c.HeldShare = analytics.Of(float64(p.HeldPoints) / float64(st.intervals))
		}
		if j < len(st.meanWeight) {
			c.MeanWeight = analytics.Of(st.meanWeight[j])
		}
		out[j] = c
	}
	return out
}

func summaryOf(res *portfolio.Result, set Setting, st *bookStats) Summary {
	p := res.Params
	rows := res.Rows
	last := rows[len(rows)-1]
	perf := st.perf
	m0 := res.Universe.Members[0].Market
	s := Summary{
		Universe: set.Universe, Members: len(res.Universe.Members), Period: string(m0.Period),
		From: rows[0].Time.UTC().Format(time.RFC3339), To: last.Time.UTC().Format(time.RFC3339), GridPoints: len(rows),
		Calendar: "365-day", PeriodsPerYear: perf.PeriodsPerYear, Days: perf.Days,
		Signal: string(p.Signal), Lookback: p.Lookback, Top: p.Top, MinSignal: p.MinSignal, Weights: string(p.Weights), Cap: p.Cap,
		Rebalance: scheduleName(p.Rebalance), Band: p.Band, MinHistoryHours: p.MinHistory.Hours(), MinQuoteVolume: p.MinQuoteVolume,
		VolWindowHours: p.VolWindow.Hours(),
		Capital:        num(res.Capital), Leverage: num(p.Pair.Leverage), SpotFee: num(p.Pair.SpotFee), PerpFee: num(p.Pair.PerpFee),
		Slippage: num(p.Pair.Slippage), Maintenance: num(p.Pair.Maintenance), RiskFreeRate: set.RiskFree,
		FinalEquity: num(res.FinalEquity), TotalReturn: perf.TotalReturn, APR: perf.APR, APY: perf.APY,
		Volatility: perf.Volatility, Sharpe: perf.Sharpe, Sortino: perf.Sortino, Calmar: perf.Calmar,
		MaxDrawdown: perf.Drawdown.Max, DrawdownDays: perf.Drawdown.DurationDays,
		DrawdownPeak: perf.Drawdown.Peak, DrawdownLow: perf.Drawdown.Trough, DrawdownRec: perf.Drawdown.Recovery,
		VolatilityDaily: perf.VolatilityDaily, SharpeDaily: perf.SharpeDaily, SortinoDaily: perf.SortinoDaily,
		ShortWindow: perf.ShortWindow, ShortWindowBelowDays: analytics.ShortWindowDays,
		FundingIncome: num(last.CumFunding), BasisPnL: num(last.BasisPnL), Fees: num(last.CumFees), Forfeit: num(last.Forfeit),
		Traded: num(st.traded), FundingSettlements: len(res.Settlements), Rebalances: len(res.Rebalances), Fills: len(res.Trades),
		AverageHoldings: st.avgHoldings, MaxHoldings: st.maxHoldings, TimeInMarket: st.timeInMkt,
		Concentration: st.hhi, MaxWeight: st.maxWeight,
		TurnoverAnnualized: analytics.Turnover(st.traded.InexactFloat64(), st.equity, perf.Days),
	}
	if st.hhi.Valid && st.hhi.V > 0 {
		s.EffectiveHoldings = analytics.Of(1 / st.hhi.V)
	}
	slip := decimal.Zero
	for _, pt := range res.Pairs {
		slip = slip.Add(pt.SlippageCost)
		s.Entries += pt.Entries
		s.Liquidations += pt.Liquidated
		if pt.Delisted {
			s.Delistings++
		}
	}
	s.SlippageCost = num(slip)
	for _, m := range res.Universe.Members {
		if m.Delisted {
			s.Delisted++
		}
	}
	positive := 0
	for _, x := range res.Settlements {
		if x.Payment.IsPositive() {
			positive++
		}
	}
	if len(res.Settlements) > 0 {
		s.SharePositive = analytics.Of(float64(positive) / float64(len(res.Settlements)))
	}
	mean := meanOf(st.equity)
	if mean > 0 {
		s.Turnover = analytics.Of(st.traded.InexactFloat64() / mean)
		if perf.Days > 0 {
			s.BookFundingAPR = valueOr(last.CumFunding.InexactFloat64() / mean * analytics.DaysPerYear / perf.Days)
		}
	}
	s.UniverseFundingAPR = universeMedianAPR(res.Universe)
	return s
}

func meanOf(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	t := 0.0
	for _, x := range xs {
		t += x
	}
	return t / float64(len(xs))
}
