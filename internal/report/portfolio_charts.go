package report

import (
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/carry-research/carry/analytics/chart"
	"github.com/carry-research/carry/strategy/book"
)

// FundingSmoothingDays is the trailing window, in days, of the funding
// chart's two APRs: a day's funding is a handful of events.
const FundingSmoothingDays = 7

// portfolioMeta is the chart metadata of a book.
func portfolioMeta(o *book.Outcome, label string) chart.Meta {
	s := o.Series
	return chart.Meta{Symbol: "book", Contract: "of " + count(o.Summary.Members, "pair"), Period: o.Summary.Period,
		From: s.Times[0], To: s.Times[len(s.Times)-1], Label: label}
}

// PortfolioCharts draws a book's charts: equity and drawdown against BTC
// carry and spot held, the holdings heatmap, the contributions by pair,
// turnover and costs, and the funding APR against the universe's median.
func PortfolioCharts(o *book.Outcome, label string, opts ChartOptions) ([]Chart, error) {
	meta := portfolioMeta(o, label)
	s := o.Series
	format := formatOf(opts)
	var out []Chart
	add := func(name, caption string, b []byte, err error) error {
		if err != nil {
			return fmt.Errorf("drawing the %s chart: %w", name, err)
		}
		out = append(out, Chart{Name: name, Caption: caption, Format: format, Data: b})
		return nil
	}
	b, err := chart.BookEquity(meta, chart.BookEquityData{Times: s.Times, Equity: s.Equity, BenchTimes: s.BTCTimes, BTCCarry: s.BTCCarry, BTCSpot: s.BTCSpot, Capital: s.Capital}, opts)
	caption := "The book's equity after each grid point against BTCUSDT carry (long spot, short perpetual, always in, the same pair parameters and capital) and BTC spot bought with the capital and held; beneath, each one's drawdown from its running peak, on the scale of the book's and BTC carry's (spot's, when far deeper, is left out there: its legend says how deep)."
	if !o.Summary.BTCCarry.Available {
		caption += " Benchmarks not shown: " + o.Summary.BTCCarry.Note + "."
	}
	if err := add("equity", caption, b, err); err != nil {
		return nil, err
	}

	hd := holdingsData(o)
	ho := sized(opts, 22*len(hd.Symbols)+240, 420, 2400)
	b, err = chart.Holdings(meta, hd, ho)
	if err := add("holdings", "Weight of each pair (its equity over the book's) after each grid point: white flat, blue held (deeper: a larger weight); grey: not in the universe (before its data starts or after it ends). A long grid is averaged into 400 spans of time.", b, err); err != nil {
		return nil, err
	}

	syms, net, note := contributionBars(o.Pairs, delistedMembers(o))
	title := "Contribution by pair — " + meta.Title("net P&L")[len("net P&L — "):]
	b, err = chart.Contributions(title, syms, net, sized(opts, 26*len(syms)+220, 400, 1600))
	if err := add("contributions", "Each pair's net contribution to the book's P&L (funding + basis P&L − fees − liquidation forfeit), largest first; a pair the exchange delisted is marked so."+note, b, err); err != nil {
		return nil, err
	}

	td := turnoverData(o)
	b, err = chart.Turnover(meta, td, opts)
	if err := add("turnover", "Notional traded per UTC day (both legs, at fill prices; the title gives it per year over the mean equity), and the cumulative fees and liquidation forfeits.", b, err); err != nil {
		return nil, err
	}

	fd := chart.FundingCompareData{Times: s.SpanEnds, Book: trailingMean(s.BookFundingAPR, FundingSmoothingDays), Universe: trailingMean(s.MedianAPR, FundingSmoothingDays),
		Window: fmt.Sprintf("%d-day mean", FundingSmoothingDays), BookFrom: firstFullWindow(o, FundingSmoothingDays)}
	b, err = chart.FundingCompare(meta, fd, opts)
	if err := add("funding", fmt.Sprintf("The book's funding APR (funding received in a day over the equity at its start, annualized) against the universe's median funding APR (each pair's events in the day, annualized by their interval, averaged; the median over the pairs), both as trailing %d-day means; the book's line starts at the end of its first full window after it first held a pair. The book earns on its shorts' notional, about 1/(1 + 1/L) of what it holds, so it runs below its pairs' rates even fully invested.", FundingSmoothingDays), b, err); err != nil {
		return nil, err
	}
	return out, nil
}

