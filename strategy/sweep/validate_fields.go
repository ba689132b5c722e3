package sweep

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy/bounds"
)

// validateFields refuses, when the grid is read, a numeric value that no
// combination could use: not finite (NaN, ±Inf, beyond float64), negative
// where a negative means nothing, or outside the range the engine computes
// in (strategy/bounds) — so a sweep never starts on it. Values that do not
// read as numbers at all, and those the engine refuses in combination with
// others, stay with the expansion: their combinations are left out and
// counted as invalid, with the reason.
func validateFields(g *Grid) error {
	for _, f := range []struct {
		name string
		axis Axis
	}{
		{"capital", g.Capital}, {"leverage", g.Leverage}, {"spot_fee", g.SpotFee}, {"perp_fee", g.PerpFee},
		{"slippage", g.Slippage}, {"maintenance", g.Maintenance}, {"rebalance_below", g.RebalanceBelow},
		{"funding_lookback", g.FundingLookback}, {"funding_enter", g.FundingEnter}, {"funding_exit", g.FundingExit},
		{"basis_enter", g.BasisEnter}, {"basis_exit", g.BasisExit}, {"risk_free", g.RiskFree}, {"max_hold", g.MaxHold},
	} {
		for _, v := range f.axis {
			if err := checkField(f.name, v); err != nil {
				return fmt.Errorf("%s %q: %w", f.name, short(v), err)
			}
		}
	}
	return nil
}

func checkField(name, v string) error {
	if v == "" {
		return nil // null: off
	}
	if name == "max_hold" {
		return checkHold(v)
	}
	if notFinite(v) {
		return errNotFinite
	}
	d, err := decimal.NewFromString(v)
	if err != nil {
		return nil // not a number: the expansion refuses its combinations
	}
	if name == "funding_lookback" && !d.IsInteger() {
		return fmt.Errorf("want a whole number of events")
	}
	return bounds.Check(name, d)
}

// checkHold checks a max_hold as parseHold reads it: days (14d) or a Go
// duration (72h).
func checkHold(v string) error {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		if notFinite(days) {
			return errNotFinite
		}
		if n, err := decimal.NewFromString(days); err == nil {
			return bounds.CheckHoldDays(n)
		}
		return nil
	}
	if d, err := time.ParseDuration(v); err == nil {
		return bounds.CheckHold(d)
	}
	return nil
}

var errNotFinite = fmt.Errorf("not a finite number (NaN, ±Inf or beyond float64's ±1.8e308)")

// notFinite is bounds.NotFinite with YAML's spellings (.inf, -.Inf, .nan).
func notFinite(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case ".inf", "+.inf", "-.inf", ".nan":
		return true
	}
	return bounds.NotFinite(v)
}

// short is v for an error message: a value a range wrote out in full
// (1e400 has 401 digits) is cut in the middle.
func short(v string) string {
	if len(v) <= 40 {
		return v
	}
	return fmt.Sprintf("%s…%s (%d characters)", v[:12], v[len(v)-6:], len(v))
}
