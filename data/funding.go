package data

import (
	"fmt"
	"math"
	"time"
)

// RateType says whether a funding event is on the regular schedule.
type RateType string

// Binance's rate types.
const (
	Regular RateType = "Regular"
	// Special marks an extra settlement off the usual schedule.
	Special RateType = "Special"
)

// FundingRow is one settled funding event of /fapi/v1/fundingRate.
type FundingRow struct {
	// FundingTime is the settlement time as sent, milliseconds and all
	// (Binance stamps a few ms past the nominal instant).
	FundingTime time.Time
	FundingRate float64
	// MarkPrice is null where Binance sent "" (rows before late 2023).
	MarkPrice NullFloat64
	RateType  RateType
	// FundingIntervalHours is inferred by InferFundingIntervals from the gap
	// to the previous regular event.
	FundingIntervalHours int
}

// Instant is the nominal settlement instant: FundingTime truncated to the
// whole minute. Events are keyed and scheduled by it.
func (r FundingRow) Instant() time.Time { return r.FundingTime.Truncate(time.Minute) }

// Validate rejects rows no store should hold.
func (r FundingRow) Validate() error {
	if r.FundingTime.IsZero() {
		return fmt.Errorf("funding row without fundingTime")
	}
	if math.IsNaN(r.FundingRate) || math.IsInf(r.FundingRate, 0) || math.Abs(r.FundingRate) >= 1 {
		return fmt.Errorf("funding row at %s: rate %v is not a plausible funding rate", fmtTime(r.FundingTime), r.FundingRate)
	}
	if r.MarkPrice.Valid && !(r.MarkPrice.Float64 > 0) || math.IsInf(r.MarkPrice.Float64, 0) {
		return fmt.Errorf("funding row at %s: mark price %v is not a positive price", fmtTime(r.FundingTime), r.MarkPrice.Float64)
	}
	if r.RateType != Regular && r.RateType != Special {
		return fmt.Errorf("funding row at %s: unknown rateType %q", fmtTime(r.FundingTime), r.RateType)
	}
	return nil
}
