package analytics

import (
	"math"
	"time"

	"gonum.org/v1/gonum/stat"
)

// BuyAndHold is the value of the capital C put into the asset at its first
// price and held: B_i = C · S_i / S_0 (no fees). Nil without a positive S_0.
func BuyAndHold(prices []float64, capital float64) []float64 {
	if len(prices) == 0 || !(prices[0] > 0) {
		return nil
	}
	out := make([]float64, len(prices))
	for i, s := range prices {
		out[i] = capital * s / prices[0]
	}
	return out
}

// RiskFreeLine is the capital C earning the annual risk-free rate rf,
// simple, on a 365-day calendar (as Sharpe spreads it):
// C · (1 + rf · (t_i − t_0) / 365 days).
func RiskFreeLine(times []time.Time, capital, riskFree float64) []float64 {
	out := make([]float64, len(times))
	for i, t := range times {
		out[i] = capital * (1 + riskFree*t.Sub(times[0]).Hours()/24/DaysPerYear)
	}
	return out
}

// Correlation is the Pearson correlation of x and y:
//
//	ρ = cov(x, y) / (sd(x) · sd(y))
//
// Null for fewer than two pairs, different lengths or a constant series.
func Correlation(x, y []float64) Value {
	if len(x) < 2 || len(x) != len(y) {
		return Null
	}
	if stat.Variance(x, nil) == 0 || stat.Variance(y, nil) == 0 {
		return Null
	}
	return Of(stat.Correlation(x, y, nil))
}

// Beta is the slope of r on the benchmark's returns b (least squares):
//
//	β = cov(r, b) / var(b)
//
// Null for fewer than two pairs, different lengths or a constant b.
func Beta(r, b []float64) Value {
	if len(r) < 2 || len(r) != len(b) {
		return Null
	}
	v := stat.Variance(b, nil)
	if v == 0 || math.IsNaN(v) {
		return Null
	}
	return Of(stat.Covariance(r, b, nil) / v)
}
