package backtestcmd

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/strategy/bounds"
)

// checkBounds refuses, as the flags are read, an engine parameter no run
// could use (strategy/bounds): NaN, ±Inf, beyond float64, negative where a
// negative means nothing, or outside the range the engine computes in. The
// error names the flag and the value as written.
func (f *ParamFlags) checkBounds() error {
	for _, x := range []struct{ flag, src string }{
		{"capital", f.Capital}, {"leverage", f.Leverage}, {"spot-fee", f.SpotFee}, {"perp-fee", f.PerpFee},
		{"slippage", f.Slippage}, {"maintenance", f.Maintenance}, {"rebalance-below", f.RebalanceBelow},
		{"funding-enter", f.FundingEnter}, {"funding-exit", f.FundingExit}, {"basis-enter", f.BasisEnter},
		{"basis-exit", f.BasisExit}, {"risk-free", f.RiskFree},
	} {
		if strings.TrimSpace(x.src) == "" {
			continue // an optional rule left off
		}
		if bounds.NotFinite(strings.TrimSuffix(strings.TrimSpace(x.src), "%")) {
			return fmt.Errorf("--%s %q: not a finite number (NaN, ±Inf or beyond float64's ±1.8e308)", x.flag, x.src)
		}
		d, err := fraction(x.flag, x.src)
		if err != nil {
			return err
		}
		if err := bounds.Check(strings.ReplaceAll(x.flag, "-", "_"), d); err != nil {
			return fmt.Errorf("--%s %q: %w", x.flag, x.src, err)
		}
	}
	if f.FundingLookback < 0 {
		return fmt.Errorf("--funding-lookback %d: want a whole number of events from 1", f.FundingLookback)
	}
	return checkHold(f.MaxHold)
}

// checkHold refuses a --max-hold beyond a duration's range (292 years) or
// negative; ParseDuration reads the rest.
func checkHold(s string) error {
	if s == "" {
		return nil
	}
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		if bounds.NotFinite(days) {
			err = fmt.Errorf("not a finite number of days")
		} else if n, perr := decimal.NewFromString(days); perr == nil {
			err = bounds.CheckHoldDays(n)
		}
	} else if d, perr := time.ParseDuration(s); perr == nil {
		err = bounds.CheckHold(d)
	}
	if err != nil {
		return fmt.Errorf("--max-hold %q: %w", s, err)
	}
	return nil
}
