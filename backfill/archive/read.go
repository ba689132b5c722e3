package archive

import (
	"archive/zip"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// Column names of the archive's CSVs, as their header rows write them.
// Older futures files have no header, spot files never had one.
var (
	klineHeader   = []string{"open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore"}
	fundingHeader = []string{"calc_time", "funding_interval_hours", "last_funding_rate"}
)

// microsFrom: a stamp this large is in microseconds (spot files from
// 2025-01-01 on). In milliseconds it would be the year 5138; in
// microseconds it is 1973.
const microsFrom = 100_000_000_000_000

// parseStamp reads an open or close time in milliseconds or microseconds,
// told apart by magnitude, as an instant of millisecond resolution.
func parseStamp(s string) (time.Time, error) {
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("time %q: %w", s, err)
	}
	return stamp(v), nil
}

// stamp is the instant of a time in milliseconds or microseconds.
func stamp(v int64) time.Time {
	if v >= microsFrom {
		v /= 1000 // a close time ends in …999999 µs: its millisecond is …999
	}
	return time.UnixMilli(v).UTC()
}

// openCSV opens a downloaded zip and its one CSV.
func openCSV(path string, f File) (io.ReadCloser, string, error) {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil, "", fmt.Errorf("opening %s: %w", f, err)
	}
	var csvs []*zip.File
	for _, e := range z.File {
		if strings.HasSuffix(strings.ToLower(e.Name), ".csv") {
			csvs = append(csvs, e)
		}
	}
	if len(csvs) != 1 {
		z.Close()
		return nil, "", fmt.Errorf("opening %s: want one CSV inside, found %d", f, len(csvs))
	}
	r, err := csvs[0].Open()
	if err != nil {
		z.Close()
		return nil, "", fmt.Errorf("opening %s: %s: %w", f, csvs[0].Name, err)
	}
	return readCloser{r, func() error { r.Close(); return z.Close() }}, csvs[0].Name, nil
}

type readCloser struct {
	io.Reader
	close func() error
}

func (r readCloser) Close() error { return r.close() }

// KlineRows streams the candles of an archive klines CSV read from r (name
// is for errors): with or without a header row, times in milliseconds or
// microseconds, prices read exactly, volumes null where the kind has none,
// and each candle checked (data.KlineRow.Validate) when the lake knows the
// interval. It stops at the first error.
func KlineRows(r io.Reader, name string, kind data.KlineKind, interval string) iter.Seq2[data.KlineRow, error] {
	iv, ivErr := data.ParseInterval(interval)
	return func(yield func(data.KlineRow, error) bool) {
		rows := newRecords(r, klineHeader)
		for rec, ok := rows.next(); ok; rec, ok = rows.next() {
			row, fast := fastKlineRow(rec, kind)
			var err error
			if !fast {
				row, err = klineRow(rows.strings(rec), kind)
			}
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

// klineRow reads a candle's record the slow way, for the rows fastKlineRow
// declines: any number it does not read, and every error.
func klineRow(rec []string, kind data.KlineKind) (data.KlineRow, error) {
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
		if *p, err = data.ParseExact(rec[1+i]); err != nil {
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
		v, err := data.ParseExact(rec[c.col])
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

// FundingRows streams the events of an archive fundingRate CSV read from r
// (name is for errors): calc_time, the funding interval in hours as the
// exchange states it, and the rate read exactly. The archive has neither
// mark price (null) nor rate type (Regular).
func FundingRows(r io.Reader, name string) iter.Seq2[data.FundingRow, error] {
	return func(yield func(data.FundingRow, error) bool) {
		rows := newRecords(r, fundingHeader)
		for rec, ok := rows.next(); ok; rec, ok = rows.next() {
			row, err := fundingRow(rows.strings(rec)) // a month is ~90 rows: no fast path
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

func fundingRow(rec []string) (data.FundingRow, error) {
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
	rate, err := data.ParseExact(rec[2])
	if err != nil {
		return data.FundingRow{}, fmt.Errorf("last_funding_rate: %w", err)
	}
	return data.FundingRow{FundingTime: t, FundingRate: rate, RateType: data.Regular, FundingIntervalHours: h}, nil
}

// Klines streams the candles of a verified kline file, each checked to lie
// inside the file's day or month.
func (d *Download) Klines() iter.Seq2[data.KlineRow, error] {
	return func(yield func(data.KlineRow, error) bool) {
		kind := d.File.Dataset.Kind()
		if kind == "" {
			yield(data.KlineRow{}, fmt.Errorf("reading %s: not a klines file", d.File))
			return
		}
		rc, name, err := openCSV(d.Path, d.File)
		if err != nil {
			yield(data.KlineRow{}, err)
			return
		}
		defer rc.Close()
		for row, err := range KlineRows(rc, name, kind, d.File.Interval) {
			if err == nil && !d.inside(row.OpenTime) {
				err = fmt.Errorf("%s: candle at %s lies outside the file's %s", d.File, row.OpenTime.Format(time.RFC3339), d.File.Start.Format("2006-01-02"))
			}
			if err != nil {
				yield(data.KlineRow{}, fmt.Errorf("reading %s: %w", d.File, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

// Funding streams the events of a verified fundingRate file, each checked
// to lie inside the file's month.
func (d *Download) Funding() iter.Seq2[data.FundingRow, error] {
	return func(yield func(data.FundingRow, error) bool) {
		if d.File.Dataset != FundingRate {
			yield(data.FundingRow{}, fmt.Errorf("reading %s: not a fundingRate file", d.File))
			return
		}
		rc, name, err := openCSV(d.Path, d.File)
		if err != nil {
			yield(data.FundingRow{}, err)
			return
		}
		defer rc.Close()
		for row, err := range FundingRows(rc, name) {
			if err == nil && !d.inside(row.FundingTime) {
				err = fmt.Errorf("event at %s lies outside the file's month", row.FundingTime.Format(time.RFC3339))
			}
			if err != nil {
				yield(data.FundingRow{}, fmt.Errorf("reading %s: %w", d.File, err))
				return
			}
			if !yield(row, nil) {
				return
			}
		}
	}
}

func (d *Download) inside(t time.Time) bool { return !t.Before(d.File.Start) && t.Before(d.File.End()) }
