package sweep

import (
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// The metric table is every numeric column of results.csv, in order, and
// each getter reads what the column holds.
func TestMetricTableMatchesTheColumns(t *testing.T) {
	p := strategy.DefaultParams()
	enter, exit := 0.05, 0.0
	p.Rules.FundingEnter, p.Rules.FundingExit, p.Rules.MaxHold = &enter, &exit, 240*time.Hour
	out, err := backtest.Simulate(simLake(t), backtest.Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}, p, 0.02)
	if err != nil {
		t.Fatal(err)
	}
	names, kinds, vals, err := backtest.Columns(out.Summary)
	if err != nil {
		t.Fatal(err)
	}
	var numeric []string
	want := map[string]float64{}
	for i, n := range names {
		if kinds[i] != data.Float && kinds[i] != data.Int {
			continue
		}
		numeric = append(numeric, n)
		want[n] = math.NaN()
		if vals[i] != "" {
			if want[n], err = strconv.ParseFloat(vals[i], 64); err != nil {
				t.Fatalf("column %s: %v", n, err)
			}
		}
	}
	if got := MetricNames(); !slices.Equal(got, numeric) {
		t.Fatalf("metric table %v,\nnumeric columns %v", got, numeric)
	}
	for _, m := range Metrics() {
		got, w := m.Of(&out.Summary), want[m.Name]
		if got != w && !(math.IsNaN(got) && math.IsNaN(w)) {
			t.Errorf("%s: getter %v, column %v", m.Name, got, w)
		}
	}
	var lower []string
	for _, m := range Metrics() {
		if m.LowerIsBetter {
			lower = append(lower, m.Name)
		}
	}
	if want := []string{"volatility", "max_drawdown_duration_days", "volatility_daily", "fees", "slippage_cost", "liquidation_forfeit", "events_missing_mark_price", "turnover"}; !slices.Equal(lower, want) {
		t.Errorf("lower is better: %v, want %v", lower, want)
	}
}
