package book

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// The run files' names (stable: other tools read them; docs/portfolio.md
// describes every column).
const (
	SummaryJSON      = "summary.json"
	SummaryCSV       = "summary.csv"
	ContributionsCSV = "contributions.csv"
	HoldingsCSV      = "holdings.csv"
	TradesCSV        = "trades.csv"
	LedgerCSV        = "ledger.csv"
	EquityCSV        = "equity.csv"
)

// Files are the names WriteRun writes, in order.
var Files = []string{SummaryJSON, SummaryCSV, ContributionsCSV, HoldingsCSV, TradesCSV, LedgerCSV, EquityCSV}

// summaryFile is summary.json: the summary's keys, then the pairs'
// contributions.
type summaryFile struct {
	Summary
	Contributions []Contribution `json:"contributions"`
}

// WriteRun writes a book's files into dir, each atomically.
func WriteRun(dir string, o *Outcome) error {
	r := o.Result
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{SummaryJSON, func(w io.Writer) error { return writeJSON(w, summaryFile{o.Summary, o.Pairs}) }},
		{SummaryCSV, func(w io.Writer) error { return writeStructsCSV(w, Summary{}, []any{o.Summary}) }},
		{ContributionsCSV, func(w io.Writer) error {
			rows := make([]any, len(o.Pairs))
			for i, c := range o.Pairs {
				rows[i] = c
			}
			return writeStructsCSV(w, Contribution{}, rows)
		}},
		{HoldingsCSV, func(w io.Writer) error { return WriteHoldingsCSV(w, r) }},
		{TradesCSV, func(w io.Writer) error { return WriteTradesCSV(w, r.Trades) }},
		{LedgerCSV, func(w io.Writer) error { return WriteLedgerCSV(w, r.Settlements) }},
		{EquityCSV, func(w io.Writer) error { return WriteEquityCSV(w, r) }},
	}
	for _, f := range files {
		if err := atomicfile.Write(filepath.Join(dir, f.name), f.write); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
	}
	return nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// writeStructsCSV writes structs of zero's type as CSV: the header from
// zero, then one row each, one column per JSON field as
// backtest.StructColumns lays them out (the CSV and the JSON cannot
// disagree).
func writeStructsCSV(w io.Writer, zero any, rows []any) error {
	cols, _, _, err := backtest.StructColumns(zero)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.Write(cols)
	for _, r := range rows {
		_, _, vals, err := backtest.StructColumns(r)
		if err != nil {
			return err
		}
		cw.Write(vals)
	}
	cw.Flush()
	return cw.Error()
}

// WriteHoldingsCSV writes the weights after each grid point: time, then
// one column per member (universe order) with its weight, the pair's
// equity over the book's (0 when flat).
func WriteHoldingsCSV(w io.Writer, r *portfolio.Result) error {
	cw := csv.NewWriter(w)
	header := []string{"time"}
	for _, m := range r.Universe.Members {
		header = append(header, m.Market.Symbol)
	}
	cw.Write(header)
	rec := make([]string, len(header))
	for _, row := range r.Rows {
		rec[0] = rfc3339(row.Time)
		for j := range r.Universe.Members {
			w := 0.0
			if j < len(row.Weights) {
				w = row.Weights[j]
			}
			rec[j+1] = strconv.FormatFloat(w, 'g', -1, 64)
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// WriteTradesCSV writes every fill of every pair.
func WriteTradesCSV(w io.Writer, rows []portfolio.Trade) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "symbol", "position_id", "leg", "side", "quantity", "price", "fee", "reason"})
	for _, t := range rows {
		cw.Write([]string{rfc3339(t.Time), t.Symbol, strconv.Itoa(t.PositionID), string(t.Leg), t.Side, t.Quantity.String(), t.Price.String(), t.Fee.String(), string(t.Reason)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteLedgerCSV writes every funding settlement of every pair.
func WriteLedgerCSV(w io.Writer, rows []strategy.Settlement) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "symbol", "position_id", "funding_time", "rate", "mark_price", "mark_price_missing", "quantity", "position_size", "payment"})
	for _, s := range rows {
		cw.Write([]string{rfc3339(s.SettledAt), s.Symbol, strconv.Itoa(s.PositionID), s.FundingTime.UTC().Format(time.RFC3339Nano), s.FundingRate.String(),
			s.MarkPrice.String(), strconv.FormatBool(s.MarkMissing), s.Quantity.String(), s.PositionSize.String(), s.Payment.String()})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEquityCSV writes the book after each grid point; the drawdown is
// from the running peak, starting at the capital (as the summary's).
func WriteEquityCSV(w io.Writer, r *portfolio.Result) error {
	equity := make([]float64, len(r.Rows))
	for i, row := range r.Rows {
		equity[i] = row.Equity.InexactFloat64()
	}
	dd := analytics.DrawdownsFrom(equity, r.Capital.InexactFloat64())
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "equity", "cash", "cum_funding", "cum_fees", "basis_pnl", "forfeit", "traded", "holdings", "drawdown"})
	for i, row := range r.Rows {
		cw.Write([]string{rfc3339(row.Time), row.Equity.String(), row.Cash.String(), row.CumFunding.String(), row.CumFees.String(), row.BasisPnL.String(),
			row.Forfeit.String(), row.Traded.String(), strconv.Itoa(row.Holdings), strconv.FormatFloat(dd[i], 'g', -1, 64)})
	}
	cw.Flush()
	return cw.Error()
}
