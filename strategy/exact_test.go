package strategy

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDecimalPartsIsTheShortestDecimal: decimalParts gives the decimal
// decimal.NewFromFloat (data.Decimal) gives, on listed values and on random
// ones of every magnitude.
func TestDecimalPartsIsTheShortestDecimal(t *testing.T) {
	cases := []struct {
		x float64
		m int64
		e int
	}{
		{0, 0, 0},
		{0.1095, 1095, -4},
		{0.10950000000000001, 10950000000000001, -17}, // 0.0001·24/8·365 in float64 (issue 11)
		{-0.00000007, -7, -8},
		{29035.16086957, 2903516086957, -8},
		{1e9, 1, 9},
		{-1e-300, -1, -300},
		{math.MaxFloat64, 17976931348623157, 292},
		{5e-324, 5, -324},
	}
	for _, c := range cases {
		m, e, err := decimalParts(c.x)
		if err != nil || m != c.m || e != c.e {
			t.Errorf("decimalParts(%v) = %d·10^%d, %v; want %d·10^%d", c.x, m, e, err, c.m, c.e)
		}
	}
	rng := rand.New(rand.NewPCG(31, 32))
	for range 20_000 {
		x := math.Float64frombits(rng.Uint64())
		if math.IsNaN(x) || math.IsInf(x, 0) {
			continue
		}
		m, e, err := decimalParts(x)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := decimal.New(m, int32(e)), decimal.NewFromFloat(x); !got.Equal(want) {
			t.Fatalf("decimalParts(%v) = %s, decimal.NewFromFloat %s", x, got, want)
		}
	}
	for _, x := range []float64{math.NaN(), math.Inf(1)} {
		if _, _, err := decimalParts(x); err == nil {
			t.Errorf("decimalParts(%v): no error", x)
		}
	}
}

// TestCmp3MatchesBigIntegers: cmp3 against math/big on random factors of
// every size, the extremes of int64 included.
func TestCmp3MatchesBigIntegers(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	extremes := []int64{0, 1, -1, math.MaxInt64, math.MinInt64, math.MinInt64 + 1, 1 << 62, -(1 << 62)}
	draw := func() int64 {
		switch rng.IntN(4) {
		case 0:
			return extremes[rng.IntN(len(extremes))]
		case 1:
			return rng.Int64N(2001) - 1000
		}
		return int64(rng.Uint64()) >> rng.IntN(63)
	}
	prod := func(a, b, c int64) *big.Int {
		p := big.NewInt(a)
		p.Mul(p, big.NewInt(b))
		return p.Mul(p, big.NewInt(c))
	}
	for range 200_000 {
		a1, a2, a3, b1, b2, b3 := draw(), draw(), draw(), draw(), draw(), draw()
		if rng.IntN(8) == 0 { // equal products, permuted
			b1, b2, b3 = a3, a1, a2
		}
		want := prod(a1, a2, a3).Cmp(prod(b1, b2, b3))
		if got := cmp3(a1, a2, a3, b1, b2, b3); got != want {
			t.Fatalf("cmp3(%d, %d, %d, %d, %d, %d) = %d, want %d", a1, a2, a3, b1, b2, b3, got, want)
		}
	}
}

func TestExactThreshold(t *testing.T) {
	cases := []struct {
		x    float64
		want string // the exact value, or the start of the error
	}{
		{0.1095, "0.1095"},
		{0.10950000000000001, "0.10950000000000001"}, // a float result is taken at its word
		{0, "0"},
		{-1e9, "-1000000000"},
		{1e18, "1000000000000000000"},
		{0.12345678901234568, "0.12345678901234568"},
		{1e-18, "0.000000000000000001"},
		{1.5e-18, "error: threshold 1.5e-18 has 19 decimal places"},
		{0.0012345678901234567, "error: threshold 0.0012345678901234567 has 19 decimal places"},
		{2e18, "error: threshold 2e+18: beyond ±1e18"},
		{math.NaN(), "error: threshold NaN is not a number"},
	}
	for _, c := range cases {
		th, err := ExactThreshold(c.x)
		got := th.String()
		if err != nil {
			got = "error: " + err.Error()
		}
		if !strings.HasPrefix(got, c.want) || (err == nil && got != c.want) {
			t.Errorf("ExactThreshold(%v) = %s, want %s", c.x, got, c.want)
		}
	}
}

