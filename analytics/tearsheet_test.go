package analytics

import (
	"math"
	"testing"
	"time"
)

func near(got Value, want float64, tol float64) bool {
	return got.Valid && math.Abs(got.V-want) <= tol
}

// A window from 2025-12-30 12:00 to 2026-02-01 06:00 UTC (sparse day ends
// are enough: the periods only read the values at their ends).
var (
	calDays = []time.Time{at("2025-12-30T12:00:00Z"), at("2025-12-31T00:00:00Z"), at("2026-01-01T00:00:00Z"),
		at("2026-01-15T00:00:00Z"), at("2026-02-01T00:00:00Z"), at("2026-02-01T06:00:00Z")}
	calValues = []float64{100, 101, 102, 99, 103, 104}
)

// TestCalendarReturns: expected returns by hand (python3 for the digits):
// December 102/100 − 1 (starts mid-month: partial), January 103/102 − 1
// (whole), February 104/103 − 1 (ends on the 1st: partial); 2025
// 102/100 − 1, 2026 104/102 − 1.
func TestCalendarReturns(t *testing.T) {
	months := MonthlyReturns(calDays, calValues)
	wantM := []struct {
		y, m    int
		r       float64
		partial bool
	}{{2025, 12, 0.020000000000000018, true}, {2026, 1, 0.009803921568627416, false}, {2026, 2, 0.009708737864077666, true}}
	if len(months) != len(wantM) {
		t.Fatalf("%d months, want %d: %+v", len(months), len(wantM), months)
	}
	for i, w := range wantM {
		g := months[i]
		if g.Year != w.y || g.Month != w.m || g.Partial != w.partial || !near(g.Return, w.r, 1e-15) {
			t.Errorf("month %d: %+v, want %+v", i, g, w)
		}
	}
	years := YearlyReturns(calDays, calValues)
	if len(years) != 2 || years[0].Year != 2025 || !near(years[0].Return, 0.020000000000000018, 1e-15) ||
		years[1].Year != 2026 || !near(years[1].Return, 0.019607843137254832, 1e-15) || !years[0].Partial || !years[1].Partial {
		t.Errorf("years %+v", years)
	}
	table := MonthlyTable(months, years)
	if len(table) != 2 || table[0].Year != 2025 || !table[0].Months[11].Valid || table[0].Months[0].Valid ||
		table[1].Months[0] != months[1].Return || table[1].Months[1] != months[2].Return || table[1].Months[2].Valid ||
		table[1].YearReturn != years[1].Return {
		t.Errorf("table %+v", table)
	}
	// The months compound to the window's total return 104/100 − 1.
	g := 1.0
	for _, m := range months {
		g *= 1 + m.Return.V
	}
	if math.Abs(g-1.04) > 1e-12 {
		t.Errorf("months compound to %v, want 1.04", g)
	}
	// A window of whole months is not partial.
	whole := MonthlyReturns([]time.Time{at("2026-01-01T00:00:00Z"), at("2026-02-01T00:00:00Z")}, []float64{100, 110})
	if len(whole) != 1 || whole[0].Partial || !near(whole[0].Return, 0.1, 1e-15) {
		t.Errorf("whole month %+v", whole)
	}
	if MonthlyReturns(calDays[:1], calValues[:1]) != nil {
		t.Error("one value has no month")
	}
}

// TestBestWorst: the daily returns of calValues (python3): 0.01, 0.0099,
// −0.0294 (99/102 − 1, the day ending 2026-01-15 00:00, i.e. the 14th),
// 0.0404 (103/99 − 1, the 31st), 0.0097.
func TestBestWorst(t *testing.T) {
	best, worst := BestWorstDays(calDays, calValues)
	if best.Day != "2026-01-31" || !near(best.Return, 0.04040404040404044, 1e-15) ||
		worst.Day != "2026-01-14" || !near(worst.Return, -0.02941176470588236, 1e-15) {
		t.Errorf("best %+v worst %+v", best, worst)
	}
	bm, wm := BestWorstPeriods(MonthlyReturns(calDays, calValues))
	if bm.Month != 12 || wm.Month != 2 {
		t.Errorf("best month %+v, worst %+v", bm, wm)
	}
	if b, _ := BestWorstDays(calDays[:1], calValues[:1]); b.Return.Valid {
		t.Error("no return, no best day")
	}
	if b, _ := BestWorstPeriods(nil); b.Return.Valid {
		t.Error("no period, no best")
	}
}

// riskSample are 20 daily returns; the expected figures come from python3
// (standard library): central moments by hand, the k-th smallest with
// k = ⌈p·n⌉, sums for Omega.
var riskSample = []float64{0.012, -0.004, 0.007, -0.021, 0.003, 0.0, 0.009, -0.006, 0.015, -0.011,
	0.002, 0.004, -0.002, 0.018, -0.030, 0.006, 0.001, -0.003, 0.010, 0.005}

