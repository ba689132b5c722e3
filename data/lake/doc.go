// Package lake stores carry's datasets (package data's rows) in a directory
// of Hive-style Parquet partitions, one file per series:
//
//	<lake>/basis/pair=BTCUSDT/contract_type=PERPETUAL/period=1h/data.parquet
//	<lake>/funding/symbol=BTCUSDT/data.parquet
//	<lake>/contracts/pair=BTCUSDT/data.parquet
//	<lake>/klines/kind=futures/symbol=BTCUSDT/interval=1h/data.parquet
//	<lake>/klines/kind=continuous/symbol=BTCUSDT/contract_type=CURRENT_QUARTER/interval=4h/data.parquet
//
// Partition columns live in the path only (so DuckDB and pyarrow add them
// from the path without a clash); the file's footer repeats the series key
// and carries the series' backfill state. Every write replaces a partition's
// file atomically (package internal/atomicfile), under a per-partition file
// lock, so a reader sees the old or the new version, never a mix.
//
// It is the one package that does Parquet I/O: Arrow and Parquet types never
// leave it.
package lake
