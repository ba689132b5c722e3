package backtest

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy"
)

// candle is a flat candle (open = high = low = close) of interval iv.
func candle(at time.Time, iv data.Interval, p float64) data.KlineRow {
	return data.KlineRow{OpenTime: at, CloseTime: at.Add(iv.Duration() - time.Millisecond), Open: p, High: p, Low: p, Close: p}
}

// mergeCandles stores candles at hours from..to−1 after t0 priced by price
// (skipping those for which it returns 0).
func mergeCandles(t *testing.T, l *lake.Lake, key data.KlineKey, from, to int, price func(h int) float64) {
	t.Helper()
	var rows []data.KlineRow
	for h := from; h < to; h++ {
		if p := price(h); p > 0 {
			rows = append(rows, candle(t0.Add(time.Duration(h)*time.Hour), key.Interval, p))
		}
	}
	if _, err := l.MergeKlines(key, rows); err != nil {
		t.Fatal(err)
	}
}

// klineLake is testLake with 1h candles whose opens are the basis rows'
// prices (futures: futures_price, index: index_price, hole included),
// reaching back 24 hours before the basis; spot candles 5 above the
// index; with marks, mark candles from t0 on at 61000 + hour.
func klineLake(t *testing.T, marks bool) *lake.Lake {
	t.Helper()
	l := testLake(t)
	key := func(k data.KlineKind) data.KlineKey { return data.KlineKey{Kind: k, Symbol: "BTCUSDT", Interval: "1h"} }
	index := func(h int) float64 { return 60000 + float64(h)*10 }
	mergeCandles(t, l, key(data.KlineFutures), -24, 48, func(h int) float64 {
		if h >= 20 && h < 23 {
			return 0
		}
		return index(h) + 30
	})
	mergeCandles(t, l, key(data.KlineIndex), -24, 48, index)
	mergeCandles(t, l, key(data.KlineSpot), -24, 48, func(h int) float64 { return index(h) + 5 })
	if marks {
		mergeCandles(t, l, key(data.KlineMark), 0, 48, func(h int) float64 { return 61000 + float64(h) })
	}
	return l
}

func TestKlinesMarketEqualsBasisMarket(t *testing.T) {
	l := klineLake(t, false)
	spec := Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0, To: t0.Add(47 * time.Hour)}
	spec.Prices = PricesBasis
	basis, err := Load(l, spec)
	if err != nil {
		t.Fatal(err)
	}
	spec.Prices = PricesKlines
	klines, err := Load(l, spec)
	if err != nil {
		t.Fatal(err)
	}
	b, k := basis.Market, klines.Market
	if b.FuturesSource != "basis" || b.SpotSource != "basis index" || k.FuturesSource != "klines futures 1h" || k.SpotSource != "klines index 1h" {
		t.Errorf("sources: basis %q/%q, klines %q/%q", b.FuturesSource, b.SpotSource, k.FuturesSource, k.SpotSource)
	}
	if !reflect.DeepEqual(b.Times, k.Times) || !reflect.DeepEqual(b.Spot, k.Spot) || !reflect.DeepEqual(b.Futures, k.Futures) || !reflect.DeepEqual(b.Funding, k.Funding) {
		t.Fatalf("markets differ:\nbasis  %v\nklines %v", b.Times, k.Times)
	}
	if !reflect.DeepEqual(basis.BasisGaps, klines.BasisGaps) || len(klines.Warnings) != 1 || !strings.Contains(klines.Warnings[0], "misses 3 periods") {
		t.Errorf("gaps %v / %v, warnings %q", basis.BasisGaps, klines.BasisGaps, klines.Warnings)
	}
	p := strategy.DefaultParams()
	rb, err := strategy.Run(b, p)
	if err != nil {
		t.Fatal(err)
	}
	rk, err := strategy.Run(k, p)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rb.Totals, rk.Totals) || !reflect.DeepEqual(rb.Equity, rk.Equity) || !reflect.DeepEqual(rb.Trades, rk.Trades) || !reflect.DeepEqual(rb.Settlements, rk.Settlements) {
		t.Errorf("the engine's results differ: %+v\n%+v", rb.Totals, rk.Totals)
	}
	sb, _ := SummaryOf(rb, 0)
	sk, _ := SummaryOf(rk, 0)
	if sk.FuturesSource != "klines futures 1h" || sk.SpotSource != "klines index 1h" {
		t.Errorf("summary sources %q, %q", sk.FuturesSource, sk.SpotSource)
	}
	sk.FuturesSource, sk.SpotSource = sb.FuturesSource, sb.SpotSource
	if !reflect.DeepEqual(sb, sk) {
		t.Errorf("summaries differ beyond their sources:\n%+v\n%+v", sb, sk)
	}
}

func TestKlinesSpotLegFromTheSpotMarket(t *testing.T) {
	l := klineLake(t, false)
	ld, err := Load(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0, Prices: PricesKlines, Spot: SpotMarket})
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Market
	if m.SpotSource != "klines spot 1h" || m.Spot[0] != 60005 || m.Futures[0] != 60030 {
		t.Errorf("spot leg %q: S %v, F %v", m.SpotSource, m.Spot[0], m.Futures[0])
	}
	if err := (Spec{Prices: PricesBasis, Spot: SpotMarket}).CheckSources(); err == nil {
		t.Error("spot candles on basis prices accepted")
	}
	if _, err := Load(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, Prices: PricesBasis, Spot: SpotMarket}); err == nil {
		t.Error("Load priced a spot market leg from the basis")
	}
}

