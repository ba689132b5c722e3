package data

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestParseExactFastPath checks which inputs take the fast path and that
// ParseExact answers as the slow path does for each.
func TestParseExactFastPath(t *testing.T) {
	cases := []struct {
		in   string
		fast bool // parsePlain accepts it (after TrimSpace)
	}{
		{"0", true},
		{"-0.00000000", true},                    // negative zero, as ParseFloat gives it
		{"00012.3400", true},                     // leading and trailing zeros do not count
		{"999999999999999", true},                // 15 digits
		{"9999999999999999", false},              // 16 digits: slow path, which refuses it
		{"99999999.9999999", true},               // 15 digits around a point
		{"9999999.99999999", true},               // Binance's largest price form
		{"0.000000000000000000000001", false},    // 24 decimals: beyond 10^22
		{"0.0000000000000000000001", true},       // 22 decimals
		{"1.0000000000000000000000000000", true}, // trailing zeros, however many
		{"100000000000000", true},                // 15 digits, zeros included
		{"1000000000000000", false},              // 16: integer zeros are significant
		{"0.1", true},
		{"-0.00000007", true},
		{"1e5", false}, // exponent: slow path (which accepts it)
		{"", false},
		{" 12 ", true}, // ParseExact trims first
		{".5", false},  // no integer digit: slow path (accepts it)
		{"5.", false},  // no decimal digit: slow path (accepts it)
		{"-", false},
		{"+", false},
		{"+1", true},
		{"1_000", false},
		{"0x10", false},
		{"NaN", false},
		{"12.3.4", false},
		{"١٢", false}, // non-ASCII digits
	}
	for _, c := range cases {
		_, fast := parsePlain(strings.TrimSpace(c.in))
		if fast != c.fast {
			t.Errorf("parsePlain(%q) fast = %v, want %v", c.in, fast, c.fast)
		}
		assertSameAsSlow(t, c.in)
	}
}

// assertSameAsSlow fails unless ParseExact and ParseExactBytes agree with
// parseExactSlow: the same float64 bits (so -0 stays -0) and the same error.
func assertSameAsSlow(t *testing.T, s string) {
	t.Helper()
	got, gotErr := ParseExact(s)
	want, wantErr := parseExactSlow(s)
	switch {
	case (gotErr == nil) != (wantErr == nil):
		t.Fatalf("ParseExact(%q) error %v, slow path error %v", s, gotErr, wantErr)
	case gotErr != nil && gotErr.Error() != wantErr.Error():
		t.Fatalf("ParseExact(%q) error %q, slow path error %q", s, gotErr, wantErr)
	case math.Float64bits(got) != math.Float64bits(want):
		t.Fatalf("ParseExact(%q) = %v, slow path %v", s, got, want)
	}
	if f, ok := ParseExactBytes([]byte(s)); ok && (wantErr != nil || math.Float64bits(f) != math.Float64bits(want)) {
		t.Fatalf("ParseExactBytes(%q) = %v, slow path %v, %v", s, f, want, wantErr)
	}
}

func FuzzParseExactFastPath(f *testing.F) {
	for _, s := range []string{"0", "-0.00000000", "00012.3400", "999999999999999", "9999999999999999",
		"0.1", "1e5", "", " 12 ", ".5", "5.", "-", "+1", "68878.27000000", "-0.00000007", "0.0000000000000000000001",
		"123456789012345", "1234567.89012345", "0.000123456789012345", "9007199254740993"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { assertSameAsSlow(t, s) })
}

func BenchmarkParseExact(b *testing.B) {
	in := []string{"68878.27000000", "0.00010000", "102.15954192", "-0.0004", "1234.567", "0"}
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := ParseExact(in[i%len(in)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("slow", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, err := parseExactSlow(in[i%len(in)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestParseExactFastPathGenerated compares the paths on decimals built to
// sit at the fast path's edges: 1–17 significant digits placed anywhere
// from 10^-25 to 10^17, with and without sign, leading and trailing zeros.
func TestParseExactFastPathGenerated(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200_000 {
		digits := make([]byte, 1+rng.IntN(17))
		for i := range digits {
			digits[i] = byte('0' + rng.IntN(10))
		}
		point := rng.IntN(len(digits)+25) - 24 // where the point goes, relative to the digits
		var s string
		switch {
		case point <= 0:
			s = "0." + strings.Repeat("0", -point) + string(digits)
		case point >= len(digits):
			s = string(digits) + strings.Repeat("0", point-len(digits))
		default:
			s = string(digits[:point]) + "." + string(digits[point:])
		}
		if rng.IntN(4) == 0 && strings.Contains(s, ".") {
			s += strings.Repeat("0", rng.IntN(5))
		}
		if rng.IntN(4) == 0 {
			s = strings.Repeat("0", 1+rng.IntN(3)) + s
		}
		s = []string{"", "-", "+"}[rng.IntN(3)] + s
		assertSameAsSlow(t, s)
	}
}
