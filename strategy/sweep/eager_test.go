package sweep

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// eagerExpansion is the expansion as carry computed it before it became
// lazy: every raw combination built, checked and hashed, the duplicates
// found by id. The tests hold the lazy expansion to it; it is kept here,
// verbatim but for its names, and nowhere else.
type eagerExpansion struct {
	Combinations []Combination
	Invalid      int
	Duplicates   int
	Reasons      map[string]int
}

func eagerExpand(g *Grid) (eagerExpansion, error) {
	var from, to time.Time
	var err error
	if g.From != "" {
		if from, err = data.ParseDate(g.From); err != nil {
			return eagerExpansion{}, fmt.Errorf("grid from: %w", err)
		}
	}
	if g.To != "" {
		if to, err = data.ParseDate(g.To); err != nil {
			return eagerExpansion{}, fmt.Errorf("grid to: %w", err)
		}
	}
	axes := g.axes()
	total := 1
	for i, a := range axes {
		if len(a) == 0 {
			return eagerExpansion{}, fmt.Errorf("grid: %s has no values", ParamNames[i])
		}
		total *= len(a)
		if total > 5_000_000 {
			return eagerExpansion{}, fmt.Errorf("grid: more than 5,000,000 combinations")
		}
	}
	ex := eagerExpansion{Reasons: map[string]int{}}
	seen := map[string]bool{}
	idx := make([]int, len(axes))
	for n := 0; n < total; n++ {
		vals := map[string]string{}
		for i, a := range axes {
			vals[ParamNames[i]] = a[idx[i]]
		}
		if vals["funding_enter"] == "" {
			vals["funding_exit"] = ""
		}
		if vals["basis_enter"] == "" {
			vals["basis_exit"] = ""
		}
		c, err := eagerCombination(vals, from, to)
		switch {
		case err != nil:
			ex.Invalid++
			ex.Reasons[firstLine(err.Error())]++
		case seen[c.ID]:
			ex.Duplicates++
		default:
			seen[c.ID] = true
			c.Index = len(ex.Combinations)
			ex.Combinations = append(ex.Combinations, c)
		}
		for i := len(idx) - 1; i >= 0; i-- {
			if idx[i]++; idx[i] < len(axes[i]) {
				break
			}
			idx[i] = 0
		}
	}
	return ex, nil
}

func eagerCombination(v map[string]string, from, to time.Time) (Combination, error) {
	c := Combination{Values: v}
	sym := strings.ToUpper(v["symbol"])
	if err := data.ValidateSymbol(sym); err != nil {
		return c, err
	}
	period, err := data.ParsePeriod(v["period"])
	if err != nil {
		return c, err
	}
	ct, err := data.ParseContractType(v["contract"])
	if err != nil {
		return c, err
	}
	prices, err := backtest.ParsePriceSource(v["prices"])
	if err != nil {
		return c, err
	}
	spot, err := backtest.ParseSpotSource(v["spot"])
	if err != nil {
		return c, err
	}
	v["symbol"], v["contract"], v["prices"], v["spot"] = sym, string(ct), string(prices), string(spot)
	c.Spec = backtest.Spec{Symbol: sym, Period: period, Contract: ct, From: from, To: to, Prices: prices, Spot: spot}
	p := strategy.DefaultParams()
	for _, d := range []struct {
		name string
		dst  *decimal.Decimal
	}{{"capital", &p.Capital}, {"leverage", &p.Leverage}, {"spot_fee", &p.SpotFee}, {"perp_fee", &p.PerpFee},
		{"slippage", &p.Slippage}, {"maintenance", &p.Maintenance}, {"rebalance_below", &p.RebalanceBelow}} {
		x, err := decimal.NewFromString(v[d.name])
		if d.name != "capital" && d.name != "leverage" { // rates: 10bp, 0.1%
			x, err = strategy.ReadRate(v[d.name])
		}
		if err != nil {
			return c, fmt.Errorf("%s %q: %w", d.name, v[d.name], errNumber(d.name))
		}
		*d.dst = x
		v[d.name] = x.String()
	}
	p.OnDelivery = strategy.OnDelivery(v["on_delivery"])
	if _, err := fmt.Sscan(v["funding_lookback"], &p.Rules.FundingLookback); err != nil {
		return c, fmt.Errorf("funding_lookback %q: not a whole number", v["funding_lookback"])
	}
	for _, o := range []struct {
		name string
		dst  **float64
	}{{"funding_enter", &p.Rules.FundingEnter}, {"funding_exit", &p.Rules.FundingExit}, {"basis_enter", &p.Rules.BasisEnter}, {"basis_exit", &p.Rules.BasisExit}} {
		if v[o.name] == "" {
			continue
		}
		x, err := strategy.ReadRate(v[o.name])
		if err != nil {
			return c, fmt.Errorf("%s %q: %w", o.name, v[o.name], err)
		}
		f := x.InexactFloat64()
		*o.dst = &f
		v[o.name] = x.String()
	}
	if v["max_hold"] != "" {
		d, err := data.ParseDuration(v["max_hold"])
		if err != nil || d <= 0 {
			return c, fmt.Errorf("max_hold %q: want a duration such as 72h or 14d", v["max_hold"])
		}
		p.Rules.MaxHold = d
		v["max_hold"] = d.String()
	}
	rf, err := strategy.ReadRate(v["risk_free"])
	if err != nil {
		return c, fmt.Errorf("risk_free %q: %w", v["risk_free"], err)
	}
	c.RiskFree = rf.InexactFloat64()
	if err := p.Validate(); err != nil {
		return c, err
	}
	c.Params = p
	c.ID = eagerID(v, from, to)
	return c, nil
}

// errNumber is what the model says of a number that does not read: a
// rate's error names its units.
func errNumber(name string) error {
	if name == "capital" || name == "leverage" {
		return errors.New("not a number")
	}
	_, err := strategy.ReadRate("?")
	return err
}

func eagerID(v map[string]string, from, to time.Time) string {
	var b strings.Builder
	for _, n := range ParamNames {
		if (n == "prices" || n == "spot") && v[n] == sourceDefaults[n] {
			continue // not hashed at their defaults: ids as before these fields existed
		}
		fmt.Fprintf(&b, "%s=%s;", n, v[n])
	}
	fmt.Fprintf(&b, "from=%s;to=%s", stamp(from), stamp(to))
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:8])
}
