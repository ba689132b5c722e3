package analytics

import (
	"math"
	"testing"
)

func TestDescribe(t *testing.T) {
	// 1…10. Percentiles by linear interpolation of the empirical CDF
	// (x_k at k/n): p = 0.25 → 2.5, 0.5 → 5, 0.95 → 9.5, 0.05 → 1 (flat
	// below the first point, 1 at 0.1); sample std of 1…10 = √(82.5/9)
	// = 3.0276503540974917 (Python statistics.stdev).
	d := Describe([]float64{10, 9, 8, 7, 6, 5, 4, 3, 2, 1})
	cases := []struct {
		name string
		got  Value
		want float64
	}{{"mean", d.Mean, 5.5}, {"std", d.Std, 3.0276503540974917}, {"p25", d.P25, 2.5}, {"median", d.Median, 5},
		{"p95", d.P95, 9.5}, {"p05", d.P05, 1}, {"min", d.Min, 1}, {"max", d.Max, 10}}
	for _, c := range cases {
		if !c.got.Valid || math.Abs(c.got.V-c.want) > 1e-12 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if e := Describe(nil); e.Count != 0 || e.Mean.Valid || e.Median.Valid {
		t.Errorf("empty sample: %+v, want nulls", e)
	}
	if one := Describe([]float64{3}); one.Std.Valid || one.Median.V != 3 {
		t.Errorf("one value: %+v", one)
	}
}

func TestFundingStats(t *testing.T) {
	// 8h events of +0.01%, −0.01%, +0.03% and 4h events of +0.01%, +0.01%:
	// annualized r·(24/h)·365 = 10.95%, −10.95%, 32.85% and 21.9%, 21.9%.
	st := Funding([]float64{0.0001, -0.0001, 0.0003, 0.0001, 0.0001}, []int{8, 8, 8, 4, 4})
	if st.SharePositive.V != 0.8 || len(st.ByInterval) != 2 {
		t.Fatalf("%+v", st)
	}
	if h4 := st.ByInterval[0]; h4.Hours != 4 || h4.Events != 2 || math.Abs(h4.AnnualizedMean.V-0.219) > 1e-12 {
		t.Errorf("4h: %+v", h4)
	}
	if h8 := st.ByInterval[1]; h8.Hours != 8 || math.Abs(h8.AnnualizedMean.V-0.1095) > 1e-12 {
		t.Errorf("8h: %+v", h8)
	}
	// (10.95% − 10.95% + 32.85% + 21.9% + 21.9%) / 5 = 76.65% / 5.
	if math.Abs(st.Annualized.Mean.V-0.7665/5) > 1e-12 {
		t.Errorf("annualized mean %v", st.Annualized.Mean)
	}
}

func TestTurnover(t *testing.T) {
	// 40,000 traded over 10 days on a 10,000 average: 4 × 36.5 = 146 a year.
	if v := Turnover(40000, []float64{9000, 11000}, 10); math.Abs(v.V-146) > 1e-9 {
		t.Errorf("turnover %v", v)
	}
	if Turnover(1, nil, 10).Valid || Turnover(1, []float64{1}, 0).Valid {
		t.Error("undefined turnover is not null")
	}
}
