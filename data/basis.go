package data

import (
	"fmt"
	"math"
	"time"
)

// BasisRow is one row of /futures/data/basis.
type BasisRow struct {
	Timestamp    time.Time // period start, UTC, millisecond precision
	IndexPrice   float64
	FuturesPrice float64
	Basis        float64 // futures − index, as sent
	BasisRate    float64 // basis / index, as sent (Binance rounds to 4 decimals)
	// AnnualizedBasisRate is null for PERPETUAL (Binance sends "").
	AnnualizedBasisRate NullFloat64
}

// Validate rejects rows no store should hold: non-finite or non-positive
// prices, a zero timestamp, or a timestamp off the period's grid.
func (r BasisRow) Validate(period Period) error {
	if r.Timestamp.IsZero() {
		return fmt.Errorf("basis row without timestamp")
	}
	if d := period.Duration(); d > 0 && r.Timestamp.UnixMilli()%d.Milliseconds() != 0 {
		return fmt.Errorf("basis row at %s is not on the %s grid", fmtTime(r.Timestamp), period)
	}
	for _, v := range []struct {
		name string
		v    float64
	}{{"indexPrice", r.IndexPrice}, {"futuresPrice", r.FuturesPrice}} {
		if math.IsNaN(v.v) || math.IsInf(v.v, 0) || v.v <= 0 {
			return fmt.Errorf("basis row at %s: %s %v is not a positive price", fmtTime(r.Timestamp), v.name, v.v)
		}
	}
	for _, v := range []float64{r.Basis, r.BasisRate, r.AnnualizedBasisRate.Float64} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("basis row at %s: non-finite value", fmtTime(r.Timestamp))
		}
	}
	return nil
}

func fmtTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
