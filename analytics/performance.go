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

// ReturnsFrom are the returns of a run's equity E_0…E_{n−1} from its
// capital C, the series a run's statistics are taken of:
//
//	r_0 = E_0/C − 1 (the entry's costs at the first grid point),
//	r_i = E_i/E_{i−1} − 1, i = 1…n−1.
//
// They compound to the total return: Π(1 + r_i) = E_{n−1}/C.
func ReturnsFrom(equity []float64, capital float64) []float64 {
	r := make([]float64, len(equity))
	prev := capital
	for i, e := range equity {
		r[i], prev = e/prev-1, e
	}
	return r
}

// ShortWindowDays is the window below which annualized figures are flagged
// (Performance.ShortWindow): a year extrapolated from fewer than 90 days
// of returns says little.
const ShortWindowDays = 90

// ReturnMoments are what a run's statistics take of its returns: their
// count N, mean, sample standard deviation SD and Down = Σ min(r_i, 0)².
type ReturnMoments struct {
	N              int
	Mean, SD, Down float64
}

// ReturnMomentsOf are the moments of ReturnsFrom(equity, capital): n
// returns, the first the entry's, E_0/C − 1. One pass, without allocating;
// the variance uses sums shifted by the first return r_0 (robust against
// cancellation):
//
//	mean = r_0 + Σd/N,  var = (Σd² − (Σd)²/N)/(N − 1),  d = r − r_0.
func ReturnMomentsOf(equity []float64, capital float64) ReturnMoments {
	if len(equity) == 0 {
		return ReturnMoments{}
	}
	shift := equity[0]/capital - 1
	var sum, sumSq, down float64
	prev := capital
	for _, e := range equity {
		r := e/prev - 1
		prev = e
		d := r - shift
		sum += d
		sumSq += d * d
		if r < 0 {
			down += r * r
		}
	}
	return momentsOfSums(len(equity), shift, sum, sumSq, down)
}

// DailyReturnMoments are the moments of the daily returns of equity from
// the capital C: of Returns(DailyEquity(…)), the values C, E_{d_0}, E_{d_1},
// …, with days = DailyIndices(times) — precomputed once per grid by
// callers that summarize many curves on it (sweeps). One pass, without
// allocating, as ReturnMomentsOf.
func DailyReturnMoments(equity []float64, capital float64, days []int) ReturnMoments {
	if len(days) == 0 {
		return ReturnMoments{}
	}
	shift := equity[days[0]]/capital - 1
	var sum, sumSq, down float64
	prev := capital
	for _, i := range days {
		e := equity[i]
		r := e/prev - 1
		prev = e
		d := r - shift
		sum += d
		sumSq += d * d
		if r < 0 {
			down += r * r
		}
	}
	return momentsOfSums(len(days), shift, sum, sumSq, down)
}

// momentsOfSums are the moments from n returns' shifted sums (SD = 0
// below two returns).
func momentsOfSums(n int, shift, sum, sumSq, down float64) ReturnMoments {
	m := ReturnMoments{N: n, Down: down, Mean: shift + sum/float64(n)}
	if n >= 2 {
		v := (sumSq - sum*sum/float64(n)) / float64(n-1)
		m.SD = math.Sqrt(math.Max(v, 0))
	}
	return m
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
	// The same on daily returns (DailyEquity: equity at 00:00 UTC each day
	// from C), 365 a year.
	VolatilityDaily Value `json:"volatility_daily"`
	SharpeDaily     Value `json:"sharpe_daily"`
	SortinoDaily    Value `json:"sortino_daily"`
	// ShortWindow: the window is shorter than ShortWindowDays, and every
	// annualized figure above extrapolates a year from it.
	ShortWindow bool `json:"short_window"`
}

