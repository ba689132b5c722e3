package report

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// syntheticBook is a book over days of hourly points and pairs symbols
// (one listed a third of the way in, one delisted at 70 %), with a BTCUSDT
// market for the benchmarks: made-up but plausible numbers (a seeded
// random walk), for the report's layout, not for its figures.
func syntheticBook(t *testing.T, days, pairs int) *book.Outcome {
	t.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	n := days * 24
	times := make([]time.Time, n)
	for i := range times {
		times[i] = start.Add(time.Duration(i) * time.Hour)
	}
	market := func(sym string, from, to int, level, drift float64) *strategy.Market {
		m := &strategy.Market{Symbol: sym, ContractType: data.Perpetual, Period: data.Period("1h")}
		s := level
		for i := from; i < to; i++ {
			s *= 1 + drift + 0.004*rng.NormFloat64()
			m.Times = append(m.Times, times[i])
			m.Spot = append(m.Spot, s)
			m.Futures = append(m.Futures, s*(1+0.0003))
			if times[i].Hour()%8 == 0 {
				m.Funding = append(m.Funding, strategy.FundingEvent{Instant: times[i], FundingTime: times[i], Rate: 0.0001 * (1 + 2*rng.Float64() - 0.6), IntervalHours: 8})
			}
		}
		return m
	}
	u := &portfolio.Universe{}
	for j := range pairs {
		from, to := 0, n
		if j == 1 {
			from = n / 3
		}
		if j == 2 {
			to = n * 7 / 10
		}
		u.Members = append(u.Members, portfolio.Member{Market: market(fmt.Sprintf("SYM%02dUSDT", j), from, to, 10+float64(j), 0), Delisted: j == 2})
	}
	p := portfolio.DefaultParams()
	res := &portfolio.Result{Universe: u, Params: p, Capital: p.Pair.Capital}
	eq, fund, fees := 10000.0, 0.0, 0.0
	held := []int{0, 3, 4}
	for i, ts := range times {
		traded := 0.0
		if ts.Hour() == 0 {
			held = held[:0]
			for j := range pairs {
				m := u.Members[j].Market
				if !ts.Before(m.Times[0]) && !ts.After(m.Times[len(m.Times)-1]) && rng.Float64() < 5.0/float64(pairs) && len(held) < 5 {
					held = append(held, j)
				}
			}
			traded = 2000 + 1000*rng.Float64()
			fees += traded * 0.00075
			res.Rebalances = append(res.Rebalances, i)
		}
		if ts.Hour()%8 == 0 {
			fund += 0.3 * float64(len(held))
			for _, j := range held {
				res.Settlements = append(res.Settlements, strategy.Settlement{Symbol: u.Members[j].Market.Symbol, SettledAt: ts, Payment: decimal.NewFromFloat(0.3)})
			}
		}
		eq = 10000 + fund - fees + 30*math.Sin(float64(i)/200) + 5*rng.NormFloat64()
		w := make([]float64, pairs)
		for _, j := range held {
			w[j] = 0.95 / float64(len(held)) * (1 + 0.05*rng.NormFloat64())
		}
		if i == n-1 {
			clear(w)
			held = held[:0]
		}
		res.Rows = append(res.Rows, portfolio.BookRow{Time: ts, Equity: decimal.NewFromFloat(eq).Round(6), CumFunding: decimal.NewFromFloat(fund).Round(6),
			CumFees: decimal.NewFromFloat(fees).Round(6), Traded: decimal.NewFromFloat(traded).Round(6), Weights: w, Holdings: len(held)})
	}
	res.FinalEquity = res.Rows[n-1].Equity
	for j, m := range u.Members {
		net := 40 * rng.NormFloat64()
		res.Pairs = append(res.Pairs, portfolio.PairTotals{Symbol: m.Market.Symbol, Funding: decimal.NewFromFloat(math.Abs(net)).Round(4), BasisPnL: decimal.NewFromFloat(net).Round(4),
			Fees: decimal.NewFromFloat(math.Abs(net)).Round(4), Traded: decimal.NewFromFloat(1e4 * rng.Float64()).Round(2), Entries: 3, HeldPoints: n / 5, Delisted: j == 2})
	}
	btc := market("BTCUSDT", 0, n, 60000, 0.0001)
	out, err := book.Summarize(res, book.Setting{Universe: "synthetic", BTC: btc})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestPortfolioReport writes a synthetic book's report and checks that
// every chart is drawn, embedded and listed in the contents. Set
// CARRY_KEEP_REPORT to a directory to keep the files for a look.
func TestPortfolioReport(t *testing.T) {
	for _, c := range []struct {
		name        string
		days, pairs int
	}{{"short and few", 20, 6}, {"long and many", 400, 60}} {
		t.Run(c.name, func(t *testing.T) {
			out := syntheticBook(t, c.days, c.pairs)
			dir := t.TempDir()
			if keep := os.Getenv("CARRY_KEEP_REPORT"); keep != "" {
				dir = filepath.Join(keep, strings.ReplaceAll(c.name, " ", "-"))
			}
			page := PortfolioPage{Title: "carry portfolio", Label: "synthetic", Generated: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Outcome: out}
			if err := WritePortfolio(dir, page, ChartOptions{}); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dir, ReportHTML))
			if err != nil {
				t.Fatal(err)
			}
			html := string(b)
			for _, name := range []string{"equity", "holdings", "contributions", "turnover", "funding"} {
				if _, err := os.Stat(filepath.Join(dir, name+".png")); err != nil {
					t.Errorf("no %s.png: %v", name, err)
				}
			}
			if got := strings.Count(html, `src="data:image/png;base64,`); got != 5 {
				t.Errorf("%d charts embedded, want 5", got)
			}
			for _, want := range []string{`href="#equity"`, `href="#holdings"`, `href="#contributions"`, `href="#turnover"`, `href="#funding"`, "BTCUSDT carry (always in)", "SYM02USDT"} {
				if !strings.Contains(html, want) {
					t.Errorf("report lacks %q", want)
				}
			}
		})
	}
}

