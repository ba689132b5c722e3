package portfolio_test

import (
	"math"
	"slices"
	"testing"
	"time"

	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

// The hand-computed books of docs/model.md "Portfolios". Every expected
// number in caseWants comes from testdata/cases.py, which runs the spec
// written a second time in exact fractions (testdata/pfmodel.py, written
// from the spec, not from the engine):
//
//	cd strategy/portfolio/testdata && python3 cases.py      # readable
//	cd strategy/portfolio/testdata && python3 cases.py go   # the literals below
//
// The cases whose numbers terminate are compared exactly (tolerance 0);
// the others to 1e-12 (their quantities are rounded to 20 places, and
// rounding noise may move the last digits). The key numbers are also
// worked out by hand in each case's comment.

type rowWant struct {
	h                                                   float64
	equity, cash, funding, fees, basis, forfeit, traded string
	weights                                             []float64
	holdings                                            int
}

type tradeWant struct {
	h               float64
	sym             string
	leg             strategy.Leg
	side            string
	qty, price, fee string
	reason          strategy.Reason
}

type settlementWant struct {
	h         float64
	sym       string
	qty, mark string
	missing   bool
	pay       string
}

type pairWant struct {
	sym                                   string
	funding, basis, fees, forfeit, traded string
	entries, held, liquidated             int
	delisted                              bool
}

type caseWant struct {
	rebalances  []int
	rows        []rowWant
	trades      []tradeWant
	settlements []settlementWant
	pairs       []pairWant
}

func TestHandComputedBooks(t *testing.T) {
	for _, c := range []struct {
		name string
		u    *portfolio.Universe
		p    portfolio.Params
		tol  string
	}{
		{
			// C = 4003, K = 2: A = 0.5·4003 = 2001.5 each. Unit costs
			// (s = 0, L = 1): AAA 100·1.001 + 100·(1 + 0.0005) = 200.15 → q = 10;
			// BBB 50·1.001 + 50·1.0005 = 100.075 → q = 20. Fees at entry
			// 1 + 0.5 + 1 + 0.5 = 3, E_0 = 4000. Funding: AAA at 2,
			// 10·101·0.0002 = 0.202; BBB at 3 without mark: F at 3 = 52.5,
			// 20·52.5·(−0.0001) = −0.105. End at 4: AAA spot 10·100 fee 1,
			// short bought back at 100.5 fee 10·100.5·0.0005 = 0.5025, basis
			// 10·(100 − 100.5) = −5; BBB fees 1 + 0.5. E = 4003 − 6.0025 − 5
			// + 0.202 − 0.105 = 3992.0945.
			name: "two_pairs",
			u: &portfolio.Universe{Members: []portfolio.Member{
				member("AAAUSDT", hours(5), []float64{100, 101, 102, 101, 100}, []float64{100, 101.5, 102, 101, 100.5},
					ev{-8, 0.0001, 100, 8}, ev{2, 0.0002, 101, 8}),
				member("BBBUSDT", hours(5), []float64{50, 50, 51, 52, 50}, []float64{50, 50, 51, 52.5, 50},
					ev{-8, 0.0001, 50, 8}, ev{3, -0.0001, 0, 8}),
			}},
			p:   bookParams("4003", "1", "0.001", "0.0005", "0", 2, 24*time.Hour),
			tol: "0",
		},
		{
			// Signals at 0 (lookback 1, annualized ×1095): AAA 0.3285,
			// CCC 0.219, BBB 0.1095 (≥ 10 % too, but third): AAA and CCC
			// kept, BBB not selected. At 2 the events of 1 are known: AAA
			// 0.3285, CCC 0.00005·1095 = 0.05475, BBB 0.0219: only AAA
			// qualifies; CCC exits, its half stays in cash (n = 1 < K = 2);
			// AAA's weight 0.50034 is inside the band: no trade. Slippage
			// 5 bp: AAA buys at 100.05, the short sells at 99.95.
			name: "three_pairs",
			u: &portfolio.Universe{Members: []portfolio.Member{
				member("AAAUSDT", hours(6), []float64{100, 100, 101, 101, 102, 102}, []float64{100, 100.2, 101, 101.1, 102, 102},
					ev{-8, 0.0003, 100, 8}, ev{1, 0.0003, 100, 8}),
				member("BBBUSDT", hours(6), repeat(6, 50), repeat(6, 50),
					ev{-8, 0.0001, 50, 8}, ev{1, 0.00002, 50, 8}),
				member("CCCUSDT", hours(6), repeat(6, 20), []float64{20, 20.1, 20, 20, 20, 20},
					ev{-8, 0.0002, 20, 8}, ev{1, 0.00005, 20, 8}),
			}},
			p: func() portfolio.Params {
				p := bookParams("10000", "1", "0.001", "0.0005", "0.0005", 2, 2*time.Hour)
				p.MinSignal = f64(0.1)
				return p
			}(),
			tol: "1e-12",
		},
		{
			// AAA's data ends at 3 (delisted): at 3 the position is closed
			// at its last prices with costs, reason delist: spot 10·90 fee
			// 0.9, short bought back at 90.5 fee 10·90.5·0.0005 = 0.4525,
			// basis 10·(90 − 100) + 10·(100 − 90.5) = −5; cash =
			// spot 900 − 0.9 + wallet (1000 + 0.1 funding at 2 + 95 − 0.4525)
			// = 1993.7475. AAA's event at 4 is after it left: not received.
			// BBB goes on; at 4 its weight 0.5008 is inside the band; it
			// closes at 5 (end).
			name: "delisting",
			u: func() *portfolio.Universe {
				a := member("AAAUSDT", hours(4), []float64{100, 100, 100, 90}, []float64{100, 100, 100, 90.5},
					ev{-8, 0.0001, 100, 8}, ev{2, 0.0001, 100, 8}, ev{4, 0.0001, 90, 8})
				a.Delisted = true
				return &portfolio.Universe{Members: []portfolio.Member{a,
					member("BBBUSDT", hours(6), repeat(6, 50), repeat(6, 50), ev{-8, 0.0001, 50, 8}, ev{4, 0.0001, 50, 8}),
				}}
			}(),
			p:   bookParams("4003", "1", "0.001", "0.0005", "0", 2, 2*time.Hour),
			tol: "0",
		},
		{
			// L = 2, C = 6006: unit costs AAA 100.1 + 100·(0.5 + 0.0005) =
			// 150.15 → q = 3003/150.15 = 20, wallet 20·100/2 = 1000; BBB
			// 50.05 + 25.025 = 75.075 → q = 40. At 2 AAA's F = 149.5:
			// M = 1000 + 20·(100 − 149.5) = 10 < 0.004·20·149.5 = 11.96:
			// liquidated, forfeit 10; spot sold 20·149 = 2980, fee 2.98:
			// cash 2977.02, E = 2977.02 + BBB's 3000.2 = 5977.22. BBB goes
			// on. At 4 AAA is selected again: A = E/2 = 2988.61, more than
			// the cash 2977.02, so the entry is scaled to the cash:
			// q = 2977.02/(120·1.001 + 120·0.5005) = 16.5224775…
			name: "liquidation",
			u: &portfolio.Universe{Members: []portfolio.Member{
				member("AAAUSDT", hours(6), []float64{100, 100, 149, 130, 120, 120}, []float64{100, 100, 149.5, 130, 120, 120},
					ev{-8, 0.0001, 100, 8}),
				member("BBBUSDT", hours(6), repeat(6, 50), repeat(6, 50), ev{-8, 0.0001, 50, 8}, ev{1, 0.0001, 50, 8}),
			}},
			p:   bookParams("6006", "2", "0.001", "0.0005", "0", 2, 4*time.Hour),
			tol: "1e-12",
		},
		{
			// No costs, C = 4000: AAA q = 2000/200 = 10, BBB q = 2000/100
			// = 20. At 2 AAA's F = 110: AAA's equity 10·100 + 1000 +
			// 10·(100 − 110) = 1900, E = 3900, |1900/3900 − 0.5| = 0.0128
			// ≤ 0.05: no trade. At 4 (AAA F = 150; BBB S = F = 40): AAA
			// 1000 + 1000 − 500 = 1500, BBB 800 + 1000 + 200 = 2000,
			// E = 3500; |0.4286 − 0.5| and |0.5714 − 0.5| > 0.05: both resized.
			// A = 3500/2 = 1750 each. BBB is above: it sells the fraction
			// (2000 − 1750)/2000 of itself, d = 20·0.125 = 2.5: spot 2.5·40 =
			// 100 to cash; buy back 2.5 at 40, realized 2.5·(50 − 40) = 25;
			// the wallet keeps 17.5/20 of 1000 = 875 and releases 125: cash
			// 100 + 125 + 25 = 250. AAA is below: it spends 1750 − 1500 = 250
			// as an entry would, d = 250/(100 + 150/1) = 1. Cash 0; both
			// weights exactly 0.5 after.
			name: "band",
			u: &portfolio.Universe{Members: []portfolio.Member{
				member("AAAUSDT", hours(7), repeat(7, 100), []float64{100, 100, 110, 110, 150, 150, 150}, ev{-8, 0.0001, 100, 8}),
				member("BBBUSDT", hours(7), []float64{50, 50, 50, 50, 40, 40, 40}, []float64{50, 50, 50, 50, 40, 40, 40}, ev{-8, 0.0001, 50, 8}),
			}},
			p:   bookParams("4000", "1", "0", "0", "0", 2, 2*time.Hour),
			tol: "0",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			want, ok := caseWants[c.name]
			if !ok {
				t.Fatalf("no expected numbers for %s", c.name)
			}
			checkBook(t, mustRun(t, c.u, c.p), want, c.tol)
		})
	}
}

