package analytics

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// moments are the mean and the central moments m_k = Σ(r − mean)^k / n,
// k = 2, 3, 4, of r.
func moments(r []float64) (mean, m2, m3, m4 float64) {
	n := float64(len(r))
	mean = stat.Mean(r, nil)
	for _, x := range r {
		d := x - mean
		m2 += d * d
		m3 += d * d * d
		m4 += d * d * d * d
	}
	return mean, m2 / n, m3 / n, m4 / n
}

// Skewness is the skewness of r from its central moments (the estimator
// ProbabilisticSharpe uses, not bias-corrected):
//
//	γ₃ = m₃ / m₂^{3/2},  m_k = Σ(r − mean)^k / n
//
// Null for n < 3 or m₂ = 0.
func Skewness(r []float64) Value {
	if len(r) < 3 {
		return Null
	}
	_, m2, m3, _ := moments(r)
	if m2 == 0 {
		return Null
	}
	return Of(m3 / math.Pow(m2, 1.5))
}

// ExcessKurtosis is the kurtosis of r above the normal's, from its central
// moments (not bias-corrected; 0 for a normal sample in the limit):
//
//	γ₄ − 3 = m₄ / m₂² − 3
//
// Null for n < 3 or m₂ = 0.
func ExcessKurtosis(r []float64) Value {
	if len(r) < 3 {
		return Null
	}
	_, m2, _, m4 := moments(r)
	if m2 == 0 {
		return Null
	}
	return Of(m4/(m2*m2) - 3)
}

// EmpiricalQuantile is the lower empirical quantile of r at p ∈ (0, 1]:
// the k-th smallest value, k = ⌈p·n⌉ (the smallest x with at least a
// fraction p of the sample at or below it; gonum stat.Empirical). Null for
// an empty r or p outside (0, 1].
func EmpiricalQuantile(p float64, r []float64) Value {
	if len(r) == 0 || !(p > 0 && p <= 1) {
		return Null
	}
	s := slices.Clone(r)
	slices.Sort(s)
	return Of(s[quantileRank(p, len(s))-1])
}

// quantileRank is k = ⌈p·n⌉, at least 1 (p·n is rounded to 1e-9 first, so
// that 0.05·20 is 1, not 1.0000000000000002).
func quantileRank(p float64, n int) int {
	x := p * float64(n)
	k := int(math.Ceil(x - 1e-9))
	return max(k, 1)
}

// ValueAtRisk is the historical value at risk of the returns r at the
// confidence level (0.95 for 95 %), as a return (negative: a loss):
//
//	VaR = r_(k),  k = ⌈(1 − level)·n⌉
//
// the k-th smallest return (EmpiricalQuantile at 1 − level): returns at or
// below it make at least 1 − level of the sample. Null for an empty r.
func ValueAtRisk(r []float64, level float64) Value {
	return EmpiricalQuantile(1-level, r)
}

// ConditionalValueAtRisk (expected shortfall) is the mean of the k
// smallest returns, k = ⌈(1 − level)·n⌉ as in ValueAtRisk, as a return:
//
//	CVaR = (r_(1) + … + r_(k)) / k
//
// Null for an empty r.
func ConditionalValueAtRisk(r []float64, level float64) Value {
	if len(r) == 0 || !(level >= 0 && level < 1) {
		return Null
	}
	s := slices.Clone(r)
	slices.Sort(s)
	k := quantileRank(1-level, len(s))
	return Of(stat.Mean(s[:k], nil))
}

// Omega is the ratio of gains to losses about the threshold θ:
//
//	Ω(θ) = Σ max(r − θ, 0) / Σ max(θ − r, 0)
//
// Null when no return is below θ (or r is empty).
func Omega(r []float64, threshold float64) Value {
	var up, down float64
	for _, x := range r {
		if x > threshold {
			up += x - threshold
		} else {
			down += threshold - x
		}
	}
	if down == 0 {
		return Null
	}
	return Of(up / down)
}

// TailRatio is the right tail over the left, at the 95th and 5th
// percentiles (EmpiricalQuantile):
//
//	tail ratio = |Q(0.95)| / |Q(0.05)|
//
// Null for an empty r or Q(0.05) = 0.
func TailRatio(r []float64) Value {
	hi, lo := EmpiricalQuantile(0.95, r), EmpiricalQuantile(0.05, r)
	if !hi.Valid || !lo.Valid || lo.V == 0 {
		return Null
	}
	return Of(math.Abs(hi.V) / math.Abs(lo.V))
}

// RollingVolatility is, at each i, the annualized volatility of the last
// window returns r_{i−w+1} … r_i:
//
//	σ_i · √P,  σ_i their sample standard deviation, P periods per year
//
// One value per return; null for i < w − 1, for w < 2 and where σ_i is
// undefined.
func RollingVolatility(r []float64, window int, periodsPerYear float64) []Value {
	out := make([]Value, len(r))
	if window < 2 {
		return out
	}
	for i := window - 1; i < len(r); i++ {
		sd := stat.StdDev(r[i-window+1:i+1], nil)
		out[i] = Of(sd * math.Sqrt(periodsPerYear))
	}
	return out
}

// RollingSharpe is, at each i, the annualized Sharpe ratio of the last
// window returns (PerformanceOf's Sharpe on them):
//
//	(mean_i − rf/P) / σ_i · √P
//
// over r_{i−w+1} … r_i, rf the annual risk-free rate, P periods per year.
// One value per return; null for i < w − 1, w < 2 and σ_i = 0.
func RollingSharpe(r []float64, window int, riskFree, periodsPerYear float64) []Value {
	out := make([]Value, len(r))
	if window < 2 {
		return out
	}
	for i := window - 1; i < len(r); i++ {
		mean, sd := stat.MeanStdDev(r[i-window+1:i+1], nil)
		if sd > 0 {
			out[i] = Of((mean - riskFree/periodsPerYear) / sd * math.Sqrt(periodsPerYear))
		}
	}
	return out
}
