package backtest

import (
	"fmt"
	"reflect"
	"strconv"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
)

// ColumnIntervals are the funding intervals (hours) whose by-interval
// statistics have columns of their own in summary.csv and a sweep's
// results: Binance's schedules. Events at any other interval (the short
// period of a schedule change, 3h) are counted together in the "other"
// columns.
var ColumnIntervals = []int{1, 2, 4, 8}

var intervalsType = reflect.TypeOf([]analytics.IntervalFunding(nil))

// IntervalColumns are the columns of the funding statistics by interval
// (named with prefix, funding_stats_by_interval_): for each of
// ColumnIntervals, then other, the events (a count, 0 with none) and their
// annualized mean (empty with none):
//
//	funding_stats_by_interval_8h_events, funding_stats_by_interval_8h_annualized_mean, …,
//	funding_stats_by_interval_other_events, funding_stats_by_interval_other_annualized_mean
//
// The other mean is the mean over those events, Σ nₕ·meanₕ / Σ nₕ.
func IntervalColumns(prefix string, by []analytics.IntervalFunding) ([]string, []data.ColumnKind, []string) {
	var names, vals []string
	var kinds []data.ColumnKind
	add := func(what string, events int, mean analytics.Value) {
		names = append(names, prefix+what+"_events", prefix+what+"_annualized_mean")
		kinds = append(kinds, data.Int, data.Float)
		m := ""
		if mean.Valid && events > 0 {
			m = jsonFloat(mean.V)
		}
		vals = append(vals, strconv.Itoa(events), m)
	}
	listed := map[int]bool{}
	for _, h := range ColumnIntervals {
		listed[h] = true
		events, mean := 0, analytics.Value{}
		for _, iv := range by {
			if iv.Hours == h {
				events, mean = iv.Events, iv.AnnualizedMean
			}
		}
		add(fmt.Sprintf("%dh", h), events, mean)
	}
	events, sum := 0, 0.0
	for _, iv := range by {
		if !listed[iv.Hours] && iv.Events > 0 && iv.AnnualizedMean.Valid {
			events += iv.Events
			sum += float64(iv.Events) * iv.AnnualizedMean.V
		}
	}
	mean := analytics.Value{}
	if events > 0 {
		mean = analytics.Of(sum / float64(events))
	}
	add("other", events, mean)
	return names, kinds, vals
}
