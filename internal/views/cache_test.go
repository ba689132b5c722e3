package views

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

var perpKey = data.BasisKey{Pair: "BTCUSDT", ContractType: data.Perpetual, Period: "1h"}

// smallLake: BTCUSDT perpetual and current-quarter basis and funding (a
// Special event among them, old rows without mark price), ETHUSDT with a
// quarterly only and no funding. Four partition files.
func smallLake(t *testing.T) *lake.Lake {
	t.Helper()
	l, err := lake.Open(filepath.Join(t.TempDir(), "lake"))
	if err != nil {
		t.Fatal(err)
	}
	var perp, cq, eth []data.BasisRow
	for i := range 24 {
		ts := t0.Add(time.Duration(i) * time.Hour)
		s := 60000 + float64(i)*10
		perp = append(perp, data.BasisRow{Timestamp: ts, IndexPrice: s, FuturesPrice: s + 12 + float64(i%3), Basis: 12, BasisRate: 0.0002})
		cq = append(cq, data.BasisRow{Timestamp: ts, IndexPrice: s, FuturesPrice: s + 900, Basis: 900, BasisRate: 0.015, AnnualizedBasisRate: data.Some(0.2124)})
		eth = append(eth, data.BasisRow{Timestamp: ts, IndexPrice: 3000, FuturesPrice: 3030, Basis: 30, BasisRate: 0.01, AnnualizedBasisRate: data.Some(0.1417)})
	}
	mergeBasis(t, l, perpKey, perp...)
	mergeBasis(t, l, data.BasisKey{Pair: "BTCUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, cq...)
	mergeBasis(t, l, data.BasisKey{Pair: "ETHUSDT", ContractType: data.CurrentQuarter, Period: "1h"}, eth...)
	var ev []data.FundingRow
	for i, h := range []int{0, 8, 11, 16} {
		r := data.FundingRow{FundingTime: t0.Add(time.Duration(h)*time.Hour + 3*time.Millisecond), FundingRate: 0.0001 * float64(i+1), RateType: data.Regular}
		if h == 11 {
			r.RateType = data.Special
		}
		if i > 1 {
			r.MarkPrice = data.Some(60000.5 + float64(i))
		}
		ev = append(ev, r)
	}
	if _, err := l.MergeFunding("BTCUSDT", ev, lake.WithIntervalHours(8)); err != nil {
		t.Fatal(err)
	}
	return l
}

func mergeBasis(t *testing.T, l *lake.Lake, k data.BasisKey, rows ...data.BasisRow) {
	t.Helper()
	if _, err := l.MergeBasis(k, rows); err != nil {
		t.Fatal(err)
	}
}

// TestCacheAnswersAsTheLake: every view from the cache is the view read
// from the lake, to the byte once encoded.
func TestCacheAnswersAsTheLake(t *testing.T) {
	l := smallLake(t)
	now := t0.Add(30 * time.Hour)
	c := NewCache(l, 0, nil, WithClock(func() time.Time { return now }))
	same := func(name string, fromCache, fromLake any, errs ...error) {
		t.Helper()
		for _, err := range errs {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
		}
		a, _ := json.Marshal(fromCache)
		b, _ := json.Marshal(fromLake)
		if string(a) != string(b) {
			t.Errorf("%s from the cache:\n%s\nfrom the lake:\n%s", name, a, b)
		}
	}
	cr, err1 := c.RatesJSON()
	lr, err2 := Rates(l, now)
	same("rates", json.RawMessage(cr), lr, err1, err2)
	if len(lr) != 1 || !lr[0].NextRateIsEstimate {
		t.Errorf("rates: %+v", lr)
	}
	cb, err1 := c.BasisJSON()
	lb, err2 := Basis(l, now)
	same("basis", json.RawMessage(cb), lb.Answer(), err1, err2)
	if len(lb.Rows) != 2 {
		t.Errorf("basis rows: %d", len(lb.Rows))
	}
	co, err1 := c.RateJSON("BTCUSDT")
	lo, err2 := RateOf(l, "BTCUSDT", now)
	same("rate", json.RawMessage(co), lo, err1, err2)
	for _, n := range []int{1, 3, 4, 1000} {
		ch, err1 := c.HistoryJSON("BTCUSDT", n)
		lh, err2 := History(l, "BTCUSDT", n)
		want, _ := json.Marshal(lh)
		if got := "[" + string(ch.Elements) + "]"; err1 != nil || err2 != nil || got != string(want) {
			t.Errorf("history of %d: %v %v\n%s\nwant\n%s", n, err1, err2, ch.Elements, want)
		}
	}
	if _, err := c.HistoryJSON("ETHUSDT", 5); !errors.Is(err, ErrUnknownSymbol) {
		t.Errorf("history of a symbol without funding: %v", err)
	}
	if _, err := c.RateJSON("ETHUSDT"); !errors.Is(err, ErrUnknownSymbol) {
		t.Errorf("a rate for a symbol without funding: %v", err)
	}
}

// TestCacheReloadsARewrittenPartition: many requests at once read each
// file once; a file rewritten (atomic rename) is read once more, and its new
// rows are served.
func TestCacheReloadsARewrittenPartition(t *testing.T) {
	l := smallLake(t)
	c := NewCache(l, 0, nil)
	all := func() BasisTable {
		t.Helper()
		var wg sync.WaitGroup
		var out []byte
		errs := make(chan error, 32)
		for i := range 16 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				tbl, err := c.BasisJSON()
				if _, rerr := c.RatesJSON(); err == nil {
					err = rerr
				}
				errs <- err
				if i == 0 {
					out = tbl
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		var answer BasisAnswer
		if err := json.Unmarshal(out, &answer); err != nil {
			t.Fatal(err)
		}
		return answer.Data
	}
	before := all()
	if got := c.Reads(); got != 4 {
		t.Fatalf("16 concurrent requests read %d files, want each of the 4 once", got)
	}
	if got := before.Rows[0].Ts; !got.Equal(t0.Add(23 * time.Hour)) {
		t.Fatalf("latest row at %v", got)
	}
	next := t0.Add(24 * time.Hour)
	mergeBasis(t, l, perpKey, data.BasisRow{Timestamp: next, IndexPrice: 61000, FuturesPrice: 61030, Basis: 30, BasisRate: 0.0005})
	after := all()
	if got := c.Reads(); got != 5 {
		t.Errorf("after one file was rewritten: %d reads, want 5", got)
	}
	if r := after.Rows[0]; !r.Ts.Equal(next) || r.PerpPrice.String() != "61030" {
		t.Errorf("the new row is not served: %+v", r)
	}
}

// TestCacheRechecksAfterTheInterval: within recheck of the last scan the
// cache answers from memory without looking at the files; after it, a
// rewritten file is seen.
func TestCacheRechecksAfterTheInterval(t *testing.T) {
	l := smallLake(t)
	now := t0
	c := NewCache(l, time.Second, nil)
	c.now = func() time.Time { return now }
	latest := func() time.Time {
		t.Helper()
		b, err := c.BasisJSON()
		var answer BasisAnswer
		if err == nil {
			err = json.Unmarshal(b, &answer)
		}
		if err != nil {
			t.Fatal(err)
		}
		return answer.Data.Rows[0].Ts.Time
	}
	old := latest()
	next := t0.Add(24 * time.Hour)
	mergeBasis(t, l, perpKey, data.BasisRow{Timestamp: next, IndexPrice: 61000, FuturesPrice: 61030, Basis: 30, BasisRate: 0.0005})
	now = now.Add(999 * time.Millisecond)
	if got := latest(); !got.Equal(old) {
		t.Errorf("within the interval: %v, want the version in memory %v", got, old)
	}
	now = now.Add(time.Millisecond)
	if got := latest(); !got.Equal(next) {
		t.Errorf("after the interval: %v, want %v", got, next)
	}
}
