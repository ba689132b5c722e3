package democmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/report"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/book"
	"github.com/carry-research/carry/strategy/portfolio"
)

// day is the demo book's rebalance period: at 00:00 UTC.
const day = 24 * time.Hour

// demoBook is the demo's portfolio: every perpetual of the simulated lake
// over the years of klines (all-history: the delisted one included),
// ranked daily by the mean annualized funding of its last 9 events (three
// days of 8-hourly funding: the last 3 alone make the top 3 churn daily,
// and the fees eat half the funding — measured), the top 3 at or above
// 5%/year held in equal weights, resized only beyond a 5% band. Every pair is priced as the multi-year runs are, from klines:
// perpetual futures 1h against the spot market's 1h candles; SOLUSDT,
// whose years of klines the demo does not backfill, is left out and the
// report says so.
func demoBook() book.Spec {
	p := portfolio.DefaultParams()
	minSignal := 0.05
	p.Signal, p.Lookback, p.Top, p.MinSignal, p.Weights = portfolio.SignalFunding, 9, 3, &minSignal, portfolio.WeightEqual
	p.Rebalance, p.Band = portfolio.Schedule{Every: day}, 0.05
	return book.Spec{
		Universe: book.UniverseSpec{AllHistory: true, Period: "1h", Prices: backtest.PricesKlines, Spot: backtest.SpotMarket},
		Params:   p,
	}
}

// demoPortfolio runs the demo's book into out/portfolio as `carry
// portfolio` does (its files and report), prints its line, and returns its
// brief for the demo's main report.
func demoPortfolio(ctx context.Context, o *Options, lake *lake.Lake) (report.PortfolioBrief, error) {
	dir := filepath.Join(o.Out, "portfolio")
	if err := os.RemoveAll(dir); err != nil {
		return report.PortfolioBrief{}, fmt.Errorf("clearing the demo portfolio %s: %w", dir, err)
	}
	out, err := book.Run(ctx, lake, demoBook())
	if err != nil {
		return report.PortfolioBrief{}, fmt.Errorf("demo portfolio: %w", err)
	}
	if err := book.WriteRun(dir, out); err != nil {
		return report.PortfolioBrief{}, err
	}
	page := report.PortfolioPage{Title: "carry demo portfolio — a cross-sectional carry book on a " + Label, Label: Label, Generated: o.Now(), Outcome: out}
	if err := report.WritePortfolio(dir, page, report.ChartOptions{}); err != nil {
		return report.PortfolioBrief{}, err
	}
	s := out.Summary
	fmt.Fprintf(o.IO.Out, "Portfolio: %d pairs (%d delisted), top %d by funding: final equity %.2f, APR %s, Sharpe (daily) %s, max drawdown %s, %s pairs held on average. Report: %s\n",
		s.Members, s.Delisted, s.Top, mustFloat(s.FinalEquity), orDash(s.APR, 100, "%.2f%%"), orDash(s.SharpeDaily, 1, "%.2f"), orDash(s.MaxDrawdown, 100, "%.2f%%"),
		orDash(s.AverageHoldings, 1, "%.2f"), filepath.Join(dir, report.ReportHTML))
	return report.PortfolioBrief{Href: "portfolio/" + report.ReportHTML, Outcome: out}, nil
}
