//go:build race

package archive_test

// raceEnabled: the race detector slows parsing about tenfold; the long
// tests read a representative part of their data under it.
const raceEnabled = true
