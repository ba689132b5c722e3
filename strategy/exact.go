package strategy

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// pow10[k] = 10^k, k ≤ 18 (10^18 < 2^63).
var pow10 = [19]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// maxUnits bounds the integers the kernel's exact comparisons take: a
// difference of two of them still fits in an int64.
const maxUnits = 1 << 62

// decimalParts returns x as m·10^e, m without trailing zeros: the shortest
// decimal that parses back to x (strconv's shortest form, the same that
// decimal.NewFromFloat and data.Decimal give). For a number the lake stored
// (data.ParseExact) it is the number the exchange sent. It allocates
// nothing; m has at most 17 digits.
func decimalParts(x float64) (m int64, e int, err error) {
	// AppendFloat writes [-]d[.ddd]e±dd[d] into buf.
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, 0, fmt.Errorf("%v is not a number", x)
	}
	if x == 0 {
		return 0, 0, nil
	}
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], x, 'e', -1, 64)
	neg := s[0] == '-'
	if neg {
		s = s[1:]
	}
	digits := 0
	i := 0
	for ; s[i] != 'e'; i++ {
		if s[i] == '.' {
			continue
		}
		m = m*10 + int64(s[i]-'0')
		digits++
	}
	exp, expNeg := 0, s[i+1] == '-'
	for _, c := range s[i+2:] {
		exp = exp*10 + int(c-'0')
	}
	if expNeg {
		exp = -exp
	}
	e = exp - (digits - 1)
	for m%10 == 0 {
		m /= 10
		e++
	}
	if neg {
		m = -m
	}
	return m, e, nil
}

// errUnits is wrapped by the errors of commonUnits.
var errUnits = errors.New("not representable as exact integer units")

// commonUnits returns every value of xs as an integer at one common scale:
// u = x·10^p for the smallest p ≥ 0 that makes every value whole, with
// |u| ≤ 2^62. An error says which value does not fit.
func commonUnits(xs ...[]float64) (units [][]int64, p int, err error) {
	minE := 0
	for _, s := range xs {
		for _, x := range s {
			m, e, err := decimalParts(x)
			if err != nil {
				return nil, 0, fmt.Errorf("%w: %w", errUnits, err)
			}
			if m != 0 && e < minE {
				minE = e
			}
		}
	}
	p = -minE
	if p > 18 {
		return nil, 0, fmt.Errorf("%w: a value has %d decimal places, at most 18 are kept", errUnits, p)
	}
	units = make([][]int64, len(xs))
	for j, s := range xs {
		units[j] = make([]int64, len(s))
		for i, x := range s {
			m, e, _ := decimalParts(x)
			k := e + p
			if m != 0 && (k > 18 || absU(m) > maxUnits/uint64(pow10[k])) {
				return nil, 0, fmt.Errorf("%w: %v at %d decimal places exceeds 2^62", errUnits, x, p)
			}
			if m != 0 {
				units[j][i] = m * pow10[k]
			}
		}
	}
	return units, p, nil
}

func absU(x int64) uint64 {
	u := uint64(x)
	if x < 0 {
		u = -u
	}
	return u
}

func sign(x int64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// mul3 is the 192-bit product a·b·c as limbs hi, mid, lo.
func mul3(a, b, c uint64) (hi, mid, lo uint64) {
	h1, l1 := bits.Mul64(a, b)
	h2, lo := bits.Mul64(l1, c)
	h3, l3 := bits.Mul64(h1, c)
	mid, carry := bits.Add64(h2, l3, 0)
	return h3 + carry, mid, lo
}

// cmp3 is the sign of a₁·a₂·a₃ − b₁·b₂·b₃, exact for any int64 factors:
// each product is formed in 192 bits (|a₁a₂a₃| < 2^189). It allocates
// nothing and takes a few nanoseconds.
func cmp3(a1, a2, a3, b1, b2, b3 int64) int {
	sa, sb := sign(a1)*sign(a2)*sign(a3), sign(b1)*sign(b2)*sign(b3)
	if sa != sb {
		return sign(int64(sa - sb))
	}
	if sa == 0 {
		return 0
	}
	ah, am, al := mul3(absU(a1), absU(a2), absU(a3))
	bh, bm, bl := mul3(absU(b1), absU(b2), absU(b3))
	c := 0
	switch {
	case ah != bh:
		c = cmpU(ah, bh)
	case am != bm:
		c = cmpU(am, bm)
	default:
		c = cmpU(al, bl)
	}
	return sa * c
}

func cmpU(a, b uint64) int {
	switch {
	case a > b:
		return 1
	case a < b:
		return -1
	}
	return 0
}
