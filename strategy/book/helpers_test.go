package book

import (
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/portfolio"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var t0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

func hour(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

// handBook is a hand-built two-pair book over five hourly points: AAAUSDT
// present 00:00–04:00 with funding at 01:00 (0.01 %, 8 h) and 03:00 (0.03 %,
// 8 h), BBBUSDT 01:00–04:00 with funding at 02:00 (−0.02 %, 4 h). The
// numbers need not come from the engine: they are what the summary, the
// files and the report are checked against.
func handBook() *portfolio.Result {
	aaa := &strategy.Market{Symbol: "AAAUSDT", ContractType: data.Perpetual, Period: data.Period("1h"),
		Times: []time.Time{hour(0), hour(1), hour(2), hour(3), hour(4)}, Spot: []float64{100, 101, 102, 101, 103}, Futures: []float64{100.1, 101.1, 102.1, 101.1, 103.1},
		Funding: []strategy.FundingEvent{{Instant: hour(1), FundingTime: hour(1), Rate: 0.0001, IntervalHours: 8}, {Instant: hour(3), FundingTime: hour(3), Rate: 0.0003, IntervalHours: 8}}}
	bbb := &strategy.Market{Symbol: "BBBUSDT", ContractType: data.Perpetual, Period: data.Period("1h"),
		Times: []time.Time{hour(1), hour(2), hour(3), hour(4)}, Spot: []float64{10, 10, 10, 10}, Futures: []float64{10, 10, 10, 10},
		Funding: []strategy.FundingEvent{{Instant: hour(2), FundingTime: hour(2), Rate: -0.0002, IntervalHours: 4}}}
	u := &portfolio.Universe{Members: []portfolio.Member{{Market: aaa}, {Market: bbb, Delisted: true}}}
	p := portfolio.DefaultParams()
	p.Pair.Capital = d("1000")
	p.Top = 2
	row := func(h int, eq, cash, fund, fees, basis, traded string, holdings int, w ...float64) portfolio.BookRow {
		return portfolio.BookRow{Time: hour(h), Equity: d(eq), Cash: d(cash), CumFunding: d(fund), CumFees: d(fees), BasisPnL: d(basis), Forfeit: decimal.Zero,
			Traded: d(traded), Weights: w, Holdings: holdings}
	}
	return &portfolio.Result{
		Universe: u, Params: p, Capital: d("1000"), FinalEquity: d("1004"),
		Rows: []portfolio.BookRow{
			row(0, "997", "10", "0", "3", "0", "1000", 1, 0.99, 0),
			row(1, "1001", "10", "0.3", "4", "4.7", "1000", 2, 0.5, 0.49),
			row(2, "1003", "10", "0.5", "4", "6.5", "0", 2, 0.6, 0.4),
			row(3, "1002", "500", "0.7", "4.5", "5.8", "500", 1, 0.99, 0),
			row(4, "1004", "1004", "0.7", "5", "8.3", "500", 0, 0, 0),
		},
		Trades: []portfolio.Trade{
			{Symbol: "AAAUSDT", Trade: strategy.Trade{Time: hour(0), PositionID: 1, Leg: strategy.LegSpot, Side: "buy", Quantity: d("4.95"), Price: d("100.01"), Fee: d("0.495"), Reason: strategy.ReasonEntry}},
			{Symbol: "BBBUSDT", Trade: strategy.Trade{Time: hour(3), PositionID: 1, Leg: strategy.LegPerp, Side: "buy", Quantity: d("24.5"), Price: d("10.001"), Fee: d("0.1225"), Reason: portfolio.ReasonDelist}},
		},
		Settlements: []strategy.Settlement{
			{ID: 1, Symbol: "AAAUSDT", PositionID: 1, FundingRate: d("0.0001"), PositionSize: d("500"), Payment: d("0.3"), SettledAt: hour(1), MarkPrice: d("101.1"), Quantity: d("4.95"), FundingTime: hour(1)},
			{ID: 2, Symbol: "BBBUSDT", PositionID: 1, FundingRate: d("-0.0002"), PositionSize: d("500"), Payment: d("-0.1"), SettledAt: hour(2), MarkPrice: d("10"), Quantity: d("49"), FundingTime: hour(2)},
			{ID: 3, Symbol: "AAAUSDT", PositionID: 1, FundingRate: d("0.0003"), PositionSize: d("500"), Payment: d("0.5"), SettledAt: hour(3), MarkPrice: d("101.1"), Quantity: d("4.95"), FundingTime: hour(3)},
		},
		Pairs: []portfolio.PairTotals{
			{Symbol: "AAAUSDT", Funding: d("0.8"), BasisPnL: d("9.3"), Fees: d("4"), SlippageCost: d("0.2"), Traded: d("2000"), Entries: 1, HeldPoints: 4},
			{Symbol: "BBBUSDT", Funding: d("-0.1"), BasisPnL: d("-1"), Fees: d("1"), SlippageCost: d("0.1"), Traded: d("1000"), Entries: 1, HeldPoints: 2, Delisted: true},
		},
		Rebalances: []int{0, 1, 2},
	}
}
