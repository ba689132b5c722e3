package sweep

import (
	"github.com/carry-research/carry/strategy"
	"github.com/carry-research/carry/strategy/backtest"
)

// ParamNames are the swept parameters in enumeration order (the last
// varies fastest): the market's symbol, period, contract, prices and spot,
// then the engine's parameters in strategy.ParamTable's order. Ids hash
// them in this order (prices and spot only when not at their defaults, so
// grids written before they existed keep their ids: space.hash).
var ParamNames = paramNames()

// marketNames are the grid's market fields, as ParamNames and
// Combination.Values name them.
func marketNames() []string { return []string{"symbol", "period", "contract", "prices", "spot"} }

// sourceDefaults are the price-source fields' values when a grid leaves
// them out; ids do not hash a field at its default.
var sourceDefaults = map[string]string{"prices": string(backtest.PricesAuto), "spot": string(backtest.SpotIndex)}

// sourceColumns are the results columns that say what priced each leg,
// the price-source fields' columns.
var sourceColumns = map[string]string{"prices": "futures_source", "spot": "spot_source"}

func paramNames() []string {
	names := marketNames()
	for _, p := range strategy.ParamTable() {
		names = append(names, p.Name)
	}
	return names
}

// paramColumns maps each of ParamNames to its results column (the market's
// columns are named as its fields).
func paramColumns() map[string]string {
	col := map[string]string{}
	for _, n := range marketNames() {
		col[n] = n
		if c, ok := sourceColumns[n]; ok {
			col[n] = c
		}
	}
	for _, p := range strategy.ParamTable() {
		col[p.Name] = p.Column
	}
	return col
}
