package backtest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
	"github.com/carry-research/carry/strategy"
)

// The run files' names (stable: other tools read them).
const (
	SummaryJSON = "summary.json"
	SummaryCSV  = "summary.csv"
	LedgerCSV   = "ledger.csv"
	TradesCSV   = "trades.csv"
	EquityCSV   = "equity.csv"
)

// WriteRun writes a run's files into dir, each atomically.
func WriteRun(dir string, r *strategy.Result, s Summary) error {
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{SummaryJSON, func(w io.Writer) error { return writeJSON(w, summaryWithTearSheet(r, s)) }},
		{SummaryCSV, func(w io.Writer) error { return WriteSummaryCSV(w, []Summary{s}) }},
		{LedgerCSV, func(w io.Writer) error { return WriteLedgerCSV(w, r.Settlements) }},
		{TradesCSV, func(w io.Writer) error { return WriteTradesCSV(w, r.Trades) }},
		{EquityCSV, func(w io.Writer) error { return WriteEquityCSV(w, r.Equity, r.Params.Capital.InexactFloat64()) }},
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

// WriteLedgerCSV writes the funding settlements received, in the
// settlement-record shape: id, symbol, position_id, funding_rate,
// position_size, payment, settled_at, then mark_price, quantity,
// funding_time (ms, as sent) and mark_price_missing.
func WriteLedgerCSV(w io.Writer, rows []strategy.Settlement) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "symbol", "position_id", "funding_rate", "position_size", "payment", "settled_at", "mark_price", "quantity", "funding_time", "mark_price_missing"})
	for _, s := range rows {
		cw.Write([]string{strconv.Itoa(s.ID), s.Symbol, strconv.Itoa(s.PositionID), s.FundingRate.String(), s.PositionSize.String(), s.Payment.String(),
			rfc3339(s.SettledAt), s.MarkPrice.String(), s.Quantity.String(), strconv.FormatInt(s.FundingTime.UnixMilli(), 10), strconv.FormatBool(s.MarkMissing)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteTradesCSV writes every fill.
func WriteTradesCSV(w io.Writer, rows []strategy.Trade) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "position_id", "leg", "side", "quantity", "price", "fee", "reason"})
	for _, t := range rows {
		cw.Write([]string{rfc3339(t.Time), strconv.Itoa(t.PositionID), string(t.Leg), t.Side, t.Quantity.String(), t.Price.String(), t.Fee.String(), string(t.Reason)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteEquityCSV writes the state after each grid point; the drawdown is
// from the running peak, the capital the first (as the summary's).
func WriteEquityCSV(w io.Writer, rows []strategy.EquityRow, capital float64) error {
	equity := make([]float64, len(rows))
	for i, r := range rows {
		equity[i] = r.Equity.InexactFloat64()
	}
	dd := analytics.DrawdownsFrom(equity, capital)
	cw := csv.NewWriter(w)
	cw.Write([]string{"time", "index_price", "futures_price", "position_quantity", "equity", "cumulative_funding", "cumulative_fees", "basis_pnl", "drawdown", "margin_ratio"})
	for i, r := range rows {
		ratio := ""
		if r.MarginRatio.Valid {
			ratio = r.MarginRatio.Decimal.String()
		}
		cw.Write([]string{rfc3339(r.Time), data.FormatExact(r.IndexPrice), data.FormatExact(r.FuturesPrice), r.Quantity.String(), r.Equity.String(),
			r.CumFunding.String(), r.CumFees.String(), r.BasisPnL.String(), strconv.FormatFloat(dd[i], 'g', -1, 64), ratio})
	}
	cw.Flush()
	return cw.Error()
}

// WriteSummaryCSV writes summaries as CSV rows, one column per summary.json
// field (rules flattened to rules_<name>); null is an empty cell.
func WriteSummaryCSV(w io.Writer, rows []Summary) error {
	cw := csv.NewWriter(w)
	var header []string
	for i, s := range rows {
		cols, vals, err := flatten(s)
		if err != nil {
			return err
		}
		if i == 0 {
			header = cols
			cw.Write(header)
		}
		cw.Write(vals)
	}
	cw.Flush()
	return cw.Error()
}

// flatten turns a summary into ordered columns and values: one column per
// JSON field in declaration order, nested structs flattened with their
// field's name as prefix, each value as its own JSON encoding (strings
// unquoted, null empty), so that the CSV and the JSON cannot disagree.
func flatten(s Summary) ([]string, []string, error) {
	cols, _, vals, err := Columns(s)
	return cols, vals, err
}

// Columns are a summary's columns as flatten lays them out, with each
// column's type for typed formats (Parquet): numbers (money, statistics,
// thresholds) as Float, counts as Int, flags as Bool, instants (*time.Time,
// RFC 3339 text in CSV) as Time, the rest as String. The funding
// statistics by interval are columns per interval (IntervalColumns).
// Each value is formatted as encoding/json formats it (sweeps format
// millions of rows, so the common types skip the JSON encoder).
func Columns(s Summary) ([]string, []data.ColumnKind, []string, error) {
	return StructColumns(s)
}

// StructColumns lays out any summary-like struct as Columns lays out a
// Summary (strategy/book's summary and contributions use it, so that every
// summary.csv reads alike).
func StructColumns(s any) ([]string, []data.ColumnKind, []string, error) {
	var cols, vals []string
	var kinds []data.ColumnKind
	var walk func(v reflect.Value, prefix string) error
	walk = func(v reflect.Value, prefix string) error {
		t := v.Type()
		for i := range t.NumField() {
			name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			f := v.Field(i)
			ft := t.Field(i).Type
			if f.Kind() == reflect.Struct && ft != timeType && ft != valueType {
				if err := walk(f, prefix+name+"_"); err != nil {
					return err
				}
				continue
			}
			if ft == intervalsType { // columns, not one cell of JSON
				c, k, v := IntervalColumns(prefix+name+"_", f.Interface().([]analytics.IntervalFunding))
				cols, kinds, vals = append(cols, c...), append(kinds, k...), append(vals, v...)
				continue
			}
			cell, err := jsonCell(f)
			if err != nil {
				return err
			}
			cols = append(cols, prefix+name)
			vals = append(vals, cell)
			kinds = append(kinds, kindOf(ft))
		}
		return nil
	}
	err := walk(reflect.ValueOf(s), "")
	return cols, kinds, vals, err
}

var (
	timeType   = reflect.TypeOf(time.Time{})
	valueType  = reflect.TypeOf(analytics.Value{})
	numberType = reflect.TypeOf(json.Number(""))
)

// jsonCell is a value as its JSON encoding, as a CSV cell: null empty,
// strings unquoted.
func jsonCell(f reflect.Value) (string, error) {
	switch {
	case f.Type() == numberType:
		return f.String(), nil
	case f.Type() == valueType:
		v := f.Interface().(analytics.Value)
		if !v.Valid {
			return "", nil
		}
		return jsonFloat(v.V), nil
	}
	switch f.Kind() {
	case reflect.String:
		return f.String(), nil
	case reflect.Float64:
		return jsonFloat(f.Float()), nil
	case reflect.Int:
		return strconv.FormatInt(f.Int(), 10), nil
	case reflect.Bool:
		return strconv.FormatBool(f.Bool()), nil
	case reflect.Pointer:
		if f.IsNil() {
			return "", nil
		}
		if f.Elem().Kind() == reflect.Float64 {
			return jsonFloat(f.Elem().Float()), nil
		}
		if f.Elem().Type() == timeType {
			return f.Elem().Interface().(time.Time).Format(time.RFC3339Nano), nil
		}
	}
	b, err := json.Marshal(f.Interface())
	if err != nil {
		return "", err
	}
	return cell(b), nil
}

// jsonFloat formats f exactly as encoding/json does: shortest
// representation, exponent form below 1e-6 and from 1e21, "e-07" as "e-7".
func jsonFloat(f float64) string {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, 64)
	if format == 'e' {
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b)
}

func kindOf(t reflect.Type) data.ColumnKind {
	switch {
	case t == reflect.TypeOf(json.Number("")), t == reflect.TypeOf(analytics.Value{}), t.Kind() == reflect.Float64,
		t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Float64:
		return data.Float
	case t.Kind() == reflect.Int:
		return data.Int
	case t.Kind() == reflect.Bool:
		return data.Bool
	case t.Kind() == reflect.Pointer && t.Elem() == timeType:
		return data.Time
	}
	return data.String
}

// cell is a JSON value as a CSV cell: null empty, strings unquoted.
func cell(b []byte) string {
	switch {
	case string(b) == "null":
		return ""
	case len(b) > 0 && b[0] == '"':
		var s string
		json.Unmarshal(b, &s)
		return s
	}
	return string(b)
}
