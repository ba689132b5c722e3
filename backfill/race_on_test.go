//go:build race

package backfill

// raceEnabled: the race detector slows this package's long tables about
// tenfold; they run a representative subset under it and whole without it
// (make test-pipeline).
const raceEnabled = true
