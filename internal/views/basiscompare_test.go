package views

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sharedtest"
)

// candle is a flat 1h candle opening at t at price p.
func candle(t time.Time, p float64) data.KlineRow {
	return data.KlineRow{OpenTime: t, CloseTime: t.Add(time.Hour - time.Millisecond), Open: p, High: p, Low: p, Close: p}
}

// comparisonLake holds BTCUSDT's PERPETUAL 1h basis at 00:00–04:00 (03:00
// missing) with futures and index 1h klines at 00:00–03:00, and ETHUSDT's
// basis without klines.
func comparisonLake(t *testing.T) *lake.Lake {
	t.Helper()
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	h := func(i int) time.Time { return t0.Add(time.Duration(i) * time.Hour) }
	basis := []data.BasisRow{
		{Timestamp: h(0), IndexPrice: 100, FuturesPrice: 100.05, Basis: 0.05, BasisRate: 0.0005},
		{Timestamp: h(1), IndexPrice: 100, FuturesPrice: 100.005, Basis: 0.005, BasisRate: 0.0001},
		{Timestamp: h(2), IndexPrice: 100, FuturesPrice: 100.1, Basis: 0.1, BasisRate: 0.0010},
		{Timestamp: h(4), IndexPrice: 100, FuturesPrice: 100, Basis: 0, BasisRate: 0},
	}
	for _, pair := range []string{"BTCUSDT", "ETHUSDT"} {
		if _, err := l.MergeBasis(data.BasisKey{Pair: pair, ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
			t.Fatal(err)
		}
	}
	// A quarterly series is never compared (its futures leg is another
	// contract).
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, basis); err != nil {
		t.Fatal(err)
	}
	// 02:00 rebuilds to 0.0007 against 0.0010: 3 bp off.
	fut := []data.KlineRow{candle(h(0), 100.05), candle(h(1), 100.005), candle(h(2), 100.07), candle(h(3), 100.02)}
	idx := []data.KlineRow{candle(h(0), 100), candle(h(1), 100), candle(h(2), 100), candle(h(3), 100)}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}, fut); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineIndex, Symbol: "BTCUSDT", Interval: "1h"}, idx); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestCompareBasisOfALake(t *testing.T) {
	l := comparisonLake(t)
	c, err := CompareBasis(l, BasisComparisonQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Series) != 1 || len(c.Lacking) != 1 || c.Spot != data.KlineIndex {
		t.Fatalf("comparison %+v, want BTCUSDT compared and ETHUSDT lacking", c)
	}
	// 00:00, 01:00 (a tie, half-up to 0.0001) and 02:00 compared, 04:00
	// official only, 03:00 klines only; |Δ| 0, 0, 3 bp.
	s := c.Series[0]
	if s.Series != "BTCUSDT PERPETUAL 1h" || s.Compared != 3 || s.OfficialOnly != 1 || s.KlinesOnly != 1 ||
		math.Abs(s.MaxAbsDiff.V-0.0003) > 1e-12 || math.Abs(s.WithinOneBP.V-2.0/3) > 1e-12 || !s.Worst.At.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("BTCUSDT: %+v", s)
	}
	want := "carry backfill --datasets klines --kinds futures,index --intervals 1h --symbols ETHUSDT --data " + l.Root()
	if e := c.Lacking[0]; e.Series != "ETHUSDT PERPETUAL 1h" || e.Fetch != want || len(e.Missing) != 2 {
		t.Errorf("lacking %+v, want fetch %q", e, want)
	}
	var out bytes.Buffer
	if err := WriteBasisComparison(&out, c); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"SERIES                ROWS  OFFICIAL ONLY  KLINES ONLY  MEDIAN |Δ|  MAX |Δ| (at)                WITHIN 1 BP",
		"BTCUSDT PERPETUAL 1h  3     1              1            0.00 bp     3.00 bp (2026-03-01 02:00)  66.7%",
		"  ETHUSDT PERPETUAL 1h: no futures ETHUSDT 1h and index ETHUSDT 1h",
		"    fetch: " + want,
	} {
		if !strings.Contains(out.String(), line+"\n") {
			t.Errorf("table lacks %q:\n%s", line, out.String())
		}
	}
}

