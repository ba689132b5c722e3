package report

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/strategy/sweep"
)

// The overfitting checks' chart file names, without extension.
const (
	HistogramChart   = "metric-histogram"
	WalkForwardChart = "walk-forward"
)

// fitCharts draws the checks against overfitting: the metric's histogram
// over the combinations (the pick, the raw best and, for a Sharpe metric,
// the luck figure marked) and the walk-forward's stitched equity.
func fitCharts(a *sweep.Analysis, o ChartOptions) ([]Chart, error) {
	var out []Chart
	if h := a.Histogram; h != nil {
		title := fmt.Sprintf("Distribution of %s over the %d combinations", h.Metric, a.Tried)
		if h.Nulls > 0 {
			title += fmt.Sprintf(" (%d null, not shown)", h.Nulls)
		}
		d := chart.HistogramData{Title: title, XLabel: h.Metric, Edges: h.Edges, Counts: h.Counts}
		if p := a.Pick; p != nil && p.Metric != nil {
			d.Marks = append(d.Marks, chart.Mark{Name: "pick", Value: *p.Metric})
			if p.RawBest != p.Index && a.BestMetric() != nil {
				d.Marks = append(d.Marks, chart.Mark{Name: "raw best", Value: *a.BestMetric()})
			}
		}
		if strings.HasPrefix(h.Metric, "sharpe") && a.LuckSharpe != nil {
			d.Marks = append(d.Marks, chart.Mark{Name: "best of N by luck", Value: *a.LuckSharpe})
		}
		b, err := chart.Histogram(d, o)
		if err != nil {
			return nil, fmt.Errorf("drawing the metric's histogram: %w", err)
		}
		out = append(out, Chart{Name: HistogramChart, Caption: title, Format: formatOf(o), Data: b})
	}
	if wf := a.WalkForward; wf != nil && len(wf.Times) > 1 {
		title := fmt.Sprintf("Walk-forward: stitched out-of-sample equity, %d folds (%s), each fold's pick by %s", len(wf.Folds), wf.Mode, wf.Metric)
		d := chart.WalkForwardData{Title: title, Times: wf.Times, Equity: wf.Equity, Capital: wf.Capital}
		for _, f := range wf.Folds {
			d.FoldStarts = append(d.FoldStarts, f.OutFrom)
		}
		b, err := chart.WalkForward(d, o)
		if err != nil {
			return nil, fmt.Errorf("drawing the walk-forward chart: %w", err)
		}
		out = append(out, Chart{Name: WalkForwardChart, Caption: title, Format: formatOf(o), Data: b})
	}
	return out, nil
}

// percentColumns are the results columns that are fractions, shown as %.
var percentColumns = map[string]bool{"total_return": true, "apr": true, "apy": true, "volatility": true, "max_drawdown": true,
	"time_in_market": true, "share_positive_events": true, "worst_margin_ratio": true, "funding_stats_share_positive": true}

// moneyColumns are the results columns in the quote currency.
var moneyColumns = map[string]bool{"capital": true, "final_equity": true, "funding_income": true, "basis_pnl": true, "fees": true,
	"slippage_cost": true, "liquidation_forfeit": true}

// paramColumn says whether a results column is a grid parameter (shown
// as the grid gives it).
func paramColumn(name string) bool {
	switch name {
	case "combination_index", "id", "symbol", "period", "contract", "futures_source", "spot_source", "leverage", "spot_fee", "perp_fee",
		"slippage", "maintenance_margin", "rebalance_below", "risk_free_rate", "trades", "fills", "grid_points":
		return true
	}
	return strings.HasPrefix(name, "rules_")
}

// cell formats a results cell as the backtest report does: fractions as
// % with 2 decimals, money and ratios with 2 decimals, parameters and
// counts as they are, "—" for null.
func cell(column, text string) string {
	if text == "" {
		if paramColumn(column) {
			return "off"
		}
		return "—"
	}
	if paramColumn(column) {
		return text
	}
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return text // text columns, flags
	}
	switch {
	case percentColumns[column] || strings.HasPrefix(column, "volatility"):
		return fmt.Sprintf("%.2f%%", v*100)
	case moneyColumns[column]:
		return fmt.Sprintf("%.2f", v)
	}
	if v == float64(int64(v)) && !strings.ContainsAny(text, ".eE") {
		return text
	}
	return fmt.Sprintf("%.2f", v)
}

func pctp(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f%%", *p*100)
}

func f2p(p *float64) string {
	if p == nil {
		return "—"
	}
	return fmt.Sprintf("%.2f", *p)
}

// metricp formats the ranking metric's value as its column is shown.
func metricp(metric string, p *float64) string {
	if p == nil {
		return "—"
	}
	return cell(metric, strconv.FormatFloat(*p, 'g', -1, 64))
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
