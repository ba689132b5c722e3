//go:build !race

// A year of a simulated universe backfilled is too slow under the race
// detector on two cores: `make test-pipeline` runs it without.

package portfoliocmd

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/cmdutil"
	"github.com/carry-research/carry/internal/iostreams"
	"github.com/carry-research/carry/internal/sim"
)

// simulatedLake backfills, through the fake exchange (no network), a
// simulated market of a year of hourly klines and funding: BTCUSDT and
// ETHUSDT with the universe's seven perpetuals (sim.Universe: DLSTUSDT
// delisted five months before the end), and 30 days of basis of
// BTCUSDT, ETHUSDT and SOLUSDT.
func simulatedLake(t *testing.T) string {
	t.Helper()
	c := sim.DefaultConfig(time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC), 30, 11)
	c.Years, c.UniversePairs = 1, sim.Universe()
	c.QuarterlyPairs = nil // a book trades perpetuals only
	ex, err := sim.NewExchange(c)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lk, err := lake.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sim.Backfill(context.Background(), c, lk, "http://simulated.invalid", ex.Transport()); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runPortfolio runs `carry portfolio args…` on the lake and returns its
// console output.
func runPortfolio(t *testing.T, lakeDir string, args ...string) (string, error) {
	t.Helper()
	return runPortfolioTTY(t, lakeDir, false, args...)
}

// runPortfolioTTY is runPortfolio with stderr a terminal or not.
func runPortfolioTTY(t *testing.T, lakeDir string, tty bool, args ...string) (string, error) {
	t.Helper()
	io, _, out, errOut := iostreams.Test()
	io.SetStderrTTY(tty)
	f := &cmdutil.Factory{IO: io, Now: func() time.Time { return time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC) }, Getenv: func(string) string { return "" }}
	cmd := NewCmdPortfolio(f, nil)
	cmd.SetArgs(append([]string{"--data", lakeDir}, args...))
	cmd.SetOut(io.Out)
	cmd.SetErr(io.ErrOut)
	err := cmd.Execute()
	return out.String() + errOut.String(), err
}

// TestPortfolioEndToEnd runs `carry portfolio` as the issue writes it on a
// simulated lake, and checks every file it writes (its header, the P&L
// identity of equity.csv's last row exact in decimal, each chart a PNG),
// that a list of symbols runs, and that an unknown symbol is an error
// naming it.
func TestPortfolioEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("backfills a simulated year")
	}
	lakeDir := simulatedLake(t)

	t.Run("the issue's flags", func(t *testing.T) {
		out := t.TempDir()
		console, err := runPortfolio(t, lakeDir, "--universe", "all-history", "--signal", "funding", "--lookback", "3", "--top", "5", "--min-signal", "5%",
			"--weights", "equal", "--rebalance", "1d", "--out", out)
		if err != nil {
			t.Fatalf("%v\n%s", err, console)
		}
		if !strings.Contains(console, "Report: "+filepath.Join(out, "report.html")) {
			t.Errorf("console:\n%s", console)
		}
		// The headers, as docs/portfolio.md lists the columns; holdings.csv
		// has a column per member, sorted.
		headers := map[string]string{
			"contributions.csv": "symbol,funding,basis_pnl,fees,slippage_cost,liquidation_forfeit,net,share,traded_notional,entries,held_share,mean_weight,liquidations,delisted",
			"equity.csv":        "time,equity,cash,cum_funding,cum_fees,basis_pnl,forfeit,traded,holdings,drawdown",
			"ledger.csv":        "time,symbol,position_id,funding_time,rate,mark_price,mark_price_missing,quantity,position_size,payment",
			"trades.csv":        "time,symbol,position_id,leg,side,quantity,price,fee,reason",
			"summary.csv":       "universe,members,delisted_members,period,from,to,grid_points,",
		}
		for name, want := range headers {
			lines := readLines(t, filepath.Join(out, name))
			if len(lines) < 2 || !strings.HasPrefix(lines[0], want) {
				t.Errorf("%s: %d lines, header %q, want %q and rows", name, len(lines), first(lines), want)
			}
		}
		sum := readSummary(t, out)
		holdings := readLines(t, filepath.Join(out, "holdings.csv"))
		if want := "time," + strings.Join(sum.symbols(), ","); len(holdings) < 2 || holdings[0] != want {
			t.Errorf("holdings.csv header %q, want %q", first(holdings), want)
		}
		// BTCUSDT, with a year of candles and 30 days of basis, is priced
		// by its candles under --prices auto (it was once skipped).
		if sum.Universe != "all-history" || sum.Delisted != 1 || !sum.has(sim.DelistedSymbol) || !slices.Contains(sum.symbols(), "BTCUSDT") || sum.Top != 5 || sum.Lookback != 3 || sum.MinSignal == nil || *sum.MinSignal != 0.05 {
			t.Errorf("summary.json: universe %s, %d delisted, members %v, top %d, lookback %d, min signal %v", sum.Universe, sum.Delisted, sum.symbols(), sum.Top, sum.Lookback, sum.MinSignal)
		}
		checkIdentity(t, filepath.Join(out, "equity.csv"), sum.Capital.String())
		for _, png := range []string{"equity.png", "holdings.png", "contributions.png", "turnover.png", "funding.png"} {
			b, err := os.ReadFile(filepath.Join(out, png))
			if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) {
				t.Errorf("%s: not a PNG (%v)", png, err)
			}
		}
		html, err := os.ReadFile(filepath.Join(out, "report.html"))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(html), "data:image/png;base64,"); n < 5 || !strings.Contains(string(html), sim.DelistedSymbol) {
			t.Errorf("report.html: %d charts, want 5 or more, and %s named", n, sim.DelistedSymbol)
		}
	})

	t.Run("a list of symbols", func(t *testing.T) {
		// Default flags (--prices auto): BTCUSDT and ETHUSDT have a year of
		// candles and 30 days of basis; each is priced by its candles. On
		// a terminal, a status line says what is being done, and is
		// erased before the summary.
		out := t.TempDir()
		console, err := runPortfolioTTY(t, lakeDir, true, "--universe", "BTCUSDT,ETHUSDT", "--top", "1", "--out", out)
		if err != nil {
			t.Fatalf("%v\n%s", err, console)
		}
		if !strings.Contains(console, "\r\033[Kloading 2 pairs…") || !strings.Contains(console, "running the book over 2 pairs…") || !strings.HasSuffix(console, "\r\033[K") {
			t.Errorf("no status line, or one left shown:\n%q", console)
		}
		if sum := readSummary(t, out); sum.Universe != "BTCUSDT,ETHUSDT" || strings.Join(sum.symbols(), ",") != "BTCUSDT,ETHUSDT" {
			t.Errorf("universe %s, members %v; want BTCUSDT and ETHUSDT", sum.Universe, sum.symbols())
		}
		checkIdentity(t, filepath.Join(out, "equity.csv"), readSummary(t, out).Capital.String())
	})

	t.Run("a different run into the same --out", func(t *testing.T) {
		// As carry backtest: the same flags again rewrite the directory, a
		// different run is refused (its files would stay beside this
		// run's) before any work, naming --force.
		out := t.TempDir()
		args := []string{"--universe", "BTCUSDT,ETHUSDT", "--top", "1", "--out", out}
		if console, err := runPortfolio(t, lakeDir, args...); err != nil {
			t.Fatalf("%v\n%s", err, console)
		}
		if _, err := os.Stat(filepath.Join(out, ".carry-portfolio.json")); err != nil {
			t.Errorf("no manifest: %v", err)
		}
		if console, err := runPortfolio(t, lakeDir, args...); err != nil {
			t.Errorf("the same run again: %v\n%s", err, console)
		}
		_, err := runPortfolio(t, lakeDir, "--universe", "BTCUSDT,ETHUSDT", "--top", "2", "--out", out)
		var fe *cmdutil.FlagError
		if err == nil || !errors.As(err, &fe) || !strings.Contains(err.Error(), "--force") {
			t.Errorf("a different run: %v, want a flag error naming --force", err)
		}
	})

	t.Run("an unknown symbol", func(t *testing.T) {
		_, err := runPortfolio(t, lakeDir, "--universe", "BTCUSDT,NOPEUSDT", "--out", t.TempDir())
		if err == nil || !strings.Contains(err.Error(), "NOPEUSDT") {
			t.Errorf("err = %v, want one naming NOPEUSDT", err)
		}
	})
}

