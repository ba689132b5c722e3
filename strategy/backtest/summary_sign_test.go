package backtest

import (
	"bytes"
	"encoding/csv"
	"math"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// TestLosingRunHasNoPositiveSharpe is the sign mismatch (BTCUSDT,
// funding rule 10 %/0 on a month: APR −0.49 %, Sharpe +1.33) through the
// exact engine: a month of hourly prices, flat but for a small wiggle, and
// 8-hourly funding small enough that the position earns less than its
// round trip's fees and slippage but more than the exit's alone. Equity
// after the entry rises (the returns from E_0, the old series, have a
// positive mean: checked, so the scenario is the mismatch), the run loses
// (total return < 0), and with returns from C every Sharpe and Sortino, per
// period and daily (rf = 0), is negative — in the exact summary, the
// kernel's, and the kernel's one-pass one. The max drawdown starts at C,
// and equals the lowest drawdown in equity.csv.
func TestLosingRunHasNoPositiveSharpe(t *testing.T) {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	n := 30*24 + 1
	m := &strategy.Market{Symbol: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}
	for i := range n {
		s := 60000 + 5*math.Sin(float64(i)/7)
		m.Times = append(m.Times, start.Add(time.Duration(i)*time.Hour))
		m.Spot, m.Futures = append(m.Spot, s), append(m.Futures, s+6)
	}
	for h := 8; h < n; h += 8 {
		m.Funding = append(m.Funding, strategy.FundingEvent{Instant: start.Add(time.Duration(h) * time.Hour), Rate: 0.00003, IntervalHours: 8})
	}
	p := strategy.DefaultParams()
	r, err := strategy.Run(m, p)
	if err != nil {
		t.Fatal(err)
	}
	equity := make([]float64, len(r.Equity))
	for i, row := range r.Equity {
		equity[i] = row.Equity.InexactFloat64()
	}
	after := analytics.Returns(equity)
	mean := 0.0
	for _, x := range after {
		mean += x / float64(len(after))
	}
	ss := 0.0
	for _, x := range after {
		ss += (x - mean) * (x - mean)
	}
	oldSharpe := mean / math.Sqrt(ss/float64(len(after)-1)) * math.Sqrt(8760)
	if !(mean > 0) {
		t.Fatalf("returns after the entry have mean %v: the scenario is not the mismatch (equity %v … %v)", mean, equity[0], equity[n-1])
	}
	exact, err := SummaryOf(r, 0)
	if err != nil {
		t.Fatal(err)
	}
	prep, err := strategy.Prepare(m)
	if err != nil {
		t.Fatal(err)
	}
	eq := make([]float64, prep.Len())
	kt := strategy.Kernel(prep, strategy.KernelParamsOf(p), eq, nil)
	kernel, err := SummaryOfKernel(m, p, 0, kt, eq, MarketStatsOf(m))
	if err != nil {
		t.Fatal(err)
	}
	onePass, err := SummaryOfKernelStats(m, p, 0, kt, eq, strategy.EquityStatsOf(eq, 10000), MarketStatsOf(m))
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]Summary{"exact": exact, "kernel": kernel, "one pass": onePass} {
		if !(s.TotalReturn.V < 0) {
			t.Fatalf("%s: total return %v, want a loss", name, s.TotalReturn)
		}
		for fig, v := range map[string]analytics.Value{"sharpe": s.Sharpe, "sortino": s.Sortino, "sharpe_daily": s.SharpeDaily, "sortino_daily": s.SortinoDaily} {
			if !v.Valid || !(v.V < 0) {
				t.Errorf("%s: %s = %v with total return %v and APR %v: want negative", name, fig, v, s.TotalReturn, s.APR)
			}
		}
		if s.DrawdownPeak == nil || !s.DrawdownPeak.Equal(start) {
			t.Errorf("%s: drawdown peak %v, want the capital at %v", name, s.DrawdownPeak, start)
		}
		if !s.ShortWindow || s.ShortWindowBelowDays != analytics.ShortWindowDays {
			t.Errorf("%s: a 30-day window has short_window %v (below %d)", name, s.ShortWindow, s.ShortWindowBelowDays)
		}
	}
	var buf bytes.Buffer
	if err := WriteEquityCSV(&buf, r.Equity, 10000); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	lowest := 0.0
	for _, row := range rows[1:] {
		d, err := strconv.ParseFloat(row[8], 64)
		if err != nil {
			t.Fatal(err)
		}
		lowest = min(lowest, d)
	}
	if lowest != exact.MaxDrawdown.V {
		t.Errorf("equity.csv's lowest drawdown %v, the summary's max drawdown %v", lowest, exact.MaxDrawdown.V)
	}
	t.Logf("total return %.4f%%, APR %.3f%%; Sharpe per hour %.2f, daily %.2f (from E_0, the old series: %+.2f)", exact.TotalReturn.V*100, exact.APR.V*100, exact.Sharpe.V, exact.SharpeDaily.V, oldSharpe)
}
