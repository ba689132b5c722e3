// Package data is carry's vocabulary: the rows of its datasets (basis,
// funding, contracts, klines), their keys (pairs, contract types, periods,
// kline kinds and intervals), spans of time, nullable numbers and the
// exact reading of the exchange's decimal strings, funding schedules and
// gaps, and the column kinds of a results table. Every layer above speaks
// it; it imports nothing of carry's and no storage library, so the model
// (strategy) links neither Arrow nor Parquet.
//
// The Parquet lake that stores these rows is package data/lake.
package data
