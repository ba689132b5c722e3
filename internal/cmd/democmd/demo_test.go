//go:build !race

// The whole pipeline is too slow under the race detector on two cores:
// `make test-pipeline` runs it without.

package democmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/iostreams"
)

func TestDemoRunsThePipeline(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole demo")
	}
	io, _, out, _ := iostreams.Test()
	dir := t.TempDir()
	o := &Options{IO: io, Out: dir, Seed: 7, Days: 40, Years: 2, End: time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), Now: time.Now}
	if err := demoRun(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "simulated market") || !strings.Contains(out.String(), "report.html") {
		t.Errorf("output:\n%s", out)
	}
	lake, _ := lake.Open(filepath.Join(dir, "lake"))
	st, err := lake.Status()
	if err != nil {
		t.Fatal(err)
	}
	if len(st) != 22 {
		t.Fatalf("%d series, want 22 (3 pairs × 3 contracts + 3 funding, BTCUSDT and ETHUSDT × 4 kline kinds, BTCUSDT's 2 continuous quarterlies)", len(st))
	}
	for _, s := range st {
		if s.Rows == 0 || s.Missing != 0 {
			t.Errorf("%s %s: %d rows, %d missing", s.Dataset, s.Series, s.Rows, s.Missing)
		}
		if s.Symbol == "SOLUSDT" && s.Cadence != "4h" {
			t.Errorf("SOLUSDT funding cadence %s, want 4h", s.Cadence)
		}
	}
	html, err := os.ReadFile(filepath.Join(dir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(html), "simulated market"); n < 10 {
		t.Errorf("the report says simulated market %d times", n)
	}
	for _, run := range []string{"BTCUSDT-perp-years", "BTCUSDT-dated-years"} {
		var sum struct {
			From          string `json:"from"`
			To            string `json:"to"`
			FuturesSource string `json:"futures_source"`
			SpotSource    string `json:"spot_source"`
		}
		b, err := os.ReadFile(filepath.Join(dir, run, "summary.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &sum); err != nil {
			t.Fatal(err)
		}
		from, _ := time.Parse(time.RFC3339, sum.From)
		to, _ := time.Parse(time.RFC3339, sum.To)
		if to.Sub(from) < 2*365*24*time.Hour || !strings.HasPrefix(sum.FuturesSource, "klines") || sum.SpotSource != "klines spot 1h" {
			t.Errorf("%s: %s → %s, priced from %q and %q; want two years of klines against spot", run, sum.From, sum.To, sum.FuturesSource, sum.SpotSource)
		}
	}
	if !strings.Contains(string(html), "BTCUSDT perpetual carry over 2 years") || !strings.Contains(string(html), "priced from continuous klines") {
		t.Error("the report does not title the multi-year runs")
	}
	for _, f := range []string{"BTCUSDT/equity.png", "BTCUSDT-perp-years/equity.png", "BTCUSDT-dated-years/basis.png", "BTCUSDT-dated-roll/trades.csv", "SOLUSDT-3x/summary.json", "comparison.csv", "ranking.png",
		"sweep/results.csv", "sweep/results.parquet", "sweep/heatmap.png", "sweep/sensitivity.png", "sweep/analysis.json", "sweep/report.html"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}
