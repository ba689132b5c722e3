package sweep

import "math"

// Histogram is the distribution of the ranking metric over the
// combinations: counts in equal-width bins.
type Histogram struct {
	Metric string `json:"metric"`
	// Edges are the bins' bounds (len(Counts)+1, ascending): bin k holds
	// the values in [Edges[k], Edges[k+1]), the last bin its upper bound
	// too.
	Edges  []float64 `json:"edges"`
	Counts []int     `json:"counts"`
	Nulls  int       `json:"nulls"` // combinations whose metric is null
}

// maxHistogramBins bounds the bins: ⌈√n⌉ of them for n values, at most
// this many.
const maxHistogramBins = 50

// histogramOf bins the metric's values (NaN: null) into min(⌈√n⌉, 50)
// equal-width bins from the least to the greatest value; nil when no
// value is defined. Equal values make one bin [v, v].
func histogramOf(values []float64, metric string) *Histogram {
	lo, hi, n := math.Inf(1), math.Inf(-1), 0
	h := &Histogram{Metric: metric}
	for _, v := range values {
		if math.IsNaN(v) {
			h.Nulls++
			continue
		}
		lo, hi, n = math.Min(lo, v), math.Max(hi, v), n+1
	}
	if n == 0 {
		return nil
	}
	bins := min(maxHistogramBins, int(math.Ceil(math.Sqrt(float64(n)))))
	if hi == lo {
		bins = 1
	}
	width := (hi - lo) / float64(bins)
	h.Edges = make([]float64, bins+1)
	for k := range h.Edges {
		h.Edges[k] = lo + float64(k)*width
	}
	h.Edges[bins] = hi
	h.Counts = make([]int, bins)
	for _, v := range values {
		if math.IsNaN(v) {
			continue
		}
		k := bins - 1
		if width > 0 {
			k = min(bins-1, int((v-lo)/width))
			// The quotient can round across an edge: the stored edges
			// decide, [Edges[k], Edges[k+1]).
			for k > 0 && v < h.Edges[k] {
				k--
			}
			for k+1 < bins && v >= h.Edges[k+1] {
				k++
			}
		}
		h.Counts[k]++
	}
	return h
}
