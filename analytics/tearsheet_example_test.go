package analytics_test

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/analytics"
)

// Daily equity from 10,000 over 2026-01-30 … 2026-02-02: the months'
// returns compound from the capital and the days' ends (by hand: January
// 10,050/10,000 − 1 = 0.50 %, February 10,080/10,050 − 1 = 0.30 %).
func ExampleMonthlyReturns() {
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	days := []time.Time{day("2026-01-30"), day("2026-01-31"), day("2026-02-01"), day("2026-02-02")}
	values := []float64{10000, 10020, 10050, 10080}
	for _, m := range analytics.MonthlyReturns(days, values) {
		fmt.Printf("%d-%02d %.2f%% partial=%v\n", m.Year, m.Month, 100*m.Return.V, m.Partial)
	}
	// Output:
	// 2026-01 0.50% partial=true
	// 2026-02 0.30% partial=true
}

// Historical VaR and CVaR at 95 % of 20 daily returns: k = ⌈0.05·20⌉ = 1,
// so both are the worst day; at 90 %, k = 2: the second worst, and the
// mean of the two worst ((−3 % − 2 %)/2, by hand).
func ExampleValueAtRisk() {
	r := []float64{-0.03, -0.02, -0.01, 0, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01,
		0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 0.02}
	fmt.Printf("VaR95 %.1f%% CVaR95 %.1f%%\n", 100*analytics.ValueAtRisk(r, 0.95).V, 100*analytics.ConditionalValueAtRisk(r, 0.95).V)
	fmt.Printf("VaR90 %.1f%% CVaR90 %.1f%%\n", 100*analytics.ValueAtRisk(r, 0.90).V, 100*analytics.ConditionalValueAtRisk(r, 0.90).V)
	// Output:
	// VaR95 -3.0% CVaR95 -3.0%
	// VaR90 -2.0% CVaR90 -2.5%
}
