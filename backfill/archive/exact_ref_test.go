package archive

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// refParseExact is data.ParseExact before its fast path (data/numbers.go at
// 36733b6), so that the reference reader owes nothing to the new code.
func refParseExact(s string) (float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty number")
	}
	want, err := decimal.NewFromString(s)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("number %q: %w", s, err)
	}
	if !decimal.NewFromFloat(f).Equal(want) {
		return 0, fmt.Errorf("number %q has more significant digits than a float64 keeps exactly", s)
	}
	return f, nil
}