func TestFundingWithoutMarkTakesTheMarkCandle(t *testing.T) {
	l := klineLake(t, true)
	out, err := Simulate(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0.Add(-24 * time.Hour), Prices: PricesKlines}, strategy.DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	// Events at −16h and −8h have no mark and no candle; the one at t0 has
	// its candle (61000); the later ones were sent with their marks.
	for _, e := range out.Loaded.Market.Funding {
		h := int(e.Instant.Sub(t0).Hours())
		switch {
		case h < 0 && (e.Mark.Valid || e.MarkFromCandle):
			t.Errorf("event at %dh: mark %v without a candle", h, e.Mark)
		case h == 0 && (!e.MarkFromCandle || e.Mark.Float64 != 61000):
			t.Errorf("event at t0: mark %v, from candle %v; want the candle's 61000", e.Mark, e.MarkFromCandle)
		case h > 0 && e.MarkFromCandle:
			t.Errorf("event at %dh: a sent mark replaced", h)
		}
	}
	s := out.Summary
	if s.MarkFromCandle != 1 || s.MissingMark != 2 {
		t.Errorf("events_mark_from_candle %d, events_missing_mark_price %d; want 1 (t0) and 2 (−16h, −8h: F used)", s.MarkFromCandle, s.MissingMark)
	}
	// A basis market keeps the engine's fallback (and its outputs as before).
	out, err = Simulate(l, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, Prices: PricesBasis}, strategy.DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary.MarkFromCandle != 0 {
		t.Errorf("a basis market took %d marks from candles", out.Summary.MarkFromCandle)
	}
}

func TestAutoChoosesOneSourceForTheWindow(t *testing.T) {
	withKlines, basisOnly := klineLake(t, false), testLake(t)
	spec := func(from time.Time) Spec {
		return Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: from, To: t0.Add(40 * time.Hour)}
	}
	cases := []struct {
		name  string
		l     *lake.Lake
		spec  Spec
		want  string // futures source, or the error's words
		first time.Time
	}{
		{"basis covers", withKlines, spec(t0), "basis", t0},
		{"whole series", withKlines, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual}, "basis", t0},
		{"only klines cover", withKlines, spec(t0.Add(-24 * time.Hour)), "klines futures 1h", t0.Add(-24 * time.Hour)},
		{"spot market needs klines", withKlines, Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.Perpetual, From: t0, Spot: SpotMarket}, "klines futures 1h", t0},
		{"neither covers", withKlines, spec(t0.Add(-48 * time.Hour)), "error: neither the basis nor the klines", time.Time{}},
		{"no klines: the basis as before", basisOnly, spec(t0.Add(-24 * time.Hour)), "basis", t0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ld, err := Load(c.l, c.spec)
			if want, ok := strings.CutPrefix(c.want, "error: "); ok {
				if err == nil || !errors.Is(err, ErrMissingData) || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "never mixes") {
					t.Fatalf("err %v, want %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if m := ld.Market; m.FuturesSource != c.want || !m.Times[0].Equal(c.first) {
				t.Errorf("source %q from %s, want %q from %s", m.FuturesSource, m.Times[0], c.want, c.first)
			}
		})
	}
}

func TestDatedKlinesWithDeliveriesFromDeliverySymbols(t *testing.T) {
	l := klineLake(t, false)
	cont := func(ct data.ContractType) data.KlineKey {
		return data.KlineKey{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: ct, Interval: "1h"}
	}
	mergeCandles(t, l, cont(data.CurrentQuarter), 0, 48, func(h int) float64 { return 60100 + float64(h)*10 })
	mergeCandles(t, l, cont(data.NextQuarter), 0, 48, func(h int) float64 { return 60500 + float64(h)*10 })
	spec := Spec{Symbol: "BTCUSDT", Period: "1h", Contract: data.CurrentQuarter, Prices: PricesKlines}

	// Without delivery dates in the lake, the rule (last Friday of March:
	// 2026-03-27 08:00), with its warning.
	ld, err := Load(l, spec)
	if err != nil {
		t.Fatal(err)
	}
	rule := time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC)
	if !ld.Market.Delivery[0].Equal(rule) || !strings.Contains(strings.Join(ld.Warnings, "\n"), "Binance's rule") {
		t.Errorf("delivery %s, warnings %q; want the rule's %s with a warning", ld.Market.Delivery[0], ld.Warnings, rule)
	}

	// A delivered contract's candles in the lake date its delivery (here a
	// made-up 20 March, so that it differs from the rule).
	mergeCandles(t, l, data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT_260320", Interval: "1h"}, 0, 2, func(h int) float64 { return 60100 })
	ld, err = Load(l, spec)
	if err != nil {
		t.Fatal(err)
	}
	m := ld.Market
	named := time.Date(2026, 3, 20, 8, 0, 0, 0, time.UTC)
	if !m.Delivery[0].Equal(named) || strings.Contains(strings.Join(ld.Warnings, "\n"), "Binance's rule") {
		t.Errorf("delivery %s, warnings %q; want %s from BTCUSDT_260320", m.Delivery[0], ld.Warnings, named)
	}
	if m.FuturesSource != "klines continuous CURRENT_QUARTER 1h" || m.SpotSource != "klines index 1h" || m.Futures[0] != 60100 || m.Spot[0] != 60000 {
		t.Errorf("legs %q %v, %q %v", m.FuturesSource, m.Futures[0], m.SpotSource, m.Spot[0])
	}
	if len(m.AltFutures) != len(m.Times) || m.AltFutures[0] != 60500 || !m.AltDelivery[0].After(named) {
		t.Errorf("next quarter %v delivering %v", m.AltFutures[:1], m.AltDelivery[:1])
	}
	out, err := Simulate(l, spec, strategy.DefaultParams(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if out.Summary.FuturesSource != "klines continuous CURRENT_QUARTER 1h" || out.Summary.GridPoints != 48 {
		t.Errorf("summary: %q, %d grid points", out.Summary.FuturesSource, out.Summary.GridPoints)
	}
}
