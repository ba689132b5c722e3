package sweep

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// Fields in ParamNames order: a combination's values are indexed by them.
const (
	fSymbol = iota
	fPeriod
	fContract
	fCapital
	fLeverage
	fSpotFee
	fPerpFee
	fSlippage
	fMaintenance
	fRebalanceBelow
	fOnDelivery
	fFundingLookback
	fFundingEnter
	fFundingExit
	fBasisEnter
	fBasisExit
	fMaxHold
	fRiskFree
	fieldCount
)

// value is one listed value of a grid field, read once: its canonical form
// (what ids and Combination.Values hold), what it sets, or why the engine
// refuses every combination holding it. Values whose canonical forms are
// equal give equal combinations, so each field keeps one of them (the first
// listed) and the number of listed values it stands for.
type value struct {
	canon  string
	err    error
	weight int // listed values with this canonical form (or, failing, this text)

	dec       decimal.Decimal // capital, leverage, fees, slippage, maintenance, rebalance_below
	whole     int             // funding_lookback
	threshold *float64        // rule thresholds; nil: off
	hold      time.Duration   // max_hold; 0: off
	rate      float64         // risk_free
	period    data.Period
	contract  data.ContractType
}

// off is a rule's exit when its entry is off: the exit is then ignored.
var off = &value{}

// readValue reads one listed value of field f the way the engine's inputs
// are built from it, with the same error messages.
func readValue(f int, raw string) *value {
	name := ParamNames[f]
	v := &value{canon: raw}
	switch f {
	case fSymbol:
		v.canon = strings.ToUpper(raw)
		v.err = data.ValidateSymbol(v.canon)
	case fPeriod:
		v.period, v.err = data.ParsePeriod(raw)
	case fContract:
		v.contract, v.err = data.ParseContractType(raw)
		v.canon = string(v.contract)
	case fCapital, fLeverage, fSpotFee, fPerpFee, fSlippage, fMaintenance, fRebalanceBelow:
		x, err := decimal.NewFromString(raw)
		if err != nil {
			v.err = fmt.Errorf("%s %q: not a number", name, raw)
			break
		}
		v.dec, v.canon = x, x.String()
	case fOnDelivery:
		// Checked with the other parameters (Params.Validate).
	case fFundingLookback:
		if _, err := fmt.Sscan(raw, &v.whole); err != nil {
			v.err = fmt.Errorf("funding_lookback %q: not a whole number", raw)
		}
	case fFundingEnter, fFundingExit, fBasisEnter, fBasisExit:
		if raw == "" {
			break
		}
		x, err := decimal.NewFromString(raw)
		if err != nil {
			v.err = fmt.Errorf("%s %q: not a number", name, raw)
			break
		}
		t := x.InexactFloat64()
		v.threshold, v.canon = &t, x.String()
	case fMaxHold:
		if raw == "" {
			break
		}
		d, err := data.ParseDuration(raw)
		if err != nil || d <= 0 {
			v.err = fmt.Errorf("max_hold %q: want a duration such as 72h or 14d", raw)
			break
		}
		v.hold, v.canon = d, d.String()
	case fRiskFree:
		x, err := decimal.NewFromString(raw)
		if err != nil {
			v.err = fmt.Errorf("risk_free %q: not a number", raw)
			break
		}
		v.rate = x.InexactFloat64()
	}
	return v
}

// distinctValues reads an axis and keeps one value per canonical form, in
// the order of their first listing, each weighted by how many listed values
// it stands for. Values the engine refuses are kept apart by their text
// (their error messages quote it).
func distinctValues(f int, axis Axis) []*value {
	type key struct {
		failed bool
		text   string
	}
	var out []*value
	at := map[key]*value{}
	for _, raw := range axis {
		v := readValue(f, raw)
		k := key{v.err != nil, v.canon}
		if v.err != nil {
			k.text = raw
		}
		if first, ok := at[k]; ok {
			first.weight++
			continue
		}
		v.weight = 1
		at[k] = v
		out = append(out, v)
	}
	return out
}
