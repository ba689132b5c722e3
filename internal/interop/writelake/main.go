// Command writelake writes a small lake with every dataset and edge case
// (null annualized basis, missing mark prices, a Special funding event,
// millisecond funding times, klines of a kind with volumes and of one
// without) plus expected.json, the rows as written, so that
// an independent reader (check.mjs, on DuckDB) can compare. Used by
// `make interop`.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

type basisOut struct {
	Pair, ContractType, Period string
	TimestampMs                int64
	IndexPrice, FuturesPrice   float64
	Basis, BasisRate           float64
	AnnualizedBasisRate        *float64
}

type fundingOut struct {
	Symbol               string
	FundingTimeMs        int64
	FundingRate          float64
	MarkPrice            *float64
	RateType             string
	FundingIntervalHours int
}

type klineOut struct {
	Kind, Symbol, Interval              string
	OpenTimeMs, CloseTimeMs             int64
	Open, High, Low, Close              float64
	Volume, QuoteVolume                 *float64
	Trades                              *int64
	TakerBuyVolume, TakerBuyQuoteVolume *float64
}

type contractOut struct {
	Pair, Symbol, ContractType, Status string
	DeliveryDateMs, OnboardDateMs      int64
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: writelake DIR")
		os.Exit(2)
	}
	if err := run(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "writelake:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	lake, err := lake.Open(filepath.Join(dir, "lake"))
	if err != nil {
		return err
	}
	start := time.Date(2026, 2, 17, 1, 0, 0, 0, time.UTC)
	var expect struct {
		Basis     []basisOut
		Funding   []fundingOut
		Contracts []contractOut
		Klines    []klineOut
	}
	for _, ct := range []data.ContractType{data.Perpetual, data.CurrentQuarter} {
		key := data.BasisKey{Pair: "BTCUSDT", ContractType: ct, Period: "1h"}
		var rows []data.BasisRow
		for i := range 48 {
			idx := 68878.27 + float64(i)*1.25
			fut := idx - 28.37 + float64(i%5)
			r := data.BasisRow{Timestamp: start.Add(time.Duration(i) * time.Hour), IndexPrice: idx, FuturesPrice: fut, Basis: fut - idx, BasisRate: -0.0004}
			if ct != data.Perpetual {
				r.AnnualizedBasisRate = data.Some(0.0789 - float64(i)*0.0001)
			}
			rows = append(rows, r)
		}
		if _, err := lake.MergeBasis(key, rows); err != nil {
			return err
		}
		stored, err := lake.ReadBasis(key)
		if err != nil {
			return err
		}
		for _, r := range stored.Rows {
			o := basisOut{Pair: key.Pair, ContractType: string(ct), Period: string(key.Period), TimestampMs: r.Timestamp.UnixMilli(),
				IndexPrice: r.IndexPrice, FuturesPrice: r.FuturesPrice, Basis: r.Basis, BasisRate: r.BasisRate}
			if r.AnnualizedBasisRate.Valid {
				v := r.AnnualizedBasisRate.Float64
				o.AnnualizedBasisRate = &v
			}
			expect.Basis = append(expect.Basis, o)
		}
	}
	for s, sym := range []string{"BTCUSDT", "ETHUSDT"} {
		var rows []data.FundingRow
		for i := range 12 {
			r := data.FundingRow{FundingTime: start.Add(time.Duration(7+8*i)*time.Hour + time.Duration(i%4)*time.Millisecond), FundingRate: 0.0001 - float64(i)*0.00000007, RateType: data.Regular}
			if i >= 6 {
				r.MarkPrice = data.Some(68000.5 + float64(i))
			}
			rows = append(rows, r)
		}
		if s == 1 {
			rows = append(rows, data.FundingRow{FundingTime: start.Add(20*time.Hour + 5*time.Millisecond), FundingRate: -0.02, MarkPrice: data.Some(2000.25), RateType: data.Special})
		}
		if _, err := lake.MergeFunding(sym, rows); err != nil {
			return err
		}
		stored, err := lake.ReadFunding(sym)
		if err != nil {
			return err
		}
		for _, r := range stored.Rows {
			o := fundingOut{Symbol: sym, FundingTimeMs: r.FundingTime.UnixMilli(), FundingRate: r.FundingRate, RateType: string(r.RateType), FundingIntervalHours: r.FundingIntervalHours}
			if r.MarkPrice.Valid {
				v := r.MarkPrice.Float64
				o.MarkPrice = &v
			}
			expect.Funding = append(expect.Funding, o)
		}
	}
	contracts := []data.ContractRow{
		{Symbol: "BTCUSDT_260327", ContractType: data.CurrentQuarter, DeliveryDate: time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC), OnboardDate: start, Status: "TRADING"},
		{Symbol: "BTCUSDT_260626", ContractType: data.NextQuarter, DeliveryDate: time.Date(2026, 6, 26, 8, 0, 0, 0, time.UTC), OnboardDate: start, Status: "TRADING"},
	}
	if _, err := lake.MergeContracts("BTCUSDT", contracts); err != nil {
		return err
	}
	for _, c := range contracts {
		expect.Contracts = append(expect.Contracts, contractOut{Pair: "BTCUSDT", Symbol: c.Symbol, ContractType: string(c.ContractType),
			DeliveryDateMs: c.DeliveryDate.UnixMilli(), OnboardDateMs: c.OnboardDate.UnixMilli(), Status: c.Status})
	}
	if expect.Klines, err = writeKlines(lake, start); err != nil {
		return err
	}
	b, err := json.MarshalIndent(expect, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "expected.json"), b, 0o644)
}

// writeKlines stores futures candles (with volumes) and index candles
// (without: null) of BTCUSDT 1h, and returns them as read back, sorted by
// kind and open time.
func writeKlines(l *lake.Lake, start time.Time) ([]klineOut, error) {
	var out []klineOut
	for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineIndex} {
		key := data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}
		var rows []data.KlineRow
		for i := range 24 {
			open := 68878.3 + float64(i)*12.1
			r := data.KlineRow{OpenTime: start.Add(time.Duration(i) * time.Hour), CloseTime: start.Add(time.Duration(i+1)*time.Hour - time.Millisecond),
				Open: open, High: open + 40.5, Low: open - 33.25, Close: open + 12.1}
			if kind.HasVolume() {
				r.Volume, r.QuoteVolume, r.Trades = data.Some(1844.202+float64(i)), data.Some(213658733.8412+float64(i)*1000), int64(39746+i)
				r.TakerBuyVolume, r.TakerBuyQuoteVolume = data.Some(922.101), data.Some(106829366.9206)
			}
			rows = append(rows, r)
		}
		if _, err := l.MergeKlines(key, rows); err != nil {
			return nil, err
		}
		stored, err := l.ReadKlines(key)
		if err != nil {
			return nil, err
		}
		for _, r := range stored.Rows {
			o := klineOut{Kind: string(kind), Symbol: key.Symbol, Interval: string(key.Interval),
				OpenTimeMs: r.OpenTime.UnixMilli(), CloseTimeMs: r.CloseTime.UnixMilli(), Open: r.Open, High: r.High, Low: r.Low, Close: r.Close,
				Volume: ptr(r.Volume), QuoteVolume: ptr(r.QuoteVolume), TakerBuyVolume: ptr(r.TakerBuyVolume), TakerBuyQuoteVolume: ptr(r.TakerBuyQuoteVolume)}
			if kind.HasVolume() {
				o.Trades = &r.Trades
			}
			out = append(out, o)
		}
	}
	return out, nil
}

func ptr(v data.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}
