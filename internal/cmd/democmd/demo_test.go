//go:build !race

// The whole pipeline is too slow under the race detector on two cores:
// `make test-pipeline` runs it without.

package democmd

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/sim"
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
	if len(st) != 57 {
		t.Fatalf("%d series, want 57 (3 pairs × 3 contracts + 3 funding, BTCUSDT and ETHUSDT × 4 kline kinds, BTCUSDT's 2 continuous quarterlies; 7 universe pairs × (4 kline kinds + funding))", len(st))
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
	checkLinks(t, string(html), dir)
	checkPortfolio(t, dir, out.String(), string(html))
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
		"sweep/results.csv", "sweep/results.parquet", "sweep/heatmap.png", "sweep/sensitivity.png", "sweep/analysis.json", "sweep/report.html",
		"portfolio/summary.json", "portfolio/summary.csv", "portfolio/contributions.csv", "portfolio/holdings.csv", "portfolio/trades.csv", "portfolio/ledger.csv",
		"portfolio/equity.csv", "portfolio/report.html", "portfolio/equity.png", "portfolio/holdings.png", "portfolio/contributions.png", "portfolio/turnover.png", "portfolio/funding.png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("missing %s", f)
		}
	}
}

// checkPortfolio: the demo's book ran over the simulated universe with
// its delisted symbol (sim.DelistedSymbol in its contributions, delisted)
// priced from klines against the spot market, BTCUSDT carry beside it;
// the console and the main report give its figures and link its report.
func checkPortfolio(t *testing.T, dir, console, html string) {
	t.Helper()
	var sum struct {
		Members       int    `json:"members"`
		Delisted      int    `json:"delisted_members"`
		Universe      string `json:"universe"`
		Contributions []struct {
			Symbol   string `json:"symbol"`
			Delisted bool   `json:"delisted"`
		} `json:"contributions"`
		BTC struct {
			Available bool `json:"available"`
		} `json:"btc_carry"`
	}
	b, err := os.ReadFile(filepath.Join(dir, "portfolio", "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &sum); err != nil {
		t.Fatal(err)
	}
	// BTCUSDT, ETHUSDT and the 7 universe pairs; SOLUSDT has no years
	// of klines to price it against the spot market.
	if sum.Universe != "all-history" || sum.Members != 9 || sum.Delisted != 1 || !sum.BTC.Available {
		t.Errorf("portfolio universe %s: %d members, %d delisted, BTCUSDT carry %v; want all-history, 9, 1, true", sum.Universe, sum.Members, sum.Delisted, sum.BTC.Available)
	}
	found := false
	for _, c := range sum.Contributions {
		if c.Symbol == sim.DelistedSymbol {
			found = c.Delisted
		}
	}
	if !found {
		t.Errorf("%s is not a delisted member of the portfolio's universe", sim.DelistedSymbol)
	}
	if !strings.Contains(console, "Portfolio: 9 pairs (1 delisted)") {
		t.Errorf("the console lacks the portfolio's line:\n%s", console)
	}
	if !strings.Contains(html, `<a href="portfolio/report.html">`) || !strings.Contains(html, `id="portfolio-vs-btc"`) || !strings.Contains(html, sim.DelistedSymbol+" was ") {
		t.Error("the report does not show the portfolio's brief: its link, its figures beside BTCUSDT carry, its delisting")
	}
}

// checkLinks: the demo's report opens with contents linking each run's
// section and the sweep; it links the sweep's own report, and shows the
// sweep's luck and out-of-sample figures beside its heatmap. Every in-page
// link lands on an id of the page; the sweep's report has contents too.
func checkLinks(t *testing.T, html, dir string) {
	t.Helper()
	ids := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		ids[m[1]] = true
	}
	var inPage []string
	for _, m := range regexp.MustCompile(`<a href="([^"]*)"`).FindAllStringSubmatch(html, -1) {
		if target, ok := strings.CutPrefix(m[1], "#"); ok {
			inPage = append(inPage, target)
			if !ids[target] {
				t.Errorf("link to #%s: no such id", target)
			}
		}
	}
	for _, run := range []string{"BTCUSDT", "ETHUSDT", "SOLUSDT", "BTCUSDT-funding-rule", "BTCUSDT-dated-roll", "SOLUSDT-3x", "SOLUSDT-3x-rebalanced", "BTCUSDT-perp-years", "BTCUSDT-dated-years"} {
		if !slices.Contains(inPage, "run-"+run) {
			t.Errorf("the contents do not link the run %s", run)
		}
	}
	if !slices.Contains(inPage, "portfolio") {
		t.Error("the contents do not link the portfolio's section")
	}
	if !slices.Contains(inPage, "extra") || !strings.Contains(html, `<a href="sweep/report.html">`) {
		t.Error("the report does not link the sweep's section and its report")
	}
	for _, id := range []string{"sweep-luck", "sweep-oos", "sweep-pick"} {
		if !ids[id] {
			t.Errorf("the sweep's brief lacks #%s", id)
		}
	}
	if !strings.Contains(html, "by luck alone") || !strings.Contains(html, "out-of-sample</th>") {
		t.Error("the sweep's luck and out-of-sample figures are not shown")
	}
	sw, err := os.ReadFile(filepath.Join(dir, "sweep", "report.html"))
	if err != nil || !strings.Contains(string(sw), `<nav class="toc" id="contents"`) {
		t.Errorf("the sweep's report has no contents (%v)", err)
	}
}
