package book

import (
	"fmt"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// addBenchmarks runs BTCUSDT carry (always in, the book's pair parameters
// and capital) on set.BTC and holds BTC spot bought with the capital; both
// are summarized as runs of their own, and their daily returns correlated
// with the book's when both cover the same days.
func (o *Outcome) addBenchmarks(set Setting, st *bookStats) error {
	s := &o.Summary
	if set.BTC == nil {
		s.BTCCarry.Note = set.BTCNote
		if s.BTCCarry.Note == "" {
			s.BTCCarry.Note = "no " + BenchmarkSymbol + " market given"
		}
		return nil
	}
	m := set.BTC
	res, err := strategy.Run(m, benchmarkParams(o.Result.Params))
	if err != nil {
		s.BTCCarry.Note = fmt.Sprintf("%s carry could not run: %v", BenchmarkSymbol, err)
		return nil
	}
	o.BTC = res
	bs, err := backtest.SummaryOf(res, set.RiskFree)
	if err != nil {
		return fmt.Errorf("summarizing the %s benchmark: %w", BenchmarkSymbol, err)
	}
	s.BTCCarry = BTCCarry{Available: true, FinalEquity: bs.FinalEquity, TotalReturn: bs.TotalReturn, APR: bs.APR, SharpeDaily: bs.SharpeDaily, MaxDrawdown: bs.MaxDrawdown}
	if first, last := m.Times[0], m.Times[len(m.Times)-1]; !first.Equal(st.series.Times[0]) || !last.Equal(st.series.Times[len(st.series.Times)-1]) {
		s.BTCCarry.Note = fmt.Sprintf("%s's data cover %s only", BenchmarkSymbol, windowText(first, last))
	}

	capital := o.Result.Capital.InexactFloat64()
	ser := &o.Series
	ser.BTCTimes = m.Times
	ser.BTCCarry = make([]float64, len(res.Equity))
	for i, r := range res.Equity {
		ser.BTCCarry[i] = r.Equity.InexactFloat64()
	}
	ser.BTCSpot = analytics.BuyAndHold(m.Spot, capital)
	if perf, err := analytics.PerformanceOf(m.Times, ser.BTCSpot, capital, st.perf.PeriodsPerYear, set.RiskFree); err == nil {
		s.BTCSpot = BTCSpot{TotalReturn: perf.TotalReturn, APR: perf.APR, SharpeDaily: perf.SharpeDaily, MaxDrawdown: perf.Drawdown.Max}
	}
	s.BTCCarry.Correlation = correlateDaily(st, m, ser.BTCCarry, capital)
	s.BTCSpot.Correlation = correlateDaily(st, m, ser.BTCSpot, capital)
	return nil
}

// correlateDaily correlates the book's daily returns with a benchmark's
// over the benchmark's grid, when their days are the same.
func correlateDaily(st *bookStats, m *strategy.Market, equity []float64, capital float64) analytics.Value {
	days, values := analytics.DailyEquity(m.Times, equity, capital)
	if len(days) != len(st.series.SpanEnds) {
		return analytics.Null
	}
	for i := range days {
		if !days[i].Equal(st.series.SpanEnds[i]) {
			return analytics.Null
		}
	}
	return analytics.Correlation(st.dailyReturns, analytics.Returns(values))
}