// e2eSummary is what the test reads of summary.json.
type e2eSummary struct {
	Universe      string      `json:"universe"`
	Delisted      int         `json:"delisted_members"`
	Top           int         `json:"top"`
	Lookback      int         `json:"lookback"`
	MinSignal     *float64    `json:"min_signal"`
	Capital       json.Number `json:"capital"` // exact, as written
	Contributions []struct {
		Symbol   string `json:"symbol"`
		Delisted bool   `json:"delisted"`
	} `json:"contributions"`
}

func (s e2eSummary) symbols() []string {
	var out []string
	for _, c := range s.Contributions {
		out = append(out, c.Symbol)
	}
	return out
}

// has says sym is a member, delisted.
func (s e2eSummary) has(sym string) bool {
	for _, c := range s.Contributions {
		if c.Symbol == sym {
			return c.Delisted
		}
	}
	return false
}

func readSummary(t *testing.T, dir string) e2eSummary {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var s e2eSummary
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return s
}

// checkIdentity: equity.csv's last row holds docs/model.md's identity of
// the book, E − C = Σ funding + Σ basis P&L − Σ fees − Σ forfeit, exactly
// in decimal (no tolerance: the exact ledger writes exact decimals).
func checkIdentity(t *testing.T, path, capital string) {
	t.Helper()
	lines := readLines(t, path)
	if len(lines) < 2 {
		t.Fatalf("%s: %d lines", path, len(lines))
	}
	col := map[string]int{}
	for i, h := range strings.Split(lines[0], ",") {
		col[h] = i
	}
	last := strings.Split(lines[len(lines)-1], ",")
	d := func(name string) decimal.Decimal {
		v, err := decimal.NewFromString(last[col[name]])
		if err != nil {
			t.Fatalf("%s: %s %q: %v", path, name, last[col[name]], err)
		}
		return v
	}
	lhs := d("equity").Sub(decimal.RequireFromString(capital))
	rhs := d("cum_funding").Add(d("basis_pnl")).Sub(d("cum_fees")).Sub(d("forfeit"))
	if !lhs.Equal(rhs) {
		t.Errorf("%s's last row: equity − capital = %s, funding + basis − fees − forfeit = %s", path, lhs, rhs)
	}
	if lhs.IsZero() {
		t.Errorf("%s: the book earned exactly nothing: the identity proves little", path)
	}
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		out = append(out, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func first(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return lines[0]
}
