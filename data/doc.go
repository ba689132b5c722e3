// Package data holds carry's dataset types and the Parquet lake that stores
// them.
//
// The lake is a directory of Hive-style partitions, one Parquet file per
// series:
//
//	<lake>/basis/pair=BTCUSDT/contract_type=PERPETUAL/period=1h/data.parquet
//	<lake>/funding/symbol=BTCUSDT/data.parquet
//
// Partition columns live in the path only (so DuckDB and pyarrow add them
// from the path without a clash); the file's footer repeats the series key
// and carries the series' backfill state. Every write replaces a partition's
// file atomically (temporary file, fsync, rename, fsync of the directory), so
// a reader sees the old or the new version, never a mix.
//
// This package imports nothing else of carry's; Arrow and Parquet types never
// leave it.
package data