// checkBook compares a result with a case's expected numbers: money to
// tol, weights to 1e-12 (they are float64 ratios), the rest exactly.
func checkBook(t *testing.T, r *portfolio.Result, want caseWant, tol string) {
	t.Helper()
	if !slices.Equal(r.Rebalances, want.rebalances) {
		t.Errorf("rebalances at %v, want %v", r.Rebalances, want.rebalances)
	}
	if len(r.Rows) != len(want.rows) {
		t.Fatalf("%d rows, want %d", len(r.Rows), len(want.rows))
	}
	for i, w := range want.rows {
		g := r.Rows[i]
		if !g.Time.Equal(hr(w.h)) {
			t.Errorf("row %d at %s, want %s", i, g.Time, hr(w.h))
		}
		for _, m := range []struct {
			name string
			got  string
			want string
		}{
			{"equity", g.Equity.String(), w.equity}, {"cash", g.Cash.String(), w.cash},
			{"funding", g.CumFunding.String(), w.funding}, {"fees", g.CumFees.String(), w.fees},
			{"basis P&L", g.BasisPnL.String(), w.basis}, {"forfeit", g.Forfeit.String(), w.forfeit},
			{"traded", g.Traded.String(), w.traded},
		} {
			if !near(dec(m.got), m.want, tol) {
				t.Errorf("row %d (hour %g): %s %s, want %s", i, w.h, m.name, m.got, m.want)
			}
		}
		if len(g.Weights) != len(w.weights) {
			t.Errorf("row %d: %d weights, want %d", i, len(g.Weights), len(w.weights))
		} else {
			for j := range w.weights {
				if math.Abs(g.Weights[j]-w.weights[j]) > 1e-12 {
					t.Errorf("row %d: weight of member %d %v, want %v", i, j, g.Weights[j], w.weights[j])
				}
			}
		}
		if g.Holdings != w.holdings {
			t.Errorf("row %d: %d holdings, want %d", i, g.Holdings, w.holdings)
		}
	}
	if len(r.Trades) != len(want.trades) {
		t.Errorf("%d fills, want %d", len(r.Trades), len(want.trades))
	}
	for i := range min(len(r.Trades), len(want.trades)) {
		g, w := r.Trades[i], want.trades[i]
		if !g.Time.Equal(hr(w.h)) || g.Symbol != w.sym || g.Leg != w.leg || g.Side != w.side || g.Reason != w.reason ||
			!near(g.Quantity, w.qty, tol) || !near(g.Price, w.price, tol) || !near(g.Fee, w.fee, tol) {
			t.Errorf("fill %d: %s %s %s %s q %s at %s fee %s %s, want hour %g %s %s %s q %s at %s fee %s %s", i,
				g.Time.Format(time.RFC3339), g.Symbol, g.Leg, g.Side, g.Quantity, g.Price, g.Fee, g.Reason,
				w.h, w.sym, w.leg, w.side, w.qty, w.price, w.fee, w.reason)
		}
	}
	if len(r.Settlements) != len(want.settlements) {
		t.Errorf("%d settlements, want %d", len(r.Settlements), len(want.settlements))
	}
	for i := range min(len(r.Settlements), len(want.settlements)) {
		g, w := r.Settlements[i], want.settlements[i]
		if !g.SettledAt.Equal(hr(w.h)) || g.Symbol != w.sym || g.MarkMissing != w.missing ||
			!near(g.Quantity, w.qty, tol) || !near(g.MarkPrice, w.mark, tol) || !near(g.Payment, w.pay, tol) {
			t.Errorf("settlement %d: %s %s q %s mark %s (missing %v) paid %s, want hour %g %s q %s mark %s (missing %v) paid %s", i,
				g.SettledAt.Format(time.RFC3339), g.Symbol, g.Quantity, g.MarkPrice, g.MarkMissing, g.Payment,
				w.h, w.sym, w.qty, w.mark, w.missing, w.pay)
		}
	}
	if len(r.Pairs) != len(want.pairs) {
		t.Fatalf("%d pair totals, want %d", len(r.Pairs), len(want.pairs))
	}
	for i, w := range want.pairs {
		g := r.Pairs[i]
		if g.Symbol != w.sym || !near(g.Funding, w.funding, tol) || !near(g.BasisPnL, w.basis, tol) || !near(g.Fees, w.fees, tol) ||
			!near(g.Forfeit, w.forfeit, tol) || !near(g.Traded, w.traded, tol) ||
			g.Entries != w.entries || g.HeldPoints != w.held || g.Liquidated != w.liquidated || g.Delisted != w.delisted {
			t.Errorf("pair %d: %+v, want %+v", i, g, w)
		}
	}
	if last := r.Rows[len(r.Rows)-1]; !r.FinalEquity.Equal(last.Equity) {
		t.Errorf("final equity %s, the last row's %s", r.FinalEquity, last.Equity)
	}
}