func TestRiskFigures(t *testing.T) {
	cases := []struct {
		name string
		got  Value
		want float64
		tol  float64
	}{
		{"skewness", Skewness(riskSample), -1.0600367655013203, 1e-12},
		{"excess kurtosis", ExcessKurtosis(riskSample), 1.063603245892117, 1e-12},
		// k = ⌈0.05·20⌉ = 1: the smallest return.
		{"VaR 95", ValueAtRisk(riskSample, 0.95), -0.03, 0},
		{"CVaR 95", ConditionalValueAtRisk(riskSample, 0.95), -0.03, 0},
		// k = 2: −0.021 and the mean of −0.03, −0.021.
		{"VaR 90", ValueAtRisk(riskSample, 0.90), -0.021, 0},
		{"CVaR 90", ConditionalValueAtRisk(riskSample, 0.90), -0.0255, 1e-15},
		// 0.092 of gains over 0.077 of losses.
		{"Omega 0", Omega(riskSample, 0), 1.194805194805195, 1e-12},
		{"Omega 0.5%", Omega(riskSample, 0.005), 0.33070866141732275, 1e-12},
		// Q(0.95) is the 19th smallest (0.015), Q(0.05) the smallest (−0.03).
		{"tail ratio", TailRatio(riskSample), 0.5, 1e-15},
	}
	for _, c := range cases {
		if !near(c.got, c.want, c.tol) {
			t.Errorf("%s = %+v, want %v", c.name, c.got, c.want)
		}
	}
	for name, v := range map[string]Value{
		"skewness of 2": Skewness([]float64{0.01, 0.02}), "kurtosis of constants": ExcessKurtosis([]float64{0.01, 0.01, 0.01}),
		"VaR of nothing": ValueAtRisk(nil, 0.95), "CVaR of nothing": ConditionalValueAtRisk(nil, 0.95),
		"Omega without losses": Omega([]float64{0.01, 0.02}, 0), "tail ratio with Q05 = 0": TailRatio([]float64{0, 0.01}),
	} {
		if v.Valid {
			t.Errorf("%s = %v, want null", name, v.V)
		}
	}
}

// TestRolling: windows of 3 over six returns; python3: statistics.stdev and
// mean of each window, ×√365, rf 5 %/yr spread as 0.05/365 a day.
func TestRolling(t *testing.T) {
	r := []float64{0.01, -0.02, 0.03, 0.005, -0.001, 0.004}
	vol := RollingVolatility(r, 3, 365)
	sharpe := RollingSharpe(r, 3, 0.05, 365)
	wantVol := []float64{0.4807979478602905, 0.47762432936357, 0.31412046521464765, 0.06141389636447655}
	wantSharpe := []float64{4.9570372418184245, 3.7163098503905165, 13.009870795505563, 15.034599463508622}
	if len(vol) != 6 || len(sharpe) != 6 || vol[0].Valid || vol[1].Valid || sharpe[1].Valid {
		t.Fatalf("vol %v sharpe %v", vol, sharpe)
	}
	for i := range wantVol {
		if !near(vol[i+2], wantVol[i], 1e-12) || !near(sharpe[i+2], wantSharpe[i], 1e-9) {
			t.Errorf("window ending %d: vol %+v sharpe %+v, want %v %v", i+2, vol[i+2], sharpe[i+2], wantVol[i], wantSharpe[i])
		}
	}
	if s := RollingSharpe([]float64{0.01, 0.01, 0.01}, 3, 0, 365); s[2].Valid {
		t.Error("Sharpe of a flat window must be null")
	}
}

