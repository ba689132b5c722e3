package backtest

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// tearSheetRun is a hand-made run on a daily grid 2026-03-01 … 03-05: the
// equity after each point (9,990 after the entry's costs at the first),
// spot 100 → 120, three settlements, two of them received.
func tearSheetRun() *strategy.Result {
	times := make([]time.Time, 5)
	for i := range times {
		times[i] = t0.AddDate(0, 0, i)
	}
	m := &strategy.Market{Symbol: "BTCUSDT", ContractType: data.Perpetual, Period: "1d", Times: times,
		Spot: []float64{100, 110, 99, 105, 120}, Futures: []float64{101, 111, 100, 106, 121}}
	for h := 0; h <= 96; h += 8 {
		m.Funding = append(m.Funding, strategy.FundingEvent{Instant: t0.Add(time.Duration(h) * time.Hour), Rate: 0.0001, IntervalHours: 8})
	}
	p := strategy.DefaultParams()
	p.Capital = decimal.NewFromInt(10000)
	r := &strategy.Result{Market: m, Params: p}
	for i, e := range []int64{9990, 10010, 10020, 10015, 10040} {
		r.Equity = append(r.Equity, strategy.EquityRow{Time: times[i], Equity: decimal.NewFromInt(e)})
	}
	for _, pay := range []string{"1", "-0.5", "2"} {
		r.Settlements = append(r.Settlements, strategy.Settlement{Payment: decimal.RequireFromString(pay)})
	}
	return r
}

// TestTearSheetOf: the daily equity is 10,000 (C, not the 9,990 after the
// entry), 10,010, 10,020, 10,015, 10,040. Expected figures by hand, the
// correlation and beta with python3's statistics.correlation and
// covariance/variance of the daily returns against spot's (0.1, −0.1,
// 0.0606, 0.1429).
func TestTearSheetOf(t *testing.T) {
	ts := TearSheetOf(tearSheetRun(), 0.05)
	if ts.DailyReturns != 4 || len(ts.Series.DailyEquity) != 5 || ts.Series.DailyEquity[0] != 10000 {
		t.Fatalf("daily %v", ts.Series.DailyEquity)
	}
	cases := []struct {
		name string
		got  analytics.Value
		want float64
		tol  float64
	}{
		// March is partial (the window ends on the 5th): 10,040/10,000 − 1.
		{"March", ts.MonthlyReturns[0].Months[2], 0.004, 1e-15},
		{"2026", ts.YearlyReturns[0].Return, 0.004, 1e-15},
		{"best day", ts.BestDay.Return, 25.0 / 10015, 1e-15},
		{"worst day", ts.WorstDay.Return, -5.0 / 10020, 1e-15},
		{"worst drawdown", ts.WorstDrawdowns[0].Depth, -5.0 / 10020, 1e-15},
		// One day of four under water (the 4th ends below 10,020), 2 days
		// from the peak on the 3rd to the recovery on the 5th.
		{"time under water", ts.TimeUnderWater, 0.25, 0},
		{"longest", ts.LongestUnderWaterDays, 2, 0},
		{"recovery factor", ts.RecoveryFactor, 0.004 / (5.0 / 10020), 1e-12},
		// python3: (0.001 + 10/10010 + 25/10015) / (5/10020).
		{"omega", ts.Omega, 9.008494257614577, 1e-9},
		// k = ⌈0.05·4⌉ = 1: the worst day.
		{"VaR", ts.VaR95, -5.0 / 10020, 1e-15},
		{"CVaR", ts.CVaR95, -5.0 / 10020, 1e-15},
		{"hit rate", ts.FundingHitRate, 2.0 / 3, 1e-15},
		{"spot total", ts.Benchmark.SpotTotalReturn, 0.2, 1e-15},
		{"spot APR", ts.Benchmark.SpotAPR, 0.2 * 365 / 4, 1e-12},
		{"spot drawdown", ts.Benchmark.SpotMaxDrawdown, 99.0/110 - 1, 1e-15},
		{"risk-free", ts.Benchmark.RiskFreeTotalReturn, 0.05 * 4 / 365, 1e-15},
		{"correlation", ts.Benchmark.Correlation, 0.3166975863343343, 1e-9},
		{"beta", ts.Benchmark.Beta, 0.003652105745167505, 1e-12},
	}
	for _, c := range cases {
		if !c.got.Valid || math.Abs(c.got.V-c.want) > c.tol {
			t.Errorf("%s = %+v, want %v", c.name, c.got, c.want)
		}
	}
	if ts.BestDay.Day != "2026-03-04" || ts.WorstDay.Day != "2026-03-03" || ts.BestMonth.Month != 3 || !ts.BestMonth.Partial {
		t.Errorf("best day %+v worst %+v best month %+v", ts.BestDay, ts.WorstDay, ts.BestMonth)
	}
	d := ts.WorstDrawdowns[0]
	if len(ts.WorstDrawdowns) != 1 || !d.Start.Equal(t0.AddDate(0, 0, 2)) || !d.Trough.Equal(t0.AddDate(0, 0, 3)) || d.Recovery == nil || !d.Recovery.Equal(t0.AddDate(0, 0, 4)) {
		t.Errorf("drawdowns %+v", ts.WorstDrawdowns)
	}
	// Four days of returns: the 30-day figures and the rolling funding
	// (7 and 30 days) are undefined everywhere; the 13 events of the window
	// (every 8h over 4 days, ends included) are there.
	for _, v := range append(append(ts.Series.RollingSharpe, ts.Series.FundingAPR7...), ts.Series.FundingAPR30...) {
		if v.Valid {
			t.Errorf("a rolling figure over 4 days: %v", v.V)
		}
	}
	if len(ts.Series.FundingTimes) != 13 || len(ts.Series.FundingAPR7) != 13 || math.Abs(ts.Series.FundingAnnualized[0]-0.1095) > 1e-15 {
		t.Errorf("funding series %d events, %v", len(ts.Series.FundingTimes), ts.Series.FundingAnnualized)
	}
	// Spot bought and held with 10,000, and the risk-free line.
	if s := ts.Series.Spot; s[0] != 10000 || s[4] != 12000 || ts.Series.RiskFree[0] != 10000 {
		t.Errorf("benchmark lines %v %v", s, ts.Series.RiskFree)
	}
}

