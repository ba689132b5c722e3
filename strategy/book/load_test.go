package book

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/strategy/backtest"
	"github.com/carry-research/carry/strategy/portfolio"
)

// pairData is one symbol of the test lake: 1h futures and index candles
// opening at hours [from, to), their quote volume 1000 + the hour (none
// when the hour is negative), funding every 8h over the same span, and
// a perpetual contract row when status is set.
type pairData struct {
	sym              string
	from, to         int
	candles, funding bool
	basis            bool // a perpetual basis series instead of candles
	status           string
	delivery         int // hour of the contract's delivery date
}

func universeLake(t *testing.T, pairs []pairData) *lake.Lake {
	t.Helper()
	l, err := lake.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pairs {
		price := func(h int) float64 { return 1000 + float64(h) }
		if p.candles {
			for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineIndex} {
				var rows []data.KlineRow
				for h := p.from; h < p.to; h++ {
					v := price(h)
					if kind == data.KlineFutures {
						v += 0.5
					}
					r := data.KlineRow{OpenTime: hour(h), CloseTime: hour(h + 1).Add(-time.Millisecond), Open: v, High: v, Low: v, Close: v}
					if kind == data.KlineFutures && h >= 0 {
						r.QuoteVolume = data.Some(1000 + float64(h))
					}
					rows = append(rows, r)
				}
				if _, err := l.MergeKlines(data.KlineKey{Kind: kind, Symbol: p.sym, Interval: "1h"}, rows); err != nil {
					t.Fatal(err)
				}
			}
		}
		if p.basis {
			var rows []data.BasisRow
			for h := p.from; h < p.to; h++ {
				rows = append(rows, data.BasisRow{Timestamp: hour(h), IndexPrice: price(h), FuturesPrice: price(h) + 0.5, Basis: 0.5, BasisRate: 0.005})
			}
			if _, err := l.MergeBasis(data.BasisKey{Pair: p.sym, ContractType: data.Perpetual, Period: "1h"}, rows); err != nil {
				t.Fatal(err)
			}
		}
		if p.funding {
			var ev []data.FundingRow
			for h := p.from - p.from%8; h < p.to; h += 8 {
				ev = append(ev, data.FundingRow{FundingTime: hour(h).Add(3 * time.Millisecond), FundingRate: 0.0001, MarkPrice: data.Some(price(h)), RateType: data.Regular})
			}
			if _, err := l.MergeFunding(p.sym, ev); err != nil {
				t.Fatal(err)
			}
		}
		if p.status != "" {
			row := data.ContractRow{Symbol: p.sym, ContractType: data.Perpetual, Status: p.status, DeliveryDate: hour(p.delivery), OnboardDate: hour(-1000)}
			if p.status == "TRADING" {
				row.DeliveryDate = time.UnixMilli(liveDeliveryDate).UTC()
			}
			if _, err := l.MergeContracts(p.sym, []data.ContractRow{row}); err != nil {
				t.Fatal(err)
			}
		}
	}
	return l
}

// testPairs: AAA over the whole window (and a day before it); BBB
// delisted at hour 36, as its contract says; CCC listed at hour 24; DDD
// ending at hour 30 without a contract (inferred delisted); GGG ending at
// hour 40 though listed trading; HHH priced from the basis (no candles);
// EEE with funding only; FFF whose data ends before the window.
var testPairs = []pairData{
	{sym: "AAAUSDT", from: -24, to: 72, candles: true, funding: true},
	{sym: "BBBUSDT", from: 0, to: 36, candles: true, funding: true, status: "SETTLING", delivery: 36},
	{sym: "CCCUSDT", from: 24, to: 72, candles: true, funding: true},
	{sym: "DDDUSDT", from: 0, to: 31, candles: true, funding: true},
	{sym: "EEEUSDT", from: 0, to: 72, funding: true},
	{sym: "FFFUSDT", from: -200, to: -100, candles: true, funding: true},
	{sym: "GGGUSDT", from: 0, to: 41, candles: true, funding: true, status: "TRADING"},
	{sym: "HHHUSDT", from: 0, to: 72, basis: true, funding: true},
}

