package democmd

import (
	"fmt"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sim"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// multiYear are the runs over the years of klines: the basis covers only
// the last days (the real endpoint keeps 30), so years of carry are priced
// from candles — the perpetual's against the spot market's, and BTCUSDT's
// current quarter from its continuous candles, rolled at each delivery.
// Their titles say so.
func multiYear(cfg sim.Config, base, roll strategy.Params) []run {
	span := fmt.Sprintf("over %d years (%s → %s)", cfg.Years, cfg.KlinesFrom().Format("2006-01"), cfg.End.Format("2006-01"))
	klines := func(contract data.ContractType) backtest.Spec {
		return backtest.Spec{Symbol: "BTCUSDT", Period: "1h", Contract: contract, Prices: backtest.PricesKlines, Spot: backtest.SpotMarket}
	}
	return []run{
		{"BTCUSDT-perp-years", "BTCUSDT perpetual carry " + span + ", always in — priced from klines: perpetual futures 1h against spot market 1h", klines(data.Perpetual), base},
		{"BTCUSDT-dated-years", "BTCUSDT dated carry " + span + ", current quarter rolled at delivery — priced from continuous klines (CURRENT_QUARTER 1h) against spot market 1h", klines(data.CurrentQuarter), roll},
	}
}
