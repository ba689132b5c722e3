package sweep

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
	"unsafe"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/backtest"
)

// TestRowFormatterEqualsColumns: the column plan formats rows byte for
// byte as backtest.Columns and encoding/csv do, on summaries filled with
// awkward values (exponents, nulls, negative zero, text needing quotes),
// repeated and changed as the formatter's memory of last cells sees them.
func TestRowFormatterEqualsColumns(t *testing.T) {
	plan := newRowPlan()
	header, _, err := columns()
	if err != nil {
		t.Fatal(err)
	}
	width := 2
	for _, pc := range plan.cells {
		width++
		if pc.kind == cellIntervals { // one cell of the plan, IntervalColumns' columns in the row
			n, _, _ := backtest.IntervalColumns("", nil)
			width += len(n) - 1
		}
	}
	if width != len(header) {
		t.Fatalf("plan has %d cells, the header %d columns", width, len(header))
	}
	rng := rand.New(rand.NewPCG(1, 2))
	floats := []float64{0, math.Copysign(0, -1), 1, -1, 0.1, 1e-6, 9.99e-7, 1e-7, 1.5e-12, 1e20, 1e21, 123456.789, -3.25e-9, math.Inf(1), math.NaN(), 10000}
	strs := []string{"", "BTCUSDT", "a,b", `say "hi"`, " lead", "\tx", "line\nbreak", `\.`, "1h", "klines futures 1h", "é"}
	intervals := [][]analytics.IntervalFunding{nil, {}, {{}},
		{{Hours: 4, Events: 7, AnnualizedMean: analytics.Of(0.125)}, {Hours: 8, Events: 3, AnnualizedMean: analytics.Of(-1.5e-7)}},
		{{Hours: 1, Events: 2, AnnualizedMean: analytics.Of(3)}, {Hours: 3, Events: 1, AnnualizedMean: analytics.Of(0.3)}, {Hours: 6, Events: 2, AnnualizedMean: analytics.Value{}}}}
	f := newRowFormatter(plan)
	var s backtest.Summary
	for row := range 3000 {
		base := unsafe.Pointer(&s)
		for _, pc := range plan.cells {
			if row > 0 && rng.IntN(3) > 0 {
				continue // keep the last value: the formatter's memory is used
			}
			ptr := unsafe.Add(base, pc.off)
			switch pc.kind {
			case cellString:
				*(*string)(ptr) = strs[rng.IntN(len(strs))]
			case cellFloat64:
				*(*float64)(ptr) = pick(rng, floats)
			case cellInt:
				*(*int)(ptr) = rng.IntN(2000) - 1000
			case cellBool:
				*(*bool)(ptr) = rng.IntN(2) == 0
			case cellValue:
				*(*analytics.Value)(ptr) = analytics.Value{V: pick(rng, floats), Valid: rng.IntN(4) > 0}
			case cellFloatPtr:
				var p *float64
				if rng.IntN(3) > 0 {
					x := pick(rng, floats)
					p = &x
				}
				*(**float64)(ptr) = p
			case cellTimePtr:
				var p *time.Time
				if rng.IntN(3) > 0 {
					x := time.Unix(rng.Int64N(2e9), rng.Int64N(2)*rng.Int64N(1e9)).UTC()
					p = &x
				}
				*(**time.Time)(ptr) = p
			case cellIntervals:
				*(*[]analytics.IntervalFunding)(ptr) = intervals[rng.IntN(len(intervals))]
			}
		}
		for _, v := range []*json.Number{&s.Capital, &s.FinalEquity} {
			*v = json.Number([]string{"10000", "10000.5", "-0.000001"}[rng.IntN(3)])
		}
		rec, err := record(Row{Index: row, ID: "0123456789abcdef", Summary: s})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := csvLine(rec)
		got, err := f.line(row, "0123456789abcdef", &s)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Fatalf("row %d:\n got %q\nwant %q", row, got, want)
		}
	}
}

func pick(rng *rand.Rand, xs []float64) float64 {
	if rng.IntN(4) == 0 {
		return (rng.Float64() - 0.5) * math.Pow(10, float64(rng.IntN(40)-20))
	}
	return xs[rng.IntN(len(xs))]
}