func TestLoadUniverseAllHistory(t *testing.T) {
	l := universeLake(t, testPairs)
	got, err := LoadUniverse(l, UniverseSpec{AllHistory: true, Period: "1h", From: hour(0), To: hour(71)})
	if err != nil {
		t.Fatal(err)
	}
	var syms []string
	byName := map[string]int{}
	for i, m := range got.Universe.Members {
		syms = append(syms, m.Market.Symbol)
		byName[m.Market.Symbol] = i
	}
	// All-history: every perpetual with funding or futures candles meeting
	// the window, sorted; EEE has no prices (skipped), FFF ends before.
	if want := []string{"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "GGGUSDT", "HHHUSDT"}; !slices.Equal(syms, want) {
		t.Fatalf("members %v, want %v", syms, want)
	}
	if len(got.Skipped) != 1 || !strings.HasPrefix(got.Skipped[0], "EEEUSDT: ") {
		t.Errorf("skipped %q, want EEEUSDT with why", got.Skipped)
	}
	// Each member on its own data inside the window: first and last grid
	// hours are its candles' (or basis rows') inside [0, 71].
	for _, c := range []struct {
		sym         string
		first, last int
		since       int // hour of the member's first data in the lake (Since)
		delisted    bool
		warning     string // a warning about the symbol must contain this ("" : none about its delisting)
	}{
		// AAA's candles and funding start a day before the window: its
		// Since is hour −24, its grid the window's.
		{"AAAUSDT", 0, 71, -24, false, ""},
		{"BBBUSDT", 0, 35, 0, true, ""},                    // the contract: SETTLING, delivered at 36 ≥ 35 − 1 day − 1h
		{"CCCUSDT", 24, 71, 24, false, ""},                 // listed inside the window
		{"DDDUSDT", 0, 30, 0, true, "treated as delisted"}, // 30 < 71 − 24 and < the others' newest 71 − 24
		{"GGGUSDT", 0, 40, 0, false, "listed it trading"},
		{"HHHUSDT", 0, 71, 0, false, ""},
	} {
		m := got.Universe.Members[byName[c.sym]]
		times := m.Market.Times
		if !times[0].Equal(hour(c.first)) || !times[len(times)-1].Equal(hour(c.last)) || len(times) != c.last-c.first+1 {
			t.Errorf("%s: %d grid points %s → %s, want hours %d → %d", c.sym, len(times), times[0], times[len(times)-1], c.first, c.last)
		}
		if !m.Since.Equal(hour(c.since)) {
			t.Errorf("%s: since %s, want hour %d", c.sym, m.Since, c.since)
		}
		if m.Delisted != c.delisted {
			t.Errorf("%s: delisted %v, want %v", c.sym, m.Delisted, c.delisted)
		}
		found := false
		for _, w := range got.Warnings {
			if strings.HasPrefix(w, c.sym+": ") && (strings.Contains(w, "delisted") || strings.Contains(w, "trading")) {
				found = c.warning != "" && strings.Contains(w, c.warning)
				if !found {
					t.Errorf("%s: unexpected warning %q", c.sym, w)
				}
			}
		}
		if c.warning != "" && !found {
			t.Errorf("%s: no warning saying %q in %q", c.sym, c.warning, got.Warnings)
		}
	}
	if m := got.Universe.Members[byName["HHHUSDT"]]; m.QuoteVolume != nil || m.Market.FuturesSource != "basis" {
		t.Errorf("HHHUSDT, priced from the basis without candles: quote volume %v (want nil), source %q", m.QuoteVolume, m.Market.FuturesSource)
	}
}

