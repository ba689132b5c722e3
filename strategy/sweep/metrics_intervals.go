package sweep

import (
	"math"
	"strconv"

	"github.com/carry-research/carry/strategy/backtest"
)

// intervalMetrics are the metric table's rows for the funding statistics
// by interval (backtest.IntervalColumns: for each interval, then other,
// the events and their annualized mean), in the columns' order; each
// getter reads the column's cell from the summary.
func intervalMetrics() []Metric {
	names, _, _ := backtest.IntervalColumns("funding_stats_by_interval_", nil)
	ms := make([]Metric, len(names))
	for i, name := range names {
		ms[i] = Metric{name, false, func(s *backtest.Summary) float64 {
			_, _, vals := backtest.IntervalColumns("", s.FundingStats.ByInterval)
			if vals[i] == "" {
				return math.NaN()
			}
			v, err := strconv.ParseFloat(vals[i], 64)
			if err != nil {
				return math.NaN()
			}
			return v
		}}
	}
	return ms
}
