package report

import (
	"fmt"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
)

// metaOf is the chart metadata of a run.
func metaOf(r *strategy.Result, label string) chart.Meta {
	m := r.Market
	return chart.Meta{Symbol: m.Symbol, Contract: string(m.ContractType), Period: string(m.Period),
		From: m.Times[0], To: m.Times[len(m.Times)-1], Label: label}
}

// RunCharts draws a run's charts: equity and drawdown, funding per event
// (perpetuals), annualized basis with trades, P&L attribution, and the
// distributions of funding rates and period returns.
func RunCharts(r *strategy.Result, label string, o ChartOptions) ([]Chart, error) {
	meta := metaOf(r, label)
	m := r.Market
	n := len(r.Equity)
	times := make([]time.Time, n)
	equity, fund, basis, costs := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	for i, row := range r.Equity {
		times[i] = row.Time
		equity[i] = plotted(row.Equity)
		fund[i] = plotted(row.CumFunding)
		basis[i] = plotted(row.BasisPnL)
		costs[i] = plotted(row.CumFees.Add(row.Forfeit))
	}
	format := formatOf(o)
	var out []Chart
	add := func(name, caption string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("drawing the %s chart: %w", name, err)
		}
		out = append(out, Chart{Name: name, Caption: caption, Format: format, Data: b})
		return nil
	}
	b, err := chart.Equity(meta, chart.EquityData{Times: times, Equity: equity, Drawdown: analytics.DrawdownsFrom(equity, r.Params.Capital.InexactFloat64()), Capital: r.Params.Capital.InexactFloat64()}, o)
	if err := add("equity", "Equity after each grid point, and its drawdown from the running peak.", b, err); err != nil {
		return nil, err
	}
	if !m.Dated() {
		fd := fundingData(r)
		if len(fd.Times) > 0 {
			b, err := chart.Funding(meta, fd, o)
			if err := add("funding", "Funding rate of every event in the window (green ≥ 0, red < 0), annualized by its own interval beneath; shaded: position open.", b, err); err != nil {
				return nil, err
			}
		}
	}
	bd := chart.BasisData{Times: m.Times}
	for i, t := range m.Times {
		var d time.Time
		if m.Dated() {
			d = m.Delivery[i]
		}
		bd.Annualized = append(bd.Annualized, data.AnnualizedBasis(m.Futures[i], m.Spot[i], t, d))
	}
	marks := tradeMarks(r.Trades)
	bd.Entries, bd.Exits, bd.Rolls, bd.Liquidations = marks.Entries, marks.Exits, marks.Rolls, marks.Liquidations
	b, err = chart.Basis(meta, bd, o)
	if err := add("basis", "Annualized basis of the traded contract with entries (▲), exits (▼), rolls into the next dated contract (◆) and liquidations (✖).", b, err); err != nil {
		return nil, err
	}
	b, err = chart.Attribution(meta, chart.AttributionData{Times: times, Funding: fund, BasisPnL: basis, Costs: costs}, o)
	if err := add("attribution", "Cumulative funding, basis P&L (both legs at fill prices, slippage inside) and costs; their sum is equity − capital.", b, err); err != nil {
		return nil, err
	}
	var ann []float64
	for _, ev := range m.Funding {
		if !ev.Instant.Before(m.Times[0]) && !ev.Instant.After(m.Times[n-1]) {
			ann = append(ann, data.AnnualizedFunding(ev.Rate, ev.IntervalHours))
		}
	}
	b, err = chart.Distributions(meta, ann, analytics.Returns(equity), string(m.Period), o)
	if err := add("distributions", "Distribution of the window's funding rates (annualized) and of the run's period returns.", b, err); err != nil {
		return nil, err
	}
	return out, nil
}

// fundingData is the window's events and the spans a position was open.
func fundingData(r *strategy.Result) chart.FundingData {
	m := r.Market
	first, last := m.Times[0], m.Times[len(m.Times)-1]
	var fd chart.FundingData
	for _, ev := range m.Funding {
		if ev.Instant.Before(first) || ev.Instant.After(last) {
			continue
		}
		fd.Times = append(fd.Times, ev.Instant)
		fd.Rates = append(fd.Rates, ev.Rate)
		fd.Annualized = append(fd.Annualized, data.AnnualizedFunding(ev.Rate, ev.IntervalHours))
	}
	fd.Open = openSpans(r)
	return fd
}

// openSpans are the intervals between each position's entry and its close.
func openSpans(r *strategy.Result) [][2]time.Time {
	var spans [][2]time.Time
	var start time.Time
	open := false
	for _, row := range r.Equity {
		held := row.Quantity.IsPositive()
		switch {
		case held && !open:
			start, open = row.Time, true
		case !held && open:
			spans = append(spans, [2]time.Time{start, row.Time})
			open = false
		}
	}
	if open {
		spans = append(spans, [2]time.Time{start, r.Equity[len(r.Equity)-1].Time})
	}
	return spans
}

// tradeMarks are the instants a chart marks: each position's entry, its
// close (exit rules, the window's end, delivery not rolled) and its
// liquidation, read off the spot leg, which every one of them trades, and
// each roll, read off the futures leg (the spot is kept). Rebalances are
// not marked.
func tradeMarks(trades []strategy.Trade) chart.TradeMarks {
	var m chart.TradeMarks
	for _, tr := range trades {
		switch {
		case tr.Leg == strategy.LegPerp && tr.Reason == strategy.ReasonRoll:
			m.Rolls = append(m.Rolls, tr.Time)
		case tr.Leg != strategy.LegSpot, tr.Reason == strategy.ReasonRebalance:
		case tr.Reason == strategy.ReasonEntry:
			m.Entries = append(m.Entries, tr.Time)
		case tr.Reason == strategy.ReasonLiquidation:
			m.Liquidations = append(m.Liquidations, tr.Time)
		default:
			m.Exits = append(m.Exits, tr.Time)
		}
	}
	return m
}