// TestQuoteVolumeIsTheClosedCandles: the volume at Times[i] is the
// candle's that closed at Times[i], i.e. opened an hour before (quote
// volume 1000 + its opening hour, by construction): at hour h, 1000 + h −
// 1; never the candle opening at Times[i] (look-ahead). AAA's first grid
// point (hour 0) has the candle of hour −1, which has no volume (NaN); a
// window starting at hour 5 reads hour 4's candle before its first point.
func TestQuoteVolumeIsTheClosedCandles(t *testing.T) {
	l := universeLake(t, testPairs)
	for _, c := range []struct {
		from, to int
		want     map[int]float64 // grid hour → volume (NaN: absent)
	}{
		{0, 71, map[int]float64{0: math.NaN(), 1: 1000, 2: 1001, 71: 1070}},
		{5, 10, map[int]float64{5: 1004, 6: 1005, 10: 1009}},
	} {
		got, err := LoadUniverse(l, UniverseSpec{Symbols: []string{"AAAUSDT"}, Period: "1h", From: hour(c.from), To: hour(c.to), Prices: backtest.PricesKlines})
		if err != nil {
			t.Fatal(err)
		}
		m := got.Universe.Members[0]
		if len(m.QuoteVolume) != len(m.Market.Times) {
			t.Fatalf("%d volumes for %d grid points", len(m.QuoteVolume), len(m.Market.Times))
		}
		for i, at := range m.Market.Times {
			h := int(at.Sub(t0).Hours())
			want, ok := c.want[h]
			if !ok {
				continue
			}
			if v := m.QuoteVolume[i]; !(v == want || math.IsNaN(v) && math.IsNaN(want)) {
				t.Errorf("window %d–%d, hour %d: volume %v, want %v", c.from, c.to, h, v, want)
			}
		}
	}
}

func TestLoadUniverseLists(t *testing.T) {
	l := universeLake(t, testPairs)
	for _, c := range []struct {
		name     string
		spec     UniverseSpec
		members  []string
		delisted []string
		err      string
	}{
		// Given symbols, sorted and once each.
		{"list", UniverseSpec{Symbols: []string{"CCCUSDT", "AAAUSDT", "CCCUSDT"}, Period: "1h", From: hour(0), To: hour(71)}, []string{"AAAUSDT", "CCCUSDT"}, nil, ""},
		// A window ending before BBB's delisting (36 − 1 day − 1h = 11 >
		// 10) and at DDD's data: neither leaves delisted in it.
		{"early window", UniverseSpec{Symbols: []string{"BBBUSDT", "DDDUSDT"}, Period: "1h", From: hour(0), To: hour(10)}, []string{"BBBUSDT", "DDDUSDT"}, nil, ""},
		{"delisting in the window", UniverseSpec{Symbols: []string{"BBBUSDT"}, Period: "1h", From: hour(0), To: hour(12)}, []string{"BBBUSDT"}, []string{"BBBUSDT"}, ""},
		// An open window: the whole stored series; FFF's data is old.
		{"open window", UniverseSpec{AllHistory: true, Period: "1h", Prices: backtest.PricesKlines}, []string{"AAAUSDT", "BBBUSDT", "CCCUSDT", "DDDUSDT", "FFFUSDT", "GGGUSDT"}, []string{"BBBUSDT", "DDDUSDT", "FFFUSDT"}, ""},
		{"unknown symbol", UniverseSpec{Symbols: []string{"AAAUSDT", "ZZZUSDT"}, Period: "1h"}, nil, nil, "ZZZUSDT"},
		{"both", UniverseSpec{Symbols: []string{"AAAUSDT"}, AllHistory: true, Period: "1h"}, nil, nil, "either"},
		{"neither", UniverseSpec{Period: "1h"}, nil, nil, "either"},
		{"bad period", UniverseSpec{Symbols: []string{"AAAUSDT"}, Period: "7x"}, nil, nil, "7x"},
	} {
		got, err := LoadUniverse(l, c.spec)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want one naming %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		var members, delisted []string
		for _, m := range got.Universe.Members {
			members = append(members, m.Market.Symbol)
			if m.Delisted {
				delisted = append(delisted, m.Market.Symbol)
			}
		}
		if !slices.Equal(members, c.members) || !slices.Equal(delisted, c.delisted) {
			t.Errorf("%s: members %v delisted %v, want %v and %v (warnings %q, skipped %q)", c.name, members, delisted, c.members, c.delisted, got.Warnings, got.Skipped)
		}
	}
}

