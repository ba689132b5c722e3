package data

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// TestAnnualizedTwinsAgree holds each float function to its exact twin: the
// float result is within a few ulps of the exact value rounded to float64.
func TestAnnualizedTwinsAgree(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	rates := []string{"0.0001", "-0.00002474", "0.00375", "0.03", "-0.0075", "0.00005", "0.00011234", "0"}
	for _, r := range rates {
		for _, h := range []int{1, 2, 3, 4, 8} {
			d := decimal.RequireFromString(r)
			exact, _ := AnnualizedFundingExact(d, h).Float64()
			got := AnnualizedFunding(d.InexactFloat64(), h)
			if !close(got, exact, 4) {
				t.Errorf("funding %s every %dh: float %v, exact %v", r, h, got, exact)
			}
		}
	}
	prices := [][2]string{{"60006", "60000"}, {"3001.17", "2999.5"}, {"99.1", "100"}, {"0.012345", "0.01234"}}
	for _, p := range prices {
		f, s := decimal.RequireFromString(p[0]), decimal.RequireFromString(p[1])
		for _, delivery := range []time.Time{{}, t0.Add(10 * time.Hour), t0.AddDate(0, 0, 27), t0.Add(time.Millisecond)} {
			x, ok := AnnualizedBasisExact(f, s, t0, delivery)
			got := AnnualizedBasis(f.InexactFloat64(), s.InexactFloat64(), t0, delivery)
			if !ok {
				t.Fatalf("%v over %v to %v: no exact value", f, s, delivery)
			}
			exact, _ := x.Float64()
			// f/s − 1 cancels: the float's error is that of f/s, relative
			// to f/s − 1.
			tol := 8 * math.Abs(f.InexactFloat64()/s.InexactFloat64()) / math.Abs(f.InexactFloat64()/s.InexactFloat64()-1)
			if !close(got, exact, tol) {
				t.Errorf("basis %v over %v to %v: float %v, exact %v", f, s, delivery, got, exact)
			}
		}
	}
	if _, ok := AnnualizedBasisExact(decimal.NewFromInt(101), decimal.NewFromInt(100), t0, t0); ok {
		t.Error("an exact basis at delivery")
	}
	if !math.IsNaN(AnnualizedBasis(101, 100, t0, t0)) {
		t.Error("a float basis at delivery")
	}
}

// TestAnnualizedBasisReproducesBinance: (101/100 − 1)·365/(10h/24h) = 8.76,
// Binance's annualizedBasisRate formula (docs/model.md).
func TestAnnualizedBasisReproducesBinance(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if got := AnnualizedBasis(101, 100, t0, t0.Add(10*time.Hour)); got < 8.7599 || got > 8.7601 {
		t.Errorf("AnnualizedBasis = %v, want 8.76", got)
	}
}

// close reports whether a and b differ by at most ulps units in the last
// place of the larger.
func close(a, b, ulps float64) bool {
	if a == b {
		return true
	}
	scale := math.Max(math.Abs(a), math.Abs(b))
	return math.Abs(a-b) <= ulps*scale*0x1p-52
}

func ExampleAnnualizedFunding() {
	// 0.01% every 8 hours and every 4 hours, on a 365-day year.
	fmt.Printf("%.4f %.4f\n", AnnualizedFunding(0.0001, 8), AnnualizedFunding(0.0001, 4))
	exact := AnnualizedFundingExact(decimal.RequireFromString("0.0001"), 8)
	fmt.Println(exact.FloatString(6))
	// Output:
	// 0.1095 0.2190
	// 0.109500
}
