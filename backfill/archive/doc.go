// Package archive reads Binance's public data archive (data.binance.vision):
// monthly and daily zip files of klines and funding events, each with a
// .CHECKSUM beside it. It names the files (layout.go), says when each is
// expected to exist (available.go), plans which files cover a span and what
// is left to the REST API (plan.go), downloads a file to disk and verifies
// its SHA-256 (download.go), streams its rows (read.go), imports a plan file
// by file (importer.go), lists the bucket's folders — which symbols, delisted
// ones too, and which months — (list.go, list_symbols.go) and compares the archive's funding intervals with
// those inferred from the REST history (intervals.go).
//
// Nothing here holds more than one file's rows: downloads stream to a
// temporary file while hashing, and rows are read from the zip one at a
// time. See docs/archive.md.
package archive