func TestCommonUnits(t *testing.T) {
	cases := []struct {
		name  string
		xs    [][]float64
		p     int
		units [][]int64
		err   string
	}{
		{name: "Binance prices", xs: [][]float64{{29035.16086957, 16541.77}, {29050.1}}, p: 8,
			units: [][]int64{{2903516086957, 1654177000000}, {2905010000000}}},
		{name: "whole numbers", xs: [][]float64{{100, 2e3}, nil}, p: 0, units: [][]int64{{100, 2000}, {}}},
		{name: "rates", xs: [][]float64{{0.0001, -0.00000007, 0}}, p: 8, units: [][]int64{{10000, -7, 0}}},
		{name: "too many decimals", xs: [][]float64{{1e-19}}, err: "a value has 19 decimal places"},
		{name: "too large at the scale", xs: [][]float64{{1e11, 0.00000001}}, err: "1e+11 at 8 decimal places exceeds 2^62"},
	}
	for _, c := range cases {
		units, p, err := commonUnits(c.xs...)
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v, want %q", c.name, err, c.err)
			}
			continue
		}
		if err != nil || p != c.p || len(units) != len(c.units) {
			t.Fatalf("%s: %v at 10^-%d, %v; want %v at 10^-%d", c.name, units, p, err, c.units, c.p)
		}
		for j := range units {
			for i := range units[j] {
				if units[j][i] != c.units[j][i] {
					t.Errorf("%s: %v, want %v", c.name, units, c.units)
				}
			}
		}
	}
}

// TestFundingUnits: the per-event integers v_k = u_k·8760·D/h_k and D for
// the intervals the lake infers (1, 2, 3, 4, 8 h: D = 1) and others.
func TestFundingUnits(t *testing.T) {
	ev := func(rate float64, h int) FundingEvent { return FundingEvent{Rate: rate, IntervalHours: h} }
	cases := []struct {
		name  string
		evs   []FundingEvent
		den   int64
		scale int
		sum   []int64
	}{
		// 0.0001 at 8 h: 10^4 units × 8760/8 = 10,950,000, i.e. 0.1095
		// at N·D·10^8 = 10^8.
		{"8h", []FundingEvent{ev(0.0001, 8), ev(-0.0002, 8)}, 1, 4, []int64{0, 1095, -1095}},
		{"1h 4h 8h 3h", []FundingEvent{ev(0.0001, 1), ev(0.0001, 4), ev(0.0001, 8), ev(0.0001, 3)}, 1, 4,
			[]int64{0, 8760, 8760 + 2190, 8760 + 2190 + 1095, 8760 + 2190 + 1095 + 2920}},
		// 7 h: 8760/7 is not whole; D = 7, so 8 h weighs 8760·7/8 = 7665.
		{"8h 7h", []FundingEvent{ev(0.0008, 8), ev(0.0007, 7)}, 7, 4, []int64{0, 8 * 7665, 8*7665 + 7*8760}},
		// 16 h: 16/gcd(16, 8760) = 2.
		{"16h", []FundingEvent{ev(0.5, 16)}, 2, 1, []int64{0, 5 * 1095}},
	}
	for _, c := range cases {
		f, err := newFundingUnits(c.evs)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if f.den != c.den || f.scale != c.scale || len(f.sum) != len(c.sum) {
			t.Fatalf("%s: D %d scale %d sums %v; want %d, %d, %v", c.name, f.den, f.scale, f.sum, c.den, c.scale, c.sum)
		}
		for k := range f.sum {
			if f.sum[k] != c.sum[k] {
				t.Errorf("%s: sums %v, want %v", c.name, f.sum, c.sum)
			}
		}
	}
	// 0.12345678901234568 is 1.2e16 units at 10^-17, × 1095 > 2^62.
	if _, err := newFundingUnits([]FundingEvent{ev(0.12345678901234568, 8)}); err == nil {
		t.Error("an annualized rate beyond 2^62 units: no error")
	}
	// One rate of 1e-18 forces the scale 10^-18: 0.0001 at 1 h is then
	// 10^14·8760 = 8.76e17 units, each below 2^62 ≈ 4.6e18, their sum
	// above it from the sixth.
	many := []FundingEvent{ev(1e-18, 1)}
	for range 6 {
		many = append(many, ev(0.0001, 1))
	}
	if _, err := newFundingUnits(many); err == nil {
		t.Error("annualized rates summing beyond 2^62 units: no error")
	}
}
