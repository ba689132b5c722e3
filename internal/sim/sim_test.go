package sim

import (
	"math"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/binancesim"
)

var end = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)

func f(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return v
}

func TestDeterministic(t *testing.T) {
	a, b := Market(DefaultConfig(end, 30, 3)), Market(DefaultConfig(end, 30, 3))
	k := binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}
	if !reflect.DeepEqual(a.Basis(k), b.Basis(k)) || !reflect.DeepEqual(a.Funding("SOLUSDT"), b.Funding("SOLUSDT")) {
		t.Error("the same seed gave different markets")
	}
	if c := Market(DefaultConfig(end, 30, 4)); reflect.DeepEqual(a.Basis(k), c.Basis(k)) {
		t.Error("another seed gave the same market")
	}
}

// TestFundingFollowsBinancesFormula recomputes every funding rate, over the
// years of klines, from the hourly premium of the perpetual's candles
// (their opens are the basis series' prices inside the basis window):
// rate = P + clamp(I − P, ±0.05%),
// capped at ±2%, P the interval's mean premium (futures/index − 1),
// I = 0.01% per 8h scaled to the interval.
func TestFundingFollowsBinancesFormula(t *testing.T) {
	c := DefaultConfig(end, 60, 5)
	c.Years = 1
	m := Market(c)
	for _, p := range c.Pairs {
		keys := KlineKeys(p.Symbol)
		fut, idx := m.Klines(keys[0]), m.Klines(keys[2])
		premium, index := map[int64]float64{}, map[int64]float64{}
		for i, r := range idx {
			premium[r.OpenTime] = f(fut[i].Open)/f(r.Open) - 1
			index[r.OpenTime] = f(r.Open)
		}
		events := m.Funding(p.Symbol)
		if first := time.UnixMilli(events[0].FundingTime).UTC().Truncate(time.Hour); first.After(c.KlinesFrom().Add(time.Duration(p.IntervalHours) * time.Hour)) {
			t.Errorf("%s: funding from %s, want from %s on", p.Symbol, first, c.KlinesFrom())
		}
		clamped := 0
		for i, ev := range events {
			at := ev.FundingTime / 3_600_000 * 3_600_000
			if i > 0 && at-events[i-1].FundingTime/3_600_000*3_600_000 != int64(p.IntervalHours)*3_600_000 {
				t.Fatalf("%s: events %d apart, want %dh", p.Symbol, at-events[i-1].FundingTime, p.IntervalHours)
			}
			sum := 0.0
			for h := 0; h < p.IntervalHours; h++ {
				sum += premium[at-int64(h)*3_600_000]
			}
			avg := sum / float64(p.IntervalHours)
			interest := 0.0001 * float64(p.IntervalHours) / 8
			want := math.Max(-0.02, math.Min(0.02, avg+math.Max(-0.0005, math.Min(0.0005, interest-avg))))
			if interest-avg != math.Max(-0.0005, math.Min(0.0005, interest-avg)) {
				clamped++
			}
			// The futures price is rounded to its 0.01 tick, so the
			// recomputed premium is off by up to half a tick over the
			// price; the rate is rounded to 8 decimals.
			if got := f(ev.FundingRate); math.Abs(got-want) > 0.005/index[at]+1e-8 {
				t.Fatalf("%s event %d: rate %v, formula gives %v", p.Symbol, i, got, want)
			}
			if ev.MarkPrice == "" || ev.FundingTime%3_600_000 > 31 {
				t.Fatalf("%s event %d: mark %q, stamped %d ms late", p.Symbol, i, ev.MarkPrice, ev.FundingTime%3_600_000)
			}
		}
		if clamped == 0 {
			t.Errorf("%s: the clamp never bound: the formula's clamp is untested", p.Symbol)
		}
	}
}

func TestQuarterliesConvergeAtDelivery(t *testing.T) {
	c := DefaultConfig(end, 120, 5)
	m := Market(c)
	delivery := time.Date(2026, 6, 26, 8, 0, 0, 0, time.UTC)
	for _, r := range m.Basis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "CURRENT_QUARTER", Period: "1h"}) {
		ts := time.UnixMilli(r.Timestamp)
		if ts.Before(delivery) && delivery.Sub(ts) <= 2*time.Hour {
			if gap := math.Abs(f(r.FuturesPrice)/f(r.IndexPrice) - 1); gap > 0.001 {
				t.Errorf("%s, %s before delivery: futures %.2f%% from the index", ts, delivery.Sub(ts), gap*100)
			}
		}
		if ts.Equal(delivery) && f(r.FuturesPrice)/f(r.IndexPrice)-1 < 0.005 {
			t.Errorf("at delivery the series should price the next contract (three months out)")
		}
	}
}

func TestRegimeSwitchAndRally(t *testing.T) {
	c := DefaultConfig(end, 120, 9)
	m := Market(c)
	switchAt := c.From().Add(c.SwitchAt)
	var before, after []float64
	for _, ev := range m.Funding("BTCUSDT") {
		if at := time.UnixMilli(ev.FundingTime); at.Before(c.From()) {
			continue // the history's regimes
		} else if at.Before(switchAt) {
			before = append(before, f(ev.FundingRate))
		} else {
			after = append(after, f(ev.FundingRate))
		}
	}
	if mean(before) <= mean(after) || mean(before) < 0.00005 {
		t.Errorf("funding means before/after the switch: %v / %v, want a bull then a lower bear regime", mean(before), mean(after))
	}
	rally := c.RallyStart("SOLUSDT")
	var s0, s1 float64
	for _, r := range m.Basis(binancesim.BasisKey{Pair: "SOLUSDT", ContractType: "PERPETUAL", Period: "1h"}) {
		switch time.UnixMilli(r.Timestamp) {
		case rally:
			s0 = f(r.IndexPrice)
		case rally.Add(24 * time.Hour):
			s1 = f(r.IndexPrice)
		}
	}
	if s1/s0-1 < 0.2 {
		t.Errorf("SOL moved %.1f%% over the rally day, want a sharp rally", (s1/s0-1)*100)
	}
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
