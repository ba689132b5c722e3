package chart

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// hourlyBasis is days of a noisy annualized basis, hourly: a zigzag
// across most of the plot's height, the worst case for a rasterizer.
func hourlyBasis(days int) BasisData {
	rng := rand.New(rand.NewPCG(1, 2))
	n := days*24 + 1
	d := BasisData{Times: make([]time.Time, n), Annualized: make([]float64, n)}
	v := 0.1
	for i := range n {
		d.Times[i] = meta.From.Add(time.Duration(i) * time.Hour)
		v += 0.05*(0.1-v) + 0.08*rng.NormFloat64()
		d.Annualized[i] = v + 0.3*math.Sin(float64(i)/2000)
	}
	return d
}

// BenchmarkBasisChart draws the basis chart at the default 1600×900: of
// the demo's 120 days of hours (2,881 points, fewer than two a column:
// drawn whole) and of five years (43,801 points; -short: one year).
func BenchmarkBasisChart(b *testing.B) {
	years := 5
	if testing.Short() {
		years = 1
	}
	for _, days := range []int{120, years * 365} {
		b.Run(fmt.Sprintf("days=%d", days), func(b *testing.B) {
			d := hourlyBasis(days)
			m := meta
			m.From, m.To = d.Times[0], d.Times[len(d.Times)-1]
			for b.Loop() {
				if _, err := Basis(m, d, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
