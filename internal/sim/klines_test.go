package sim

import (
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// TestKlinesSpanYearsAndJoinTheBasis: every pair's candles are hourly,
// without a hole, from the first of the month two years back to End; inside
// the basis window they open at the basis series' prices; spot is a few
// basis points off the index; and the basis window is the same whatever
// the years.
func TestKlinesSpanYearsAndJoinTheBasis(t *testing.T) {
	c := DefaultConfig(end, 30, 3)
	c.Years = DefaultYears
	m := Market(c)
	if from := c.KlinesFrom(); !from.Equal(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("klines from %s, want 2024-09-01", from)
	}
	for _, p := range c.Pairs {
		basis := map[string]map[int64]binancesim.BasisRecord{}
		for _, ct := range []string{"PERPETUAL", "CURRENT_QUARTER", "NEXT_QUARTER"} {
			basis[ct] = map[int64]binancesim.BasisRecord{}
			for _, r := range m.Basis(binancesim.BasisKey{Pair: p.Symbol, ContractType: ct, Period: "1h"}) {
				basis[ct][r.Timestamp] = r
			}
		}
		keys := KlineKeys(p.Symbol)
		for i, k := range keys {
			rows := m.Klines(k)
			if n := len(rows); n != int(c.End.Sub(c.KlinesFrom()).Hours())+1 {
				t.Fatalf("%s: %d candles", k, n)
			}
			for h, r := range rows {
				if r.OpenTime != c.KlinesFrom().Add(time.Duration(h)*time.Hour).UnixMilli() {
					t.Fatalf("%s candle %d opens at %d: not hourly", k, h, r.OpenTime)
				}
				if hi, lo := f(r.High), f(r.Low); hi < math.Max(f(r.Open), f(r.Close)) || lo > math.Min(f(r.Open), f(r.Close)) || lo <= 0 {
					t.Fatalf("%s candle %d: %+v", k, h, r)
				}
				want, ok := "", false
				switch i {
				case 0, 4, 5: // futures and continuous: the basis's futures price
					var b binancesim.BasisRecord
					b, ok = basis[map[int]string{0: "PERPETUAL", 4: "CURRENT_QUARTER", 5: "NEXT_QUARTER"}[i]][r.OpenTime]
					want = b.FuturesPrice
				case 2:
					var b binancesim.BasisRecord
					b, ok = basis["PERPETUAL"][r.OpenTime]
					want = b.IndexPrice
				}
				if ok && r.Open != want {
					t.Fatalf("%s at %d opens at %s, the basis says %s", k, r.OpenTime, r.Open, want)
				}
			}
		}
		idx, spot := m.Klines(keys[2]), m.Klines(keys[3])
		sum, most := 0.0, 0.0
		for h := range idx {
			off := math.Abs(f(spot[h].Open)/f(idx[h].Open) - 1)
			sum, most = sum+off, math.Max(most, off)
		}
		if avg := sum / float64(len(idx)); avg < 0.00005 || avg > 0.001 || most > 0.005 {
			t.Errorf("%s: spot off the index by %.2f bp on average, %.1f bp at most: want a few bp", p.Symbol, avg*1e4, most*1e4)
		}
	}
	short := c
	short.Years = 0
	k := binancesim.BasisKey{Pair: "ETHUSDT", ContractType: "NEXT_QUARTER", Period: "1h"}
	if s := Market(short); !reflect.DeepEqual(s.Basis(k), m.Basis(k)) {
		t.Error("the years changed the basis window")
	}
	if again := Market(c); !reflect.DeepEqual(again.Klines(KlineKeys("SOLUSDT")[3]), m.Klines(KlineKeys("SOLUSDT")[3])) {
		t.Error("the same seed gave other candles")
	}
}

// TestContinuousQuarterliesConvergeOverTheYears: at each delivery of the
// history the current quarter's continuous candles meet the index, then
// price the next contract.
func TestContinuousQuarterliesConvergeOverTheYears(t *testing.T) {
	c := DefaultConfig(end, 30, 5)
	c.Years = DefaultYears
	m := Market(c)
	idx := map[int64]float64{}
	for _, r := range m.Klines(data.KlineKey{Kind: data.KlineIndex, Symbol: "BTCUSDT", Interval: "1h"}) {
		idx[r.OpenTime] = f(r.Open)
	}
	open := map[int64]float64{}
	for _, r := range m.Klines(KlineKeys("BTCUSDT")[4]) {
		open[r.OpenTime] = f(r.Open)
	}
	deliveries := 0
	ds, _ := data.Deliveries(nil, c.KlinesFrom(), c.End)
	for _, d := range ds {
		if !d.After(c.KlinesFrom().Add(time.Hour)) || d.After(c.End) {
			continue
		}
		before := d.Add(-time.Hour).UnixMilli()
		if gap := math.Abs(open[before]/idx[before] - 1); gap > 0.001 {
			t.Errorf("%s, an hour before delivery: futures %.2f%% off the index", d, gap*100)
		}
		if gap := open[d.UnixMilli()]/idx[d.UnixMilli()] - 1; gap < 0.003 {
			t.Errorf("at the %s delivery the series should price the next contract: %.2f%% over the index", d, gap*100)
		}
		deliveries++
	}
	if deliveries < 8 {
		t.Errorf("%d deliveries in two years", deliveries)
	}
}