// PerformanceOf computes a run's statistics from its equity E_0…E_{n−1}
// after each grid point, the grid's times, the starting capital C and the
// annual risk-free rate rf (simple, spread evenly over the periods):
//
//	total return   R = E_{n−1} / C − 1
//	days           d = (t_{n−1} − t_0) / 24h
//	APR            R · 365/d
//	APY            (1 + R)^(365/d) − 1
//	returns        r_0 = E_0/C − 1 (the entry's costs), r_i = E_i/E_{i−1} − 1
//	               (i = 1…n−1), flat periods included: n returns (ReturnsFrom)
//	volatility     σ · √P, σ the sample standard deviation of r, P periods per year
//	Sharpe         mean(r − rf/P) / σ · √P
//	Sortino        mean(r − rf/P) / δ · √P, δ = √(Σ min(r, 0)² / n) over all n returns
//	max drawdown   min_t E_t / max(C, max_{s≤t} E_s) − 1 (MaxDrawdownFrom: the first peak is C)
//	Calmar         APY / |max drawdown|
//	daily          volatility, Sharpe and Sortino by the same formulas on the
//	               daily returns from C (DailyEquity), P = 365
//	short window   d < ShortWindowDays
//
// Undefined figures (d = 0, σ = 0, δ = 0, no drawdown, fewer than two
// returns) are null.
func PerformanceOf(times []time.Time, equity []float64, capital float64, periodsPerYear, riskFree float64) (Performance, error) {
	if err := checkEquity(times, equity, capital); err != nil {
		return Performance{PeriodsPerYear: periodsPerYear}, err
	}
	days, _ := DailyIndices(times)
	return PerformanceFrom(times, equity, capital, periodsPerYear, riskFree,
		ReturnMomentsOf(equity, capital), DailyReturnMoments(equity, capital, days), MaxDrawdownFrom(times, equity, capital))
}

// PerformanceFrom is PerformanceOf with the return moments (per grid
// period and daily) and the maximum drawdown given, for callers that
// computed them in one pass over a curve (a sweep's kernel,
// strategy.EquityStatsOf): the same formulas on the same numbers, so that,
// given PerformanceOf's own moments and drawdown, it returns what
// PerformanceOf returns, bit for bit.
func PerformanceFrom(times []time.Time, equity []float64, capital float64, periodsPerYear, riskFree float64, m, daily ReturnMoments, dd Drawdown) (Performance, error) {
	p := Performance{PeriodsPerYear: periodsPerYear}
	if err := checkEquity(times, equity, capital); err != nil {
		return p, err
	}
	last := equity[len(equity)-1]
	total := last/capital - 1
	p.TotalReturn = Of(total)
	p.Days = times[len(times)-1].Sub(times[0]).Hours() / 24
	p.ShortWindow = p.Days < ShortWindowDays
	if p.Days > 0 {
		p.APR = Of(total * DaysPerYear / p.Days)
		if 1+total >= 0 {
			p.APY = Of(math.Pow(1+total, DaysPerYear/p.Days) - 1)
		}
	}
	p.Volatility, p.Sharpe, p.Sortino = ratios(m, periodsPerYear, riskFree)
	p.VolatilityDaily, p.SharpeDaily, p.SortinoDaily = ratios(daily, DaysPerYear, riskFree)
	p.Drawdown = dd
	if p.APY.Valid && p.Drawdown.Max.Valid && p.Drawdown.Max.V < 0 {
		p.Calmar = Of(p.APY.V / math.Abs(p.Drawdown.Max.V))
	}
	return p, nil
}

// ratios are the annualized volatility, Sharpe and Sortino of returns with
// moments m, P of them a year: σ·√P, mean(r − rf/P)/σ·√P and
// mean(r − rf/P)/δ·√P, δ = √(Down/N); null below two returns or where σ or
// δ is 0.
func ratios(m ReturnMoments, periodsPerYear, riskFree float64) (vol, sharpe, sortino Value) {
	if m.N < 2 {
		return
	}
	excess := m.Mean - riskFree/periodsPerYear
	if m.SD > 0 {
		vol = Of(m.SD * math.Sqrt(periodsPerYear))
		sharpe = Of(excess / m.SD * math.Sqrt(periodsPerYear))
	}
	if dd := math.Sqrt(m.Down / float64(m.N)); dd > 0 {
		sortino = Of(excess / dd * math.Sqrt(periodsPerYear))
	}
	return
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