// TestSummaryJSONHasTheTearSheet: summary.json is the summary's keys, each
// unchanged, plus "tear_sheet"; summary.csv gains no column.
func TestSummaryJSONHasTheTearSheet(t *testing.T) {
	r := tearSheetRun()
	s, err := SummaryOf(r, 0.05)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := WriteRun(dir, r, s); err != nil {
		t.Fatal(err)
	}
	var file map[string]json.RawMessage
	b, _ := os.ReadFile(filepath.Join(dir, SummaryJSON))
	if err := json.Unmarshal(b, &file); err != nil {
		t.Fatal(err)
	}
	var ts map[string]any
	if err := json.Unmarshal(file["tear_sheet"], &ts); err != nil {
		t.Fatalf("tear_sheet: %v in %s", err, b)
	}
	if ts["daily_returns"] != 4.0 || ts["var_95"] == nil || ts["benchmark"].(map[string]any)["beta"] == nil {
		t.Errorf("tear_sheet %v", ts)
	}
	delete(file, "tear_sheet")
	alone, _ := json.Marshal(s)
	got, _ := json.Marshal(file)
	var gotMap map[string]any
	var wantMap map[string]any
	json.Unmarshal(got, &gotMap)
	json.Unmarshal(alone, &wantMap)
	if !reflect.DeepEqual(gotMap, wantMap) {
		t.Errorf("summary.json's other keys differ from the summary's:\n%s\n%s", got, alone)
	}
	rows := readCSV(t, filepath.Join(dir, SummaryCSV))
	if contains(rows[0], "tear_sheet") || len(rows[0]) != len(cols(t, s)) {
		t.Errorf("summary.csv columns %v", rows[0])
	}
}

func cols(t *testing.T, s Summary) []string {
	c, _, _, err := Columns(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
