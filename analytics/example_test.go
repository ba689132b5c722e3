package analytics_test

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/analytics"
)

// Funding events of a symbol whose interval changed from 8 hours to 4: each
// event is annualized by its own interval (r·(24/h)·365), never by 8 hours.
func ExampleFunding() {
	rates := []float64{0.0001, 0.0001, -0.00004, 0.0002, 0.0003}
	hours := []int{8, 8, 8, 4, 4}
	st := analytics.Funding(rates, hours)
	fmt.Printf("%d events, %.0f%% positive, annualized median %.2f%%\n", st.Rates.Count, 100*st.SharePositive.V, 100*st.Annualized.Median.V)
	for _, b := range st.ByInterval {
		fmt.Printf("every %dh: %d events, annualized mean %.2f%%\n", b.Hours, b.Events, 100*b.AnnualizedMean.V)
	}
	// Output:
	// 5 events, 80% positive, annualized median 10.95%
	// every 4h: 2 events, annualized mean 54.75%
	// every 8h: 3 events, annualized mean 5.84%
}

// Binance's basisRate against the rate rebuilt from 1h candle opens: real30's
// first two rows (BTCUSDT, 2026-02-17 01:00 and 02:00 UTC) and a third
// whose published rate is a basis point off. The rebuilt rate is rounded
// half-up to 4 decimals, as Binance publishes it, before the difference.
func ExampleCompareBasis() {
	at := []time.Time{
		time.Date(2026, 2, 17, 1, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 17, 2, 0, 0, 0, time.UTC),
		time.Date(2026, 2, 17, 3, 0, 0, 0, time.UTC),
	}
	published := []float64{-0.0004, -0.0005, -0.0005}
	futures := []float64{68849.90, 68582.70, 68800.00}
	spot := []float64{68878.27, 68618.12, 68838.48}
	a := analytics.CompareBasis(at, published, at, futures, spot)
	fmt.Printf("%d compared, median |Δ| %.4f, max |Δ| %.4f at %s, %.0f%% within 1 bp\n",
		a.Compared, a.MedianAbsDiff.V, a.MaxAbsDiff.V, a.Worst.At.Format("15:04"), 100*a.WithinOneBP.V)
	fmt.Printf("unrounded: max |Δ| %.6f\n", a.MaxAbsDiffUnrounded.V)
	// Output:
	// 3 compared, median |Δ| 0.0000, max |Δ| 0.0001 at 03:00, 100% within 1 bp
	// unrounded: max |Δ| 0.000059
}