// TestContributionBarsMarkDelisted: the contributions chart's bars are by
// net, largest first, a pair the exchange delisted labelled so (held at
// its delisting or not, which contributions.csv's delisted column alone
// says).
func TestContributionBarsMarkDelisted(t *testing.T) {
	pairs := []book.Contribution{{Symbol: "AAAUSDT", Net: "5"}, {Symbol: "DLSTUSDT", Net: "9"}, {Symbol: "CCCUSDT", Net: "-2"}}
	syms, net, _ := contributionBars(pairs, map[string]bool{"DLSTUSDT": true})
	if got := strings.Join(syms, ","); got != "DLSTUSDT (delisted),AAAUSDT,CCCUSDT" || net[0] != 9 || net[2] != -2 {
		t.Errorf("bars %s %v", got, net)
	}
}

// TestPortfolioCounts: one of a thing is singular in the report ("1
// pair", "the last 1 event" was "1 events"); BTC spot held's final
// equity is shown, a missing one as —.
func TestPortfolioCounts(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 pairs"}, {1, "1 pair"}, {2, "2 pairs"}} {
		if got := count(c.n, "pair"); got != c.want {
			t.Errorf("count(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	s := book.Summary{FinalEquity: "1000", BTCCarry: book.BTCCarry{Available: true, FinalEquity: "1100"}, BTCSpot: book.BTCSpot{FinalEquity: "1210"}}
	if rows := benchmarkRows(s); len(rows) != 3 || rows[2].FinalEquity == "—" || !strings.Contains(rows[2].FinalEquity, "1") {
		t.Errorf("rows %+v, want BTC spot held's final equity", rows)
	}
	s.BTCSpot.FinalEquity = ""
	if rows := benchmarkRows(s); rows[2].FinalEquity != "—" {
		t.Errorf("a missing spot final equity: %q, want —", rows[2].FinalEquity)
	}
}
