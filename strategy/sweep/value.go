package sweep

import (
	"strings"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// Fields in ParamNames order: a combination's values are indexed by them.
// The market's come first; the engine's parameters follow in
// strategy.ParamTable's order.
const (
	fSymbol = iota
	fPeriod
	fContract
	fPrices
	fSpot
	marketFields
	fieldCount = marketFields + strategy.ParamCount
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

	param    strategy.Value // an engine parameter's
	period   data.Period
	contract data.ContractType
	prices   backtest.PriceSource
	spot     backtest.SpotSource
}

// off is a rule's exit when its entry is off: the exit is then ignored.
var off = &value{}

// readValue reads one listed value of field f the way the engine's inputs
// are built from it (table is strategy.ParamTable), with the same error
// messages.
func readValue(f int, raw string, table []strategy.Param) *value {
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
	case fPrices:
		v.prices, v.err = backtest.ParsePriceSource(raw)
		v.canon = string(v.prices)
	case fSpot:
		v.spot, v.err = backtest.ParseSpotSource(raw)
		v.canon = string(v.spot)
	default:
		if v.param, v.err = table[f-marketFields].Read(raw, strategy.FromGrid); v.err == nil {
			v.canon = v.param.Canon
		}
	}
	return v
}

// distinctValues reads an axis and keeps one value per canonical form, in
// the order of their first listing, each weighted by how many listed values
// it stands for. Values the engine refuses are kept apart by their text
// (their error messages quote it).
func distinctValues(f int, axis Axis, table []strategy.Param) []*value {
	type key struct {
		failed bool
		text   string
	}
	var out []*value
	at := map[key]*value{}
	for _, raw := range axis {
		v := readValue(f, raw, table)
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
