package analytics

import (
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// ProbabilisticSharpe is the probability that the true Sharpe ratio of the
// returns r exceeds the benchmark sr0 (both per period of r, not
// annualized), given the estimate's sampling error under skewed and
// fat-tailed returns (Bailey and López de Prado, "The Sharpe Ratio
// Efficient Frontier", 2012):
//
//	SR   = mean(r) / sd(r)                      (sample sd)
//	PSR  = Φ( (SR − sr0)·√(n − 1) / √(1 − γ₃·SR + (γ₄ − 1)/4 · SR²) )
//
// with n = len(r), γ₃ = m₃/m₂^{3/2} the skewness and γ₄ = m₄/m₂² the
// (non-excess) kurtosis of r, from its central moments m_k = Σ(r − mean)^k/n
// (the paper's estimators).
// Undefined (null) for n < 3, sd = 0 or a non-positive denominator. For
// a Sharpe ratio net of a risk-free rate, give it ExcessReturns.
// Against sr0 = the expected maximum Sharpe ratio of the trials made, it is
// the deflated Sharpe ratio (Bailey and López de Prado, 2014).
func ProbabilisticSharpe(r []float64, sr0 float64) Value {
	n := len(r)
	if n < 3 {
		return Value{}
	}
	mean, sd := stat.MeanStdDev(r, nil)
	if sd == 0 || math.IsNaN(sd) {
		return Value{}
	}
	sr := mean / sd
	_, m2, m3, m4 := moments(r) // Skewness and ExcessKurtosis's estimators
	skew, kurt := m3/math.Pow(m2, 1.5), m4/(m2*m2)
	den := 1 - skew*sr + (kurt-1)/4*sr*sr
	if !(den > 0) {
		return Value{}
	}
	z := (sr - sr0) * math.Sqrt(float64(n-1)) / math.Sqrt(den)
	return Of(distuv.UnitNormal.CDF(z))
}

// ExcessReturns are r_i − rf, rf the risk-free return per period of r
// (an annual rate / periods per year): what the Sharpe ratios here are of.
func ExcessReturns(r []float64, rf float64) []float64 {
	out := make([]float64, len(r))
	for i, x := range r {
		out[i] = x - rf
	}
	return out
}
