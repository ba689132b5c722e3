package analytics

import (
	"errors"
	"math"
	"time"

	"gonum.org/v1/gonum/stat"
)

// DaysPerYear is the calendar every annualized figure uses.
const DaysPerYear = 365

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

// Summarize computes a run's statistics from its equity after each grid
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
func Summarize(times []time.Time, equity []float64, capital float64, periodsPerYear, riskFree float64) (Performance, error) {
	p := Performance{PeriodsPerYear: periodsPerYear}
	if len(times) != len(equity) {
		return p, errors.New("analytics: one time per equity value is needed")
	}
	if len(equity) == 0 {
		return p, errors.New("analytics: no equity values: the window is empty")
	}
	if !(capital > 0) {
		return p, errors.New("analytics: capital must be positive")
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
	r := Returns(equity)
	if len(r) >= 2 {
		rfPer := riskFree / periodsPerYear
		mean := stat.Mean(r, nil) - rfPer
		sd := stat.StdDev(r, nil)
		if sd > 0 {
			p.Volatility = Of(sd * math.Sqrt(periodsPerYear))
			p.Sharpe = Of(mean / sd * math.Sqrt(periodsPerYear))
		}
		var down float64
		for _, x := range r {
			if x < 0 {
				down += x * x
			}
		}
		if dd := math.Sqrt(down / float64(len(r))); dd > 0 {
			p.Sortino = Of(mean / dd * math.Sqrt(periodsPerYear))
		}
	}
	p.Drawdown = MaxDrawdown(times, equity)
	if p.APY.Valid && p.Drawdown.Max.Valid && p.Drawdown.Max.V < 0 {
		p.Calmar = Of(p.APY.V / math.Abs(p.Drawdown.Max.V))
	}
	return p, nil
}
