package analytics

import (
	"math"
	"testing"
	"time"
)

func TestCompareBasis(t *testing.T) {
	h := func(i int) time.Time {
		return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Hour)
	}
	type legs struct {
		at   []time.Time
		f, s []float64
	}
	cases := []struct {
		name         string
		at           []time.Time
		rate         []float64
		legs         legs
		tol          float64 // on every float figure
		compared     int
		offOnly      int
		klOnly       int
		median, max  float64 // rounded |Δ|
		within       float64
		medRaw, mRaw float64 // unrounded |Δ|
		worstAt      time.Time
		worstRounded float64
	}{
		{
			// real30's first row (2026-02-17 01:00): index 68878.27,
			// futures 68849.90, basisRate −0.0004. −28.37/68878.27 =
			// −0.00041188607088999 (Python fractions), rounded −0.0004:
			// Δ 0, unrounded 0.0000118860708899919.
			name: "real30's first row", at: []time.Time{h(0)}, rate: []float64{-0.0004},
			legs: legs{[]time.Time{h(0)}, []float64{68849.90}, []float64{68878.27}},
			tol:  1e-15, compared: 1, within: 1, medRaw: 1.1886070889991866e-05, mRaw: 1.1886070889991866e-05,
			worstAt: h(0), worstRounded: -0.0004,
		},
		{
			// h0: 100.05/100 − 1 = 0.0005 exactly, Δ 0. h1: 100.005/100 − 1
			// = 0.00005, a tie, half-up to 0.0001 (a float division gives
			// 4.99999999999883e-05 and would round to 0.0000). h3: 99.995
			// → −0.00005, away from zero to −0.0001. h4: 0.0008 against
			// 0.0010, Δ 0.0002. h2 has legs but no official row (klines
			// only); h5 has no legs (official only); h−1 and h6 lie outside
			// the official window and are ignored. Rounded |Δ| 0, 0, 0,
			// 0.0002: median (x_k at k/4, p = 0.5 → x_2) 0, within 3/4.
			// Unrounded ≈ 0, 0.00005, 0.00005, 0.0002: median 0.00005.
			name: "ties, gaps and the window",
			at:   []time.Time{h(0), h(1), h(3), h(4), h(5)}, rate: []float64{0.0005, 0.0001, -0.0001, 0.0010, 0.0003},
			legs: legs{[]time.Time{h(-1), h(0), h(1), h(2), h(3), h(4), h(6)},
				[]float64{100.1, 100.05, 100.005, 100.02, 99.995, 100.08, 100.1}, []float64{100, 100, 100, 100, 100, 100, 100}},
			tol: 1e-12, compared: 4, offOnly: 1, klOnly: 1, median: 0, max: 0.0002, within: 0.75,
			medRaw: 0.00005, mRaw: 0.0002, worstAt: h(4), worstRounded: 0.0008,
		},
		{
			// 100.02/100 − 1 = 0.0002 against 0.0003 and 0.0004: Δ exactly
			// 0.0001 (within; 0.0003 − 0.0002 in floats is not exactly
			// 0.0001) and 0.0002 (not). Median x_1 = 0.0001, within 1/2.
			name: "one basis point is within",
			at:   []time.Time{h(0), h(1)}, rate: []float64{0.0003, 0.0004},
			legs: legs{[]time.Time{h(1), h(0)}, []float64{100.02, 100.02}, []float64{100, 100}},
			tol:  1e-12, compared: 2, median: 0.0001, max: 0.0002, within: 0.5,
			medRaw: 0.0001, mRaw: 0.0002, worstAt: h(1), worstRounded: 0.0002,
		},
		{
			// No legs at all: every official row is official-only and the
			// figures are null (checked below by Valid).
			name: "no klines", at: []time.Time{h(0), h(1)}, rate: []float64{0.0001, 0.0002},
			offOnly: 2,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := CompareBasis(c.at, c.rate, c.legs.at, c.legs.f, c.legs.s)
			if a.Compared != c.compared || a.OfficialOnly != c.offOnly || a.KlinesOnly != c.klOnly {
				t.Fatalf("compared %d, official only %d, klines only %d; want %d, %d, %d", a.Compared, a.OfficialOnly, a.KlinesOnly, c.compared, c.offOnly, c.klOnly)
			}
			if c.compared == 0 {
				if a.MedianAbsDiff.Valid || a.MaxAbsDiff.Valid || a.WithinOneBP.Valid || a.MaxAbsDiffUnrounded.Valid || a.Worst != nil {
					t.Errorf("nothing compared, figures not null: %+v", a)
				}
				return
			}
			for _, v := range []struct {
				name string
				got  Value
				want float64
			}{{"median", a.MedianAbsDiff, c.median}, {"max", a.MaxAbsDiff, c.max}, {"within", a.WithinOneBP, c.within},
				{"median unrounded", a.MedianAbsDiffUnrounded, c.medRaw}, {"max unrounded", a.MaxAbsDiffUnrounded, c.mRaw}} {
				if !v.got.Valid || math.Abs(v.got.V-v.want) > c.tol {
					t.Errorf("%s = %v, want %v ± %g", v.name, v.got, v.want, c.tol)
				}
			}
			if w := a.Worst; w == nil || !w.At.Equal(c.worstAt) || math.Abs(w.RebuiltRounded-c.worstRounded) > c.tol {
				t.Errorf("worst %+v, want at %s rebuilt to %v", w, c.worstAt, c.worstRounded)
			}
		})
	}
}

func TestCompareBasisEmptyAndMismatched(t *testing.T) {
	if a := CompareBasis(nil, nil, []time.Time{time.Unix(0, 0)}, []float64{1}, []float64{1}); a.Compared != 0 || a.KlinesOnly != 0 || a.Worst != nil {
		t.Errorf("no official rows: %+v, want nothing (no window to compare in)", a)
	}
	defer func() {
		if recover() == nil {
			t.Error("mismatched lengths did not panic")
		}
	}()
	CompareBasis([]time.Time{time.Unix(0, 0)}, nil, nil, nil, nil)
}
