package analytics

import (
	"errors"
	"math"
	"time"

	"github.com/carry-research/carry/data"
)

// DaysPerYear is the calendar every annualized figure uses.
const DaysPerYear = data.DaysPerYear

// PeriodsPerYear is the number of grid periods in a 365-day year:
// 365 days / period (8,760 for 1h, 365 for 1d).
func PeriodsPerYear(period time.Duration) float64 {
	return DaysPerYear * 24 * float64(time.Hour) / float64(period)
}

// Returns are the simple returns between consecutive equity values:
// r_i = E_i / E_{i−1} − 1, i = 1…n−1.
func Returns(equity []float64) []float64 {
	if len(equity) < 2 {
		return nil
	}
	r := make([]float64, len(equity)-1)
	for i := 1; i < len(equity); i++ {
		r[i-1] = equity[i]/equity[i-1] - 1
	}
	return r
}

// returnMoments are the count, mean, sample standard deviation and sum of
// squared negative parts of the returns of equity, in one pass without
// allocating, as sweeps compute them millions of times. The variance uses
// sums shifted by the first return (robust against cancellation):
// var = (Σd² − (Σd)²/n)/(n−1), d = r − r₁.
func returnMoments(equity []float64) (n int, mean, sd, down float64) {
	if len(equity) < 2 {
		return 0, 0, 0, 0
	}
	shift := equity[1]/equity[0] - 1
	var sum, sumSq float64
	prev := equity[0]
	for _, e := range equity[1:] {
		r := e/prev - 1
		prev = e
		d := r - shift
		sum += d
		sumSq += d * d
		if r < 0 {
			down += r * r
		}
	}
	n = len(equity) - 1
	mean = shift + sum/float64(n)
	if n >= 2 {
		v := (sumSq - sum*sum/float64(n)) / float64(n-1)
		sd = math.Sqrt(math.Max(v, 0))
	}
	return n, mean, sd, down
}

// Performance is a run's return and risk statistics.
type Performance struct {
	PeriodsPerYear float64  `json:"periods_per_year"`
	Days           float64  `json:"days"`
	TotalReturn    Value    `json:"total_return"`
	APR            Value    `json:"apr"`
	APY            Value    `json:"apy"`
	Volatility     Value    `json:"volatility"`
	Sharpe         Value    `json:"sharpe"`
	Sortino        Value    `json:"sortino"`
	Calmar         Value    `json:"calmar"`
	Drawdown       Drawdown `json:"max_drawdown"`
}

// PerformanceOf computes a run's statistics from its equity after each grid
// point, the grid's times, the starting capital and the annual risk-free
// rate (simple, spread evenly over the periods):
//
//	total return   R = E_last / C − 1
//	days           d = (t_last − t_first) / 24h
//	APR            R · 365/d
//	APY            (1 + R)^(365/d) − 1
//	returns        r_i = E_i/E_{i−1} − 1 over the whole window, flat periods included
//	volatility     σ · √P, σ the sample standard deviation of r, P periods per year
//	Sharpe         mean(r − rf/P) / σ · √P
//	Sortino        mean(r − rf/P) / δ · √P, δ = √(Σ min(r, 0)² / n) over all n returns
//	Calmar         APY / |max drawdown|
//
// Undefined figures (d = 0, σ = 0, δ = 0, no drawdown, fewer than two
// returns) are null.
func PerformanceOf(times []time.Time, equity []float64, capital float64, periodsPerYear, riskFree float64) (Performance, error) {
	if err := checkEquity(times, equity, capital); err != nil {
		return Performance{PeriodsPerYear: periodsPerYear}, err
	}
	n, mean, sd, down := returnMoments(equity)
	return PerformanceFrom(times, equity, capital, periodsPerYear, riskFree,
		ReturnMoments{N: n, Mean: mean, SD: sd, Down: down}, MaxDrawdown(times, equity))
}

// ReturnMoments are what PerformanceOf takes of the returns r_i = E_i/E_{i−1}
// − 1: their count, mean, sample standard deviation and Down = Σ min(r_i, 0)².
type ReturnMoments struct {
	N              int
	Mean, SD, Down float64
}

// PerformanceFrom is PerformanceOf with the return moments and the maximum
// drawdown given, for callers that computed them in one pass over a curve
// (a sweep's kernel, strategy.EquityStatsOf): the same formulas on the
// same numbers, so that, given PerformanceOf's own moments and drawdown,
// it returns what PerformanceOf returns, bit for bit.
func PerformanceFrom(times []time.Time, equity []float64, capital float64, periodsPerYear, riskFree float64, m ReturnMoments, dd Drawdown) (Performance, error) {
	p := Performance{PeriodsPerYear: periodsPerYear}
	if err := checkEquity(times, equity, capital); err != nil {
		return p, err
	}
	last := equity[len(equity)-1]
	total := last/capital - 1
	p.TotalReturn = Of(total)
	p.Days = times[len(times)-1].Sub(times[0]).Hours() / 24
	if p.Days > 0 {
		p.APR = Of(total * DaysPerYear / p.Days)
		if 1+total >= 0 {
			p.APY = Of(math.Pow(1+total, DaysPerYear/p.Days) - 1)
		}
	}
	if m.N >= 2 {
		excess := m.Mean - riskFree/periodsPerYear
		if m.SD > 0 {
			p.Volatility = Of(m.SD * math.Sqrt(periodsPerYear))
			p.Sharpe = Of(excess / m.SD * math.Sqrt(periodsPerYear))
		}
		if dd := math.Sqrt(m.Down / float64(m.N)); dd > 0 {
			p.Sortino = Of(excess / dd * math.Sqrt(periodsPerYear))
		}
	}
	p.Drawdown = dd
	if p.APY.Valid && p.Drawdown.Max.Valid && p.Drawdown.Max.V < 0 {
		p.Calmar = Of(p.APY.V / math.Abs(p.Drawdown.Max.V))
	}
	return p, nil
}

func checkEquity(times []time.Time, equity []float64, capital float64) error {
	switch {
	case len(times) != len(equity):
		return errors.New("analytics: one time per equity value is needed")
	case len(equity) == 0:
		return errors.New("analytics: no equity values: the window is empty")
	case !(capital > 0):
		return errors.New("analytics: capital must be positive")
	}
	return nil
}
