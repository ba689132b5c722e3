package archive

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// DefaultBaseURL is the archive's public host.
const DefaultBaseURL = "https://data.binance.vision"

// Dataset is one folder of the archive.
type Dataset string

// The datasets carry reads. Futures are USDⓈ-M ("um").
const (
	FuturesKlines      Dataset = "klines"             // data/futures/um/…/klines
	MarkPriceKlines    Dataset = "markPriceKlines"    // data/futures/um/…/markPriceKlines
	IndexPriceKlines   Dataset = "indexPriceKlines"   // data/futures/um/…/indexPriceKlines, by pair
	PremiumIndexKlines Dataset = "premiumIndexKlines" // data/futures/um/…/premiumIndexKlines
	SpotKlines         Dataset = "spotKlines"         // data/spot/…/klines
	FundingRate        Dataset = "fundingRate"        // data/futures/um/monthly/fundingRate: monthly only
)

// ErrNotArchived is returned for what the archive does not hold: continuous
// klines (a pair and a contract type) exist only on REST.
var ErrNotArchived = errors.New("not in the public archive")

// KlineDataset is the archive folder of a kline kind.
func KlineDataset(k data.KlineKind) (Dataset, error) {
	switch k {
	case data.KlineFutures:
		return FuturesKlines, nil
	case data.KlineMark:
		return MarkPriceKlines, nil
	case data.KlineIndex:
		return IndexPriceKlines, nil
	case data.KlinePremium:
		return PremiumIndexKlines, nil
	case data.KlineSpot:
		return SpotKlines, nil
	}
	return "", fmt.Errorf("%s klines: %w (REST only)", k, ErrNotArchived)
}

// Kind is the kline kind of a kline dataset ("" for funding).
func (d Dataset) Kind() data.KlineKind {
	switch d {
	case FuturesKlines:
		return data.KlineFutures
	case MarkPriceKlines:
		return data.KlineMark
	case IndexPriceKlines:
		return data.KlineIndex
	case PremiumIndexKlines:
		return data.KlinePremium
	case SpotKlines:
		return data.KlineSpot
	}
	return ""
}

// HasDaily reports whether the dataset is published day by day too
// (funding is published by month only).
func (d Dataset) HasDaily() bool { return d != FundingRate }

func (d Dataset) valid() bool { return d == FundingRate || d.Kind() != "" }

// prefix is the path up to the frequency ("data/futures/um").
func (d Dataset) prefix() string {
	if d == SpotKlines {
		return "data/spot"
	}
	return "data/futures/um"
}

// folder is the dataset's folder name after the frequency.
func (d Dataset) folder() string {
	if d == SpotKlines {
		return "klines"
	}
	return string(d)
}

// IntervalName is an interval as the archive writes it: the month is "1mo"
// there, where REST and the lake say "1M".
func IntervalName(iv string) string {
	if iv == "1M" {
		return "1mo"
	}
	return iv
}

// File is one zip of the archive: a month or a day of one series.
type File struct {
	Dataset  Dataset
	Symbol   string    // the symbol, or the pair for index klines; delisted and delivered symbols too
	Interval string    // klines only, as the lake names it ("1h", "1M")
	Daily    bool      // a day's file, else a month's
	Start    time.Time // the first instant covered: the day, or the month's first day, 00:00 UTC
}

// Validate checks that the file can exist in the archive.
func (f File) Validate() error {
	if !f.Dataset.valid() {
		return fmt.Errorf("archive file: unknown dataset %q", f.Dataset)
	}
	if f.Symbol == "" || strings.ContainsAny(f.Symbol, "/ ") {
		return fmt.Errorf("archive file: invalid symbol %q", f.Symbol)
	}
	if f.Dataset == FundingRate {
		if f.Daily || f.Interval != "" {
			return fmt.Errorf("archive file %s: funding is archived by month, without an interval", f.Symbol)
		}
	} else if f.Interval == "" || strings.ContainsAny(f.Interval, "/ ") {
		return fmt.Errorf("archive file %s: invalid interval %q", f.Symbol, f.Interval)
	}
	if !f.Start.Equal(f.start()) {
		return fmt.Errorf("archive file %s: start %s is not the first instant of its day or month", f.Symbol, f.Start.Format(time.RFC3339))
	}
	return nil
}

func (f File) start() time.Time {
	t := f.Start.UTC()
	if f.Daily {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return monthOf(t)
}

// End is the first instant after the file.
func (f File) End() time.Time {
	if f.Daily {
		return f.Start.AddDate(0, 0, 1)
	}
	return f.Start.AddDate(0, 1, 0)
}

// Span is what the file covers, as a closed span of milliseconds.
func (f File) Span() data.Span { return data.Span{From: f.Start, To: f.End().Add(-time.Millisecond)} }

// Name is the zip's file name, e.g. BTCUSDT-1h-2024-01.zip.
func (f File) Name() string {
	date := f.Start.Format("2006-01")
	if f.Daily {
		date = f.Start.Format("2006-01-02")
	}
	if f.Dataset == FundingRate {
		return fmt.Sprintf("%s-fundingRate-%s.zip", f.Symbol, date)
	}
	return fmt.Sprintf("%s-%s-%s.zip", f.Symbol, IntervalName(f.Interval), date)
}

// Path is the zip's key under the host, e.g.
// data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip.
func (f File) Path() string {
	freq := "monthly"
	if f.Daily {
		freq = "daily"
	}
	if f.Dataset == FundingRate {
		return fmt.Sprintf("%s/%s/%s/%s/%s", f.Dataset.prefix(), freq, f.Dataset.folder(), f.Symbol, f.Name())
	}
	return fmt.Sprintf("%s/%s/%s/%s/%s/%s", f.Dataset.prefix(), freq, f.Dataset.folder(), f.Symbol, IntervalName(f.Interval), f.Name())
}

// URL is the zip's address under base (DefaultBaseURL if empty).
func (f File) URL(base string) string {
	if base == "" {
		base = DefaultBaseURL
	}
	return strings.TrimRight(base, "/") + "/" + f.Path()
}

// String names the file by its path: what errors and logs say.
func (f File) String() string { return f.Path() }

// Monthly is the month's file of a series (t anywhere in the month).
func Monthly(ds Dataset, symbol, interval string, t time.Time) File {
	return File{Dataset: ds, Symbol: symbol, Interval: interval, Start: monthOf(t)}
}

// Daily is the day's file of a series (t anywhere in the day).
func Daily(ds Dataset, symbol, interval string, t time.Time) File {
	t = t.UTC()
	return File{Dataset: ds, Symbol: symbol, Interval: interval, Daily: true, Start: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)}
}

func monthOf(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}
