package analytics_test

import (
	"fmt"

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