// TestAutoPricesLoadsAPairWithBothSources: with --prices auto a member
// with both futures candles and a perpetual basis is priced by the one
// source covering the longer span of the book's window (the basis on a
// tie, as a single pair's auto), never skipped for the two spans' union.
// Candles open at hours [from, to); basis rows are stamped at [from, to).
func TestAutoPricesLoadsAPairWithBothSources(t *testing.T) {
	for _, c := range []struct {
		name                 string
		klinesFrom, klinesTo int
		basisFrom, basisTo   int
		from, to             int // the book's window, hours; -1: open
		source               string
		firstHour, lastHour  int
	}{
		// Candles 0..71 (71 h) against basis 48..72 (24 h): the candles.
		{"the klines cover more", 0, 72, 48, 73, -1, -1, "klines futures 1h", 0, 71},
		// Candles 60..71 (11 h) against basis 0..72 (72 h): the basis.
		{"the basis covers more", 60, 72, 0, 73, -1, -1, "basis", 0, 72},
		// Both 0..71: the basis, as a single pair's auto when it covers.
		{"a tie takes the basis", 0, 72, 0, 72, -1, -1, "basis", 0, 71},
		// Inside the window [50, 80]: candles 50..71 (21 h), basis 50..72
		// (22 h): the basis, though the candles' whole span is longer.
		{"spans inside the window", 0, 72, 48, 73, 50, 80, "basis", 50, 72},
	} {
		l := universeLake(t, []pairData{
			{sym: "AAAUSDT", from: c.klinesFrom, to: c.klinesTo, candles: true},
			{sym: "AAAUSDT", from: min(c.klinesFrom, c.basisFrom), to: max(c.klinesTo, c.basisTo), funding: true},
			{sym: "AAAUSDT", from: c.basisFrom, to: c.basisTo, basis: true},
		})
		spec := UniverseSpec{Symbols: []string{"AAAUSDT"}, Period: "1h"}
		if c.from >= 0 {
			spec.From, spec.To = hour(c.from), hour(c.to)
		}
		got, err := LoadUniverse(l, spec)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if len(got.Universe.Members) != 1 {
			t.Errorf("%s: members %d, skipped %q; want AAAUSDT", c.name, len(got.Universe.Members), got.Skipped)
			continue
		}
		m := got.Universe.Members[0].Market
		if ts := m.Times; m.FuturesSource != c.source || !ts[0].Equal(hour(c.firstHour)) || !ts[len(ts)-1].Equal(hour(c.lastHour)) {
			t.Errorf("%s: priced by %q from %s to %s, want %q from hour %d to %d", c.name, m.FuturesSource, ts[0], ts[len(ts)-1], c.source, c.firstHour, c.lastHour)
		}
	}
}

// TestEverySymbolSkippedSaysWhy: a universe none of whose symbols loads is
// an error listing each skipped symbol and why, not an empty universe.
func TestEverySymbolSkippedSaysWhy(t *testing.T) {
	l := universeLake(t, testPairs)
	_, err := LoadUniverse(l, UniverseSpec{Symbols: []string{"EEEUSDT", "FFFUSDT"}, Period: "1h", From: hour(0), To: hour(71)})
	if err == nil {
		t.Fatal("no error, want one listing EEEUSDT and FFFUSDT")
	}
	// EEE has funding only; FFF's candles end 100 hours before the window.
	for _, want := range []string{"EEEUSDT: the lake holds no futures candles", "FFFUSDT: its prices"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q, want it to say %q", err, want)
		}
	}
}

// TestMinHistoryCountsFromTheLakesFirstData: a window starting at hour 48
// with a minimum history of 48 h. AAA's data began at hour −24 (72 h
// before), so it is eligible at the window's first rebalance; CCC was
// listed at hour 24 (24 h before), so it is not, though both have the
// same first grid point (hour 48).
func TestMinHistoryCountsFromTheLakesFirstData(t *testing.T) {
	l := universeLake(t, testPairs)
	got, err := LoadUniverse(l, UniverseSpec{Symbols: []string{"AAAUSDT", "CCCUSDT"}, Period: "1h", From: hour(48), To: hour(71)})
	if err != nil {
		t.Fatal(err)
	}
	p := portfolio.DefaultParams()
	p.Lookback, p.MinHistory = 1, 48*time.Hour
	plan, err := portfolio.NewPlan(got.Universe, p)
	if err != nil {
		t.Fatal(err)
	}
	d := plan.Decisions[0]
	if !plan.Times[d.Point].Equal(hour(48)) {
		t.Fatalf("first decision at %s, want hour 48", plan.Times[d.Point])
	}
	for j, want := range []bool{true, false} {
		if ok := !math.IsNaN(d.Signal[j]); ok != want {
			t.Errorf("%s at hour 48: eligible %v, want %v (since %s)", got.Universe.Members[j].Market.Symbol, ok, want, got.Universe.Members[j].Since)
		}
	}
}
