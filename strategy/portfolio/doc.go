// Package portfolio simulates a cross-sectional carry book: a universe of
// perpetual pairs (long spot, short perpetual, as strategy's single-pair
// model), ranked by their carry at each rebalance instant, the top K held
// with weights, each pair with its own isolated short. Run is the exact
// engine (decimal, P&L identity checked for the book and every pair at
// every grid point); Kernel is its float64 twin for sweeps, held to Run's
// money to 1e-9 by tests. The model is docs/model.md, "Portfolios".
package portfolio