// firstFullWindow is the end of the first n whole days (spans of
// Series.SpanEnds) that begin at or after the book's first holding: the
// first trailing mean of its funding APR that counts no day it held
// nothing. After the last span when the book never held a pair or held
// for less than n whole days: no book line.
func firstFullWindow(o *book.Outcome, n int) time.Time {
	ends := o.Series.SpanEnds
	never := o.Series.Times[len(o.Series.Times)-1].Add(time.Nanosecond)
	for _, row := range o.Result.Rows {
		if row.Holdings == 0 {
			continue
		}
		for k := 1; k < len(ends); k++ {
			if !ends[k-1].Before(row.Time) { // span k, (ends[k−1], ends[k]], held throughout
				if last := k + n - 1; last < len(ends) {
					return ends[last]
				}
				return never
			}
		}
		return never
	}
	return never
}

// sized is opts with a height of px for a 1600-px-wide page, clamped.
func sized(opts ChartOptions, px, lo, hi int) ChartOptions {
	w := opts.Width
	if w == 0 {
		w = 1600
	}
	opts.Height = int(math.Round(float64(min(max(px, lo), hi)) * float64(w) / 1600))
	return opts
}

// holdingsData is the book's weights per member, NaN outside the member's
// own grid window.
func holdingsData(o *book.Outcome) chart.HoldingsData {
	r := o.Result
	members := r.Universe.Members
	d := chart.HoldingsData{Times: o.Series.Times, Symbols: make([]string, len(members)), Weights: make([][]float64, len(members))}
	for j, m := range members {
		d.Symbols[j] = m.Market.Symbol
		first, last := m.Market.Times[0], m.Market.Times[len(m.Market.Times)-1]
		ws := make([]float64, len(r.Rows))
		for i, row := range r.Rows {
			switch {
			case row.Time.Before(first) || row.Time.After(last):
				ws[i] = math.NaN()
			case j < len(row.Weights):
				ws[i] = row.Weights[j]
			}
		}
		d.Weights[j] = ws
	}
	return d
}

// maxContributionBars is how many pairs the contributions chart shows at
// most: the largest and the smallest, half each.
const maxContributionBars = 40

// contributionBars are the pairs by net contribution, largest first; with
// more than maxContributionBars the top and bottom halves, and a note;
// a delisted pair labelled "SYMBOL (delisted)".
func contributionBars(pairs []book.Contribution, delisted map[string]bool) (syms []string, net []float64, note string) {
	sorted := slices.Clone(pairs)
	value := func(c book.Contribution) float64 { f, _ := c.Net.Float64(); return f }
	slices.SortStableFunc(sorted, func(a, b book.Contribution) int {
		switch va, vb := value(a), value(b); {
		case va > vb:
			return -1
		case va < vb:
			return 1
		}
		return 0
	})
	if n := len(sorted); n > maxContributionBars {
		half := maxContributionBars / 2
		note = fmt.Sprintf(" The %d largest and %d smallest of %d pairs; contributions.csv has them all.", half, half, n) // n > 40
		sorted = append(sorted[:half:half], sorted[n-half:]...)
	}
	for _, c := range sorted {
		label := c.Symbol
		if delisted[c.Symbol] {
			label += " (delisted)"
		}
		syms, net = append(syms, label), append(net, value(c))
	}
	return syms, net, note
}

// delistedMembers are the universe's members the exchange delisted (held
// at their delisting or not), which the contributions chart marks.
func delistedMembers(o *book.Outcome) map[string]bool {
	out := map[string]bool{}
	if o.Result == nil || o.Result.Universe == nil {
		return out
	}
	for _, m := range o.Result.Universe.Members {
		if m.Delisted {
			out[m.Market.Symbol] = true
		}
	}
	return out
}

// turnoverData is the notional traded in each day of the book's daily
// spans (book.Series.SpanEnds; the first grid point's trades count in the
// first day) and the cumulative costs.
func turnoverData(o *book.Outcome) chart.TurnoverData {
	s := o.Series
	d := chart.TurnoverData{Times: s.Times, CumFees: s.CumFees, CumForfeit: s.CumForfeit}
	if v := o.Summary.TurnoverAnnualized; v.Valid {
		d.TurnoverYear = v.V
	}
	if len(s.SpanEnds) < 2 {
		return d
	}
	d.Days = s.SpanEnds[1:]
	d.DailyTraded = make([]float64, len(d.Days))
	k := 0
	for i, t := range s.Times {
		for k < len(d.Days)-1 && t.After(d.Days[k]) {
			k++
		}
		d.DailyTraded[k] += s.Traded[i]
	}
	return d
}

// trailingMean is, at each i, the mean of the defined values among
// xs[i−n+1…i] (NaN when none).
func trailingMean(xs []float64, n int) []float64 {
	out := make([]float64, len(xs))
	for i := range xs {
		sum, count := 0.0, 0
		for j := max(0, i-n+1); j <= i; j++ {
			if !math.IsNaN(xs[j]) {
				sum, count = sum+xs[j], count+1
			}
		}
		out[i] = math.NaN()
		if count > 0 {
			out[i] = sum / float64(count)
		}
	}
	return out
}