// caseWants: generated by `python3 testdata/cases.py go`; do not edit by
// hand (change cases.py and regenerate).
var caseWants = map[string]caseWant{
	"two_pairs": {
		rebalances: []int{0},
		rows: []rowWant{
			{0, "4000", "0", "0", "3", "0", "0", "4000", []float64{0.5, 0.5}, 2},
			{1, "3995", "0", "0", "3", "-5", "0", "0", []float64{0.49937421777221525, 0.5006257822277848}, 2},
			{2, "4000.202", "0", "0.202", "3", "0", "0", "0", []float64{0.5000252487249394, 0.49997475127506064}, 2},
			{3, "3990.097", "0", "0.097", "3", "-10", "0", "0", []float64{0.5012915726108914, 0.4987084273891086}, 2},
			{4, "3992.0945", "3992.0945", "0.097", "6.0025", "-5", "0", "4005", []float64{0.0, 0.0}, 0},
		},
		trades: []tradeWant{
			{0, "AAAUSDT", "spot", "buy", "10", "100", "1", "entry"},
			{0, "AAAUSDT", "perp", "sell", "10", "100", "0.5", "entry"},
			{0, "BBBUSDT", "spot", "buy", "20", "50", "1", "entry"},
			{0, "BBBUSDT", "perp", "sell", "20", "50", "0.5", "entry"},
			{4, "AAAUSDT", "spot", "sell", "10", "100", "1", "end"},
			{4, "AAAUSDT", "perp", "buy", "10", "100.5", "0.5025", "end"},
			{4, "BBBUSDT", "spot", "sell", "20", "50", "1", "end"},
			{4, "BBBUSDT", "perp", "buy", "20", "50", "0.5", "end"},
		},
		settlements: []settlementWant{
			{2, "AAAUSDT", "10", "101", false, "0.202"},
			{3, "BBBUSDT", "20", "52.5", true, "-0.105"},
		},
		pairs: []pairWant{
			{"AAAUSDT", "0.202", "-5", "3.0025", "0", "4005", 1, 4, 0, false},
			{"BBBUSDT", "-0.105", "0", "3", "0", "4000", 1, 4, 0, false},
		},
	},
	"three_pairs": {
		rebalances: []int{0, 2, 4},
		rows: []rowWant{
			{0, "9987.50812047113159241424017805", "-0.00000000000000000007592195", "0", "7.49562734253967742447202195", "-4.9962521863287301612878", "0", "9992.5043726574603225756", []float64{0.5, 0.0, 0.5}, 2},
			{1, "9970.89558195158856462795856805", "-0.00000000000000000007592195", "0.87434413260752777822539", "7.49562734253967742447202195", "-22.4831348384792857257948", "0", "0", []float64{0.5004071304195322, 0.0, 0.4995928695804678}, 2},
			{2, "9982.137773902351498582126229", "4987.634275838836392850575029", "0.87434413260752777822539", "11.242191950762933954167561", "-7.4943782794930952419316", "0", "4996.2521863287301612876", []float64{0.5003440757070413, 0.0, 0.0}, 1},
			{3, "9979.639647809187133501482229", "4987.634275838836392850575029", "0.87434413260752777822539", "11.242191950762933954167561", "-9.9925043726574603225756", "0", "0", []float64{0.5002190006997134, 0.0, 0.0}, 1},
			{4, "9982.137773902351498582126229", "4987.634275838836392850575029", "0.87434413260752777822539", "11.242191950762933954167561", "-7.4943782794930952419316", "0", "0", []float64{0.5003440757070413, 0.0, 0.0}, 1},
			{5, "9975.76818938693612453957959322", "9975.76818938693612453957959322", "0.87434413260752777822539", "15.06368785115065561445731678", "-10.04246689452074762418848", "0", "5096.17723005530476451376", []float64{0.0, 0.0, 0.0}, 0},
		},
		trades: []tradeWant{
			{0, "AAAUSDT", "spot", "buy", "24.98126093164365080644", "100.05", "2.499375156210947263184322", "entry"},
			{0, "AAAUSDT", "perp", "sell", "24.98126093164365080644", "99.95", "1.248438515058891449051839", "entry"},
			{0, "CCCUSDT", "spot", "buy", "124.90630465821825403219", "20.01", "2.4993751562109472631841219", "entry"},
			{0, "CCCUSDT", "perp", "sell", "124.90630465821825403219", "19.99", "1.24843851505889144905173905", "entry"},
			{2, "CCCUSDT", "spot", "sell", "124.90630465821825403219", "19.99", "2.4968770301177828981034781", "exit"},
			{2, "CCCUSDT", "perp", "buy", "124.90630465821825403219", "20.01", "1.24968757810547363159206095", "exit"},
			{5, "AAAUSDT", "spot", "sell", "24.98126093164365080644", "101.949", "2.54681457072013855606575156", "end"},
			{5, "AAAUSDT", "perp", "buy", "24.98126093164365080644", "102.051", "1.27468132966758310422400422", "end"},
		},
		settlements: []settlementWant{
			{1, "AAAUSDT", "24.98126093164365080644", "100", false, "0.7494378279493095241932"},
			{1, "CCCUSDT", "124.90630465821825403219", "20", false, "0.12490630465821825403219"},
		},
		pairs: []pairWant{
			{"AAAUSDT", "0.7494378279493095241932", "-5.04621470819201746290088", "7.56930957165756037252591678", "0", "10092.42941638403492580176", 1, 5, 0, false},
			{"BBBUSDT", "0", "0", "0", "0", "0", 0, 0, 0, false},
			{"CCCUSDT", "0.12490630465821825403219", "-4.9962521863287301612876", "7.4943782794930952419314", "0", "9992.5043726574603225752", 1, 2, 0, false},
		},
	},
	"delisting": {
		rebalances: []int{0, 2, 4},
		rows: []rowWant{
			{0, "4000", "0", "0", "3", "0", "0", "4000", []float64{0.5, 0.5}, 2},
			{1, "4000", "0", "0", "3", "0", "0", "0", []float64{0.5, 0.5}, 2},
			{2, "4000.1", "0", "0.1", "3", "0", "0", "0", []float64{0.5000124996875078, 0.4999875003124922}, 2},
			{3, "3993.7475", "1993.7475", "0.1", "4.3525", "-5", "0", "1805", []float64{0.0, 0.5007827860925108}, 1},
			{4, "3993.8475", "1993.7475", "0.2", "4.3525", "-5", "0", "0", []float64{0.0, 0.5007952857488925}, 1},
			{5, "3992.3475", "3992.3475", "0.2", "5.8525", "-5", "0", "2000", []float64{0.0, 0.0}, 0},
		},
		trades: []tradeWant{
			{0, "AAAUSDT", "spot", "buy", "10", "100", "1", "entry"},
			{0, "AAAUSDT", "perp", "sell", "10", "100", "0.5", "entry"},
			{0, "BBBUSDT", "spot", "buy", "20", "50", "1", "entry"},
			{0, "BBBUSDT", "perp", "sell", "20", "50", "0.5", "entry"},
			{3, "AAAUSDT", "spot", "sell", "10", "90", "0.9", "delist"},
			{3, "AAAUSDT", "perp", "buy", "10", "90.5", "0.4525", "delist"},
			{5, "BBBUSDT", "spot", "sell", "20", "50", "1", "end"},
			{5, "BBBUSDT", "perp", "buy", "20", "50", "0.5", "end"},
		},
		settlements: []settlementWant{
			{2, "AAAUSDT", "10", "100", false, "0.1"},
			{4, "BBBUSDT", "20", "50", false, "0.1"},
		},
		pairs: []pairWant{
			{"AAAUSDT", "0.1", "-5", "2.8525", "0", "3805", 1, 3, 0, true},
			{"BBBUSDT", "0.1", "0", "3", "0", "4000", 1, 5, 0, false},
		},
	},
	"liquidation": {
		rebalances: []int{0, 4},
		rows: []rowWant{
			{0, "6000", "0", "0", "6", "0", "0", "8000", []float64{0.5, 0.5}, 2},
			{1, "6000.2", "0", "0.2", "6", "0", "0", "0", []float64{0.4999833338888704, 0.5000166661111296}, 2},
			{2, "5977.22", "2977.02", "0.2", "8.98", "-10", "10", "5970", []float64{0.0, 0.5019390285115823}, 1},
			{3, "5977.22", "2977.02", "0.2", "8.98", "-10", "10", "0", []float64{0.0, 0.5019390285115823}, 1},
			{4, "5974.2459540459540459540464", "0.0000000000000000004464", "0.2", "11.9540459540459540459536", "-10", "10", "3965.3946053946053946048", []float64{0.49781110066816603, 0.502188899331834}, 2},
			{5, "5968.2719080919080919080928", "5968.2719080919080919080928", "0.2", "17.9280919080919080919072", "-10", "10", "7965.3946053946053946048", []float64{0.0, 0.0}, 0},
		},
		trades: []tradeWant{
			{0, "AAAUSDT", "spot", "buy", "20", "100", "2", "entry"},
			{0, "AAAUSDT", "perp", "sell", "20", "100", "1", "entry"},
			{0, "BBBUSDT", "spot", "buy", "40", "50", "2", "entry"},
			{0, "BBBUSDT", "perp", "sell", "40", "50", "1", "entry"},
			{2, "AAAUSDT", "perp", "buy", "20", "149.5", "0", "liquidation"},
			{2, "AAAUSDT", "spot", "sell", "20", "149", "2.98", "liquidation"},
			{4, "AAAUSDT", "spot", "buy", "16.52247752247752247752", "120", "1.9826973026973026973024", "entry"},
			{4, "AAAUSDT", "perp", "sell", "16.52247752247752247752", "120", "0.9913486513486513486512", "entry"},
			{5, "AAAUSDT", "spot", "sell", "16.52247752247752247752", "120", "1.9826973026973026973024", "end"},
			{5, "AAAUSDT", "perp", "buy", "16.52247752247752247752", "120", "0.9913486513486513486512", "end"},
			{5, "BBBUSDT", "spot", "sell", "40", "50", "2", "end"},
			{5, "BBBUSDT", "perp", "buy", "40", "50", "1", "end"},
		},
		settlements: []settlementWant{
			{1, "BBBUSDT", "40", "50", false, "0.2"},
		},
		pairs: []pairWant{
			{"AAAUSDT", "0", "-10", "11.9280919080919080919072", "10", "17900.7892107892107892096", 2, 3, 1, false},
			{"BBBUSDT", "0.2", "0", "6", "0", "8000", 1, 5, 0, false},
		},
	},
	"band": {
		rebalances: []int{0, 2, 4},
		rows: []rowWant{
			{0, "4000", "0", "0", "0", "0", "0", "4000", []float64{0.5, 0.5}, 2},
			{1, "4000", "0", "0", "0", "0", "0", "0", []float64{0.5, 0.5}, 2},
			{2, "3900", "0", "0", "0", "-100", "0", "0", []float64{0.48717948717948717, 0.5128205128205128}, 2},
			{3, "3900", "0", "0", "0", "-100", "0", "0", []float64{0.48717948717948717, 0.5128205128205128}, 2},
			{4, "3500", "0", "0", "0", "-500", "0", "450", []float64{0.5, 0.5}, 2},
			{5, "3500", "0", "0", "0", "-500", "0", "0", []float64{0.5, 0.5}, 2},
			{6, "3500", "3500", "0", "0", "-500", "0", "4150", []float64{0.0, 0.0}, 0},
		},
		trades: []tradeWant{
			{0, "AAAUSDT", "spot", "buy", "10", "100", "0", "entry"},
			{0, "AAAUSDT", "perp", "sell", "10", "100", "0", "entry"},
			{0, "BBBUSDT", "spot", "buy", "20", "50", "0", "entry"},
			{0, "BBBUSDT", "perp", "sell", "20", "50", "0", "entry"},
			{4, "BBBUSDT", "spot", "sell", "2.5", "40", "0", "resize"},
			{4, "BBBUSDT", "perp", "buy", "2.5", "40", "0", "resize"},
			{4, "AAAUSDT", "spot", "buy", "1", "100", "0", "resize"},
			{4, "AAAUSDT", "perp", "sell", "1", "150", "0", "resize"},
			{6, "AAAUSDT", "spot", "sell", "11", "100", "0", "end"},
			{6, "AAAUSDT", "perp", "buy", "11", "150", "0", "end"},
			{6, "BBBUSDT", "spot", "sell", "17.5", "40", "0", "end"},
			{6, "BBBUSDT", "perp", "buy", "17.5", "40", "0", "end"},
		},
		settlements: []settlementWant{},
		pairs: []pairWant{
			{"AAAUSDT", "0", "-500", "0", "0", "5000", 1, 6, 0, false},
			{"BBBUSDT", "0", "0", "0", "0", "3600", 1, 6, 0, false},
		},
	},
}
