package sweep

import "github.com/carry-research/carry/strategy"

// ParamNames are the swept parameters in enumeration order (the last
// varies fastest): the market's symbol, period and contract, then the
// engine's parameters in strategy.ParamTable's order. Ids hash them in this
// order.
var ParamNames = paramNames()

// marketNames are the grid's market fields, as ParamNames and
// Combination.Values name them.
func marketNames() []string { return []string{"symbol", "period", "contract"} }

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
	}
	for _, p := range strategy.ParamTable() {
		col[p.Name] = p.Column
	}
	return col
}
