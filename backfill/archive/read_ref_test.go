package archive

// The reader as it was before the byte-level one (read.go at 36733b6),
// kept verbatim but for names as the reference the differential tests and
// benchmarks compare with. Not used outside tests.

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"slices"
	"strconv"
	"strings"

	"github.com/carry-research/carry/data"
)

type refCSVRows struct {
	cr     *csv.Reader
	header []string
	line   int
	err    error
}

func newRefCSVRows(r io.Reader, header []string) *refCSVRows {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	return &refCSVRows{cr: cr, header: header}
}

func (c *refCSVRows) next() ([]string, bool) {
	for {
		rec, err := c.cr.Read()
		c.line++
		if err == io.EOF {
			return nil, false
		}
		if err != nil {
			c.err = err
			return nil, false
		}
		if c.line == 1 && len(rec) > 0 {
			if _, err := strconv.ParseInt(strings.TrimSpace(rec[0]), 10, 64); err != nil {
				if !slices.Equal(refTrimAll(rec), c.header) {
					c.err = fmt.Errorf("header %q, want %q", rec, c.header)
					return nil, false
				}
				continue
			}
		}
		return rec, true
	}
}

func refTrimAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, s := range rec {
		out[i] = strings.TrimSpace(s)
	}
	return out
}

func refKlineRows(r io.Reader, name string, kind data.KlineKind, interval string) iter.Seq2[data.KlineRow, error] {
	iv, ivErr := data.ParseInterval(interval)
	return func(yield func(data.KlineRow, error) bool) {
		rows := newRefCSVRows(r, klineHeader)
		for rec, ok := rows.next(); ok; rec, ok = rows.next() {
			row, err := refKlineRow(rec, kind)
			if err == nil && ivErr == nil {
				err = row.Validate(kind, iv)
			}
			if err != nil {
				yield(data.KlineRow{}, fmt.Errorf("%s line %d: %w", name, rows.line, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
		if rows.err != nil {
			yield(data.KlineRow{}, fmt.Errorf("%s line %d: %w", name, rows.line, rows.err))
		}
	}
}

func refKlineRow(rec []string, kind data.KlineKind) (data.KlineRow, error) {
	if len(rec) < 11 {
		return data.KlineRow{}, fmt.Errorf("%d columns, want 12", len(rec))
	}
	var row data.KlineRow
	var err error
	if row.OpenTime, err = parseStamp(rec[0]); err != nil {
		return row, fmt.Errorf("open_time: %w", err)
	}
	if row.CloseTime, err = parseStamp(rec[6]); err != nil {
		return row, fmt.Errorf("close_time: %w", err)
	}
	for i, p := range []*float64{&row.Open, &row.High, &row.Low, &row.Close} {
		if *p, err = refParseExact(rec[1+i]); err != nil {
			return row, fmt.Errorf("%s: %w", klineHeader[1+i], err)
		}
	}
	if !kind.HasVolume() {
		return row, nil // index, mark and premium files hold "0" there
	}
	for _, c := range []struct {
		col int
		dst *data.NullFloat64
	}{{5, &row.Volume}, {7, &row.QuoteVolume}, {9, &row.TakerBuyVolume}, {10, &row.TakerBuyQuoteVolume}} {
		v, err := refParseExact(rec[c.col])
		if err != nil {
			return row, fmt.Errorf("%s: %w", klineHeader[c.col], err)
		}
		*c.dst = data.Some(v)
	}
	if row.Trades, err = strconv.ParseInt(strings.TrimSpace(rec[8]), 10, 64); err != nil {
		return row, fmt.Errorf("count: %w", err)
	}
	return row, nil
}

func refFundingRows(r io.Reader, name string) iter.Seq2[data.FundingRow, error] {
	return func(yield func(data.FundingRow, error) bool) {
		rows := newRefCSVRows(r, fundingHeader)
		for rec, ok := rows.next(); ok; rec, ok = rows.next() {
			row, err := refFundingRow(rec)
			if err == nil {
				err = row.Validate()
			}
			if err != nil {
				yield(data.FundingRow{}, fmt.Errorf("%s line %d: %w", name, rows.line, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
		if rows.err != nil {
			yield(data.FundingRow{}, fmt.Errorf("%s line %d: %w", name, rows.line, rows.err))
		}
	}
}

func refFundingRow(rec []string) (data.FundingRow, error) {
	if len(rec) != 3 {
		return data.FundingRow{}, fmt.Errorf("%d columns, want 3", len(rec))
	}
	t, err := parseStamp(rec[0])
	if err != nil {
		return data.FundingRow{}, fmt.Errorf("calc_time: %w", err)
	}
	h, err := strconv.Atoi(strings.TrimSpace(rec[1]))
	if err != nil || h <= 0 {
		return data.FundingRow{}, fmt.Errorf("funding_interval_hours %q is not a whole number of hours", rec[1])
	}
	rate, err := refParseExact(rec[2])
	if err != nil {
		return data.FundingRow{}, fmt.Errorf("last_funding_rate: %w", err)
	}
	return data.FundingRow{FundingTime: t, FundingRate: rate, RateType: data.Regular, FundingIntervalHours: h}, nil
}
