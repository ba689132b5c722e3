package book

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

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
	s.BTCCarry.Note, s.BTCCarry.Partial = coverageNote(m, st.series.Times)
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
	if n := len(m.Spot); n > 0 && m.Spot[0] > 0 {
		first, last := decimal.NewFromFloat(m.Spot[0]), decimal.NewFromFloat(m.Spot[n-1])
		s.BTCSpot.FinalEquity = num(o.Result.Capital.Mul(last).DivRound(first, 8))
	}
	s.BTCCarry.Correlation = correlateDaily(st, m, ser.BTCCarry, capital)
	s.BTCSpot.Correlation = correlateDaily(st, m, ser.BTCSpot, capital)
	return nil
}

// coverageNote says how the benchmark's data window differs from the
// book's grid: nothing when the same; a quiet note when each end is off by
// no more than coverageSlack (an hour short of the book's last point is
// normal: a pair priced by basis rows outlasts the last candle); else a
// note and partial, which the report shows as a warning.
func coverageNote(m *strategy.Market, book []time.Time) (note string, partial bool) {
	first, last := m.Times[0], m.Times[len(m.Times)-1]
	bookFirst, bookLast := book[0], book[len(book)-1]
	if first.Equal(bookFirst) && last.Equal(bookLast) {
		return "", false
	}
	late, short := first.Sub(bookFirst), bookLast.Sub(last)
	slack := max(coverageSlack, m.Period.Duration())
	if late.Abs() <= slack && short.Abs() <= slack {
		var parts []string
		if late != 0 {
			parts = append(parts, fmt.Sprintf("start %s %s the book's", shortDuration(late.Abs()), beforeAfter(-late)))
		}
		if short != 0 {
			parts = append(parts, fmt.Sprintf("end %s %s the book's", shortDuration(short.Abs()), beforeAfter(short)))
		}
		return fmt.Sprintf("%s's data %s; correlations are over the days both cover", BenchmarkSymbol, strings.Join(parts, " and ")), false
	}
	return fmt.Sprintf("%s's data cover %s only, the book %s; correlations are over the days both cover",
		BenchmarkSymbol, windowText(first, last), windowText(bookFirst, bookLast)), true
}

// coverageSlack is how far a benchmark's ends may be from the book's and
// still only be noted: a day.
const coverageSlack = 24 * time.Hour

// shortDuration is d without Go's trailing zero units: "1h", "30m", "1h30m".
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

func beforeAfter(d time.Duration) string {
	if d > 0 {
		return "before"
	}
	return "after"
}

// correlateDaily correlates the book's daily returns with a benchmark's
// over the days both have (analytics.DailyEquity's day ends, matched by
// time): the returns are between consecutive common days, so a benchmark
// that starts or ends a little apart from the book (a partial last day at
// 23:00 against the book's midnight) loses only the days it lacks.
func correlateDaily(st *bookStats, m *strategy.Market, equity []float64, capital float64) analytics.Value {
	days, values := analytics.DailyEquity(m.Times, equity, capital)
	at := make(map[int64]float64, len(days))
	for i, t := range days {
		at[t.UnixNano()] = values[i]
	}
	var book, bench []float64
	for i, t := range st.series.SpanEnds {
		if v, ok := at[t.UnixNano()]; ok {
			book, bench = append(book, st.series.DailyEquity[i]), append(bench, v)
		}
	}
	return analytics.Correlation(analytics.Returns(book), analytics.Returns(bench))
}