func TestCompareBasisSelects(t *testing.T) {
	l := comparisonLake(t)
	c, err := CompareBasis(l, BasisComparisonQuery{Symbols: []string{"ETHUSDT"}, Spot: data.KlineSpot})
	if err != nil || len(c.Series) != 0 || len(c.Lacking) != 1 || !strings.Contains(c.Lacking[0].Fetch, "--kinds futures,spot ") {
		t.Errorf("ETHUSDT with spot klines: %+v, %v", c, err)
	}
	// BTCUSDT has futures but no spot klines: only spot is fetched.
	c, err = CompareBasis(l, BasisComparisonQuery{Symbols: []string{"BTCUSDT"}, Spot: data.KlineSpot})
	if err != nil || len(c.Lacking) != 1 || !strings.Contains(c.Lacking[0].Fetch, "--kinds spot ") {
		t.Errorf("BTCUSDT with spot klines: %+v, %v", c, err)
	}
	c, err = CompareBasis(l, BasisComparisonQuery{Periods: []data.Period{"4h"}})
	if err != nil || len(c.Series)+len(c.Lacking) != 0 {
		t.Errorf("no 4h series: %+v, %v", c, err)
	}
	if _, err := CompareBasis(l, BasisComparisonQuery{Spot: data.KlineMark}); err == nil {
		t.Error("a mark-price spot leg was accepted")
	}
}

// TestCompareBasisOnRealData: real30's official-format basis (BTCUSDT
// PERPETUAL 1h, indexPrice the spot 1h open, futuresPrice the perpetual 1h
// open) against the perpetual klines of the gravestone recording and the
// spot klines of the tjf export, both real Binance candles. The basis was
// assembled from those candles, so the rebuild must agree to the basis
// point at every instant: this holds the whole chain (lake, join, exact
// rounding) to Binance's own numbers.
func TestCompareBasisOnRealData(t *testing.T) {
	basisCSV := sharedtest.Path(t, "realdata/datasets/real30/basis/BTCUSDT_PERPETUAL_1h.csv")
	perpCSV := sharedtest.Path(t, "realdata/raw/gravestone-perp-klines-1h-BTCUSDT.csv")
	spotCSV := sharedtest.Path(t, "realdata/raw/tjf-spot-klines-1h-BTCUSDT-2026-02-17-to-03-30.csv")
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	num := func(s string) float64 {
		v, err := data.ParseExact(s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	ms := func(s string) time.Time { return time.UnixMilli(int64(num(s))).UTC() }
	var basis []data.BasisRow
	for _, r := range sharedtest.ReadCSV(t, basisCSV) {
		basis = append(basis, data.BasisRow{Timestamp: ms(r["timestamp"]), IndexPrice: num(r["indexPrice"]),
			FuturesPrice: num(r["futuresPrice"]), Basis: num(r["basis"]), BasisRate: num(r["basisRate"])})
	}
	if _, err := l.MergeBasis(data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}, basis); err != nil {
		t.Fatal(err)
	}
	var perp, spot []data.KlineRow
	for _, r := range sharedtest.ReadCSV(t, perpCSV) {
		perp = append(perp, data.KlineRow{OpenTime: ms(r["timestamp"]), CloseTime: ms(r["close_time"]),
			Open: num(r["open"]), High: num(r["high"]), Low: num(r["low"]), Close: num(r["close"])})
	}
	for _, r := range sharedtest.ReadCSV(t, spotCSV) {
		at, err := time.Parse(time.DateTime, r["datetime"])
		if err != nil {
			t.Fatal(err)
		}
		spot = append(spot, data.KlineRow{OpenTime: at, CloseTime: at.Add(time.Hour - time.Millisecond),
			Open: num(r["open"]), High: num(r["high"]), Low: num(r["low"]), Close: num(r["close"])})
	}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}, perp); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeKlines(data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}, spot); err != nil {
		t.Fatal(err)
	}
	c, err := CompareBasis(l, BasisComparisonQuery{Spot: data.KlineSpot})
	if err != nil || len(c.Series) != 1 {
		t.Fatalf("%+v, %v", c, err)
	}
	s := c.Series[0]
	var out bytes.Buffer
	WriteBasisComparison(&out, c)
	t.Logf("real30 against gravestone perpetual and tjf spot 1h klines:\n%s\nunrounded median %.3g, max %.3g", out.String(), s.MedianAbsDiffUnrounded.V, s.MaxAbsDiffUnrounded.V)
	if s.Compared != len(basis) || s.OfficialOnly != 0 || s.KlinesOnly != 0 {
		t.Errorf("compared %d of %d rows, official only %d, klines only %d", s.Compared, len(basis), s.OfficialOnly, s.KlinesOnly)
	}
	if s.MaxAbsDiff.V != 0 || s.WithinOneBP.V != 1 {
		t.Errorf("max |Δ| %v, within 1 bp %v: want an exact rebuild (worst %+v)", s.MaxAbsDiff, s.WithinOneBP, s.Worst)
	}
	// Rounding to 4 decimals alone leaves at most half a basis point.
	if s.MaxAbsDiffUnrounded.V > 0.00005+1e-12 {
		t.Errorf("unrounded max |Δ| %v, more than half a basis point", s.MaxAbsDiffUnrounded)
	}
}