// TestDrawdownPeriods: equity 100, 105, 103, 101, 106, 106, 104, 106, 100,
// 102 on consecutive days from 2026-03-01. By hand: 105 → 101 (days 1–3,
// back at 106 on day 4), 106 → 104 (the peak's last day 5, back on day 7),
// 106 → 100 (from day 7, not recovered by day 9); depths from python3.
func TestDrawdownPeriods(t *testing.T) {
	eq := []float64{100, 105, 103, 101, 106, 106, 104, 106, 100, 102}
	times := make([]time.Time, len(eq))
	for i := range times {
		times[i] = at("2026-03-01T00:00:00Z").AddDate(0, 0, i)
	}
	day := func(i int) time.Time { return times[i] }
	want := []struct {
		depth                  float64
		start, trough, recover int
		days                   float64
	}{{-0.05660377358490565, 7, 8, -1, 2}, {-0.03809523809523807, 1, 3, 4, 3}, {-0.018867924528301883, 5, 6, 7, 2}}
	got := WorstDrawdowns(times, eq, 5)
	if len(got) != 3 {
		t.Fatalf("%d drawdowns, want 3: %+v", len(got), got)
	}
	for i, w := range want {
		g := got[i]
		rec := g.Recovery == nil && w.recover < 0 || g.Recovery != nil && w.recover >= 0 && g.Recovery.Equal(day(w.recover))
		if !near(g.Depth, w.depth, 1e-15) || !g.Start.Equal(day(w.start)) || !g.Trough.Equal(day(w.trough)) || !rec || g.Days != w.days {
			t.Errorf("drawdown %d: %+v, want %+v", i, g, w)
		}
	}
	if two := WorstDrawdowns(times, eq, 2); len(two) != 2 || two[1].Start != day(1) {
		t.Errorf("worst two %+v", two)
	}
	// Under water at days 2, 3, 6, 8, 9 of 9 (day 5 equals the peak: not
	// below); the longest spell is the 3 days from day 1.
	share, longest := TimeUnderWater(times, eq)
	if !near(share, 5.0/9, 1e-15) || !near(longest, 3, 0) {
		t.Errorf("time under water %+v, longest %+v", share, longest)
	}
	// python3: √(Σ d_k²/9) over the drawdowns of days 1–9;
	// (102/100 − 1) / |100/106 − 1|.
	if u := UlcerIndex(eq); !near(u, 0.0274834071577659, 1e-15) {
		t.Errorf("Ulcer index %+v", u)
	}
	if rf := RecoveryFactor(eq); !near(rf, 0.3533333333333337, 1e-12) {
		t.Errorf("recovery factor %+v", rf)
	}
	rising := []float64{100, 101, 102}
	if DrawdownPeriods(times[:3], rising) != nil || RecoveryFactor(rising).Valid {
		t.Error("a rising curve has no drawdown")
	}
	if s, l := TimeUnderWater(times[:3], rising); !near(s, 0, 0) || !near(l, 0, 0) {
		t.Errorf("rising: %+v %+v", s, l)
	}
}

// TestFundingFigures: 8-hourly events from 2026-03-01 00:00 and a 24h
// window: the first full window ends at event 3 (24h after the start),
// holding events 1–3; python3 sums ×365.
func TestFundingFigures(t *testing.T) {
	start := at("2026-03-01T00:00:00Z")
	rates := []float64{0.0001, 0.0002, -0.0001, 0.0003, 0.0001, 0.0, 0.0002}
	times := make([]time.Time, len(rates))
	for i := range times {
		times[i] = start.Add(time.Duration(8*i) * time.Hour)
	}
	got := RollingFundingAPR(times, rates, 24*time.Hour, start)
	want := []float64{math.NaN(), math.NaN(), math.NaN(), 0.146, 0.1095, 0.146, 0.1095}
	for i, w := range want {
		if math.IsNaN(w) {
			if got[i].Valid {
				t.Errorf("event %d: %v, want null (window before the start)", i, got[i].V)
			}
			continue
		}
		if !near(got[i], w, 1e-15) {
			t.Errorf("event %d: %+v, want %v", i, got[i], w)
		}
	}
	// 3 of 5 payments received.
	if h := FundingHitRate([]float64{1.2, -0.3, 0, 0.5, 2}); !near(h, 0.6, 0) {
		t.Errorf("hit rate %+v", h)
	}
	if FundingHitRate(nil).Valid {
		t.Error("hit rate without events must be null")
	}
}

// TestBenchmark: python3 statistics.correlation, covariance/variance; the
// lines by hand.
func TestBenchmark(t *testing.T) {
	x := []float64{0.01, -0.02, 0.015, 0.0, -0.005, 0.02}
	y := []float64{0.02, -0.03, 0.01, 0.005, -0.01, 0.03}
	if c := Correlation(x, y); !near(c, 0.95650470816013, 1e-12) {
		t.Errorf("correlation %+v", c)
	}
	if b := Beta(x, y); !near(b, 0.6535008976660681, 1e-12) {
		t.Errorf("beta %+v", b)
	}
	if Correlation(x, []float64{1, 1, 1, 1, 1, 1}).Valid || Beta(x, []float64{1, 1, 1, 1, 1, 1}).Valid || Beta(x, y[:2]).Valid {
		t.Error("a constant benchmark or unequal lengths must be null")
	}
	// 10,000 into a price from 50 to 60 and 45.
	bh := BuyAndHold([]float64{50, 60, 45}, 10000)
	if len(bh) != 3 || bh[0] != 10000 || bh[1] != 12000 || bh[2] != 9000 {
		t.Errorf("buy and hold %v", bh)
	}
	// 5 %/yr for 73 days is 1 % (73/365 = 0.2).
	rf := RiskFreeLine([]time.Time{at("2026-01-01T00:00:00Z"), at("2026-03-15T00:00:00Z")}, 10000, 0.05)
	if rf[0] != 10000 || math.Abs(rf[1]-10100) > 1e-9 {
		t.Errorf("risk-free line %v", rf)
	}
}
