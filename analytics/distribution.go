package analytics

import (
	"math"
	"slices"

	"github.com/carry-research/carry/data"
	"gonum.org/v1/gonum/stat"
)

// Distribution describes a sample. Percentiles interpolate linearly
// between sample values (gonum stat.Quantile with stat.LinInterp: the value
// at cumulative fraction p of the n sorted values, x_k at k/n, flat before
// the first). Empty samples have null figures; Std needs two values.
type Distribution struct {
	Count  int   `json:"count"`
	Mean   Value `json:"mean"`
	Std    Value `json:"std"`
	Min    Value `json:"min"`
	P05    Value `json:"p05"`
	P25    Value `json:"p25"`
	Median Value `json:"median"`
	P75    Value `json:"p75"`
	P95    Value `json:"p95"`
	Max    Value `json:"max"`
}

// Describe summarizes xs (which it does not modify).
func Describe(xs []float64) Distribution {
	d := Distribution{Count: len(xs)}
	if len(xs) == 0 {
		return d
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	q := func(p float64) Value { return Of(stat.Quantile(p, stat.LinInterp, s, nil)) }
	d.Mean = Of(stat.Mean(s, nil))
	if len(s) > 1 {
		d.Std = Of(stat.StdDev(s, nil))
	}
	d.Min, d.Max = Of(s[0]), Of(s[len(s)-1])
	d.P05, d.P25, d.Median, d.P75, d.P95 = q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)
	return d
}

// IntervalFunding is the funding of events with one interval.
type IntervalFunding struct {
	Hours          int   `json:"hours"`
	Events         int   `json:"events"`
	AnnualizedMean Value `json:"annualized_mean"`
}

// FundingStats describes funding events: the rates as paid, the rates
// annualized by each event's own interval (r·(24/h)·365), the share of
// positive events, and the annualized mean per interval.
type FundingStats struct {
	Rates         Distribution      `json:"rates"`
	Annualized    Distribution      `json:"annualized"`
	SharePositive Value             `json:"share_positive"`
	ByInterval    []IntervalFunding `json:"by_interval"`
}

// Funding computes FundingStats; hours[i] is rates[i]'s interval.
func Funding(rates []float64, hours []int) FundingStats {
	st := FundingStats{Rates: Describe(rates), ByInterval: []IntervalFunding{}}
	ann := make([]float64, len(rates))
	byH := map[int][]float64{}
	positive := 0
	for i, r := range rates {
		ann[i] = data.AnnualizedFunding(r, hours[i])
		byH[hours[i]] = append(byH[hours[i]], ann[i])
		if r > 0 {
			positive++
		}
	}
	st.Annualized = Describe(ann)
	if len(rates) > 0 {
		st.SharePositive = Of(float64(positive) / float64(len(rates)))
	}
	for _, h := range slices.Sorted(func(yield func(int) bool) {
		for h := range byH {
			if !yield(h) {
				return
			}
		}
	}) {
		st.ByInterval = append(st.ByInterval, IntervalFunding{Hours: h, Events: len(byH[h]), AnnualizedMean: Of(stat.Mean(byH[h], nil))})
	}
	return st
}

// Turnover is the traded notional over the average equity, annualized:
// Σ|quantity × price| / mean(E) × 365/days. Null without days or equity.
func Turnover(tradedNotional float64, equity []float64, days float64) Value {
	if days <= 0 || len(equity) == 0 {
		return Null
	}
	avg := stat.Mean(equity, nil)
	if avg <= 0 {
		return Null
	}
	return Of(math.Abs(tradedNotional) / avg * DaysPerYear / days)
}
