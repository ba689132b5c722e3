package views

import (
	"math"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
)

// Binance's funding formula constants: interest 0.01% per 8 hours, and the
// clamp of (interest − premium) to ±0.05%.
const (
	interestPer8h = 0.0001
	clampBand     = 0.0005
)

// EstimateNext estimates the next funding rate with Binance's formula,
//
//	rate = P + clamp(I − P, −0.05%, +0.05%),  I = 0.01% × h/8,
//
// P being the mean premium (futures/index − 1) of the basis rows after the
// last settlement `since` (the premium index Binance averages over the
// interval, approximated by the perpetual's basis). No estimate without
// such rows. The exchange's cap and floor are not applied (the lake does not
// know them); they bind only in extreme markets.
func EstimateNext(rows []data.BasisRow, since time.Time, intervalHours int) (float64, bool) {
	i, _ := slices.BinarySearchFunc(rows, since, func(r data.BasisRow, t time.Time) int {
		if r.Timestamp.After(t) {
			return 1
		}
		return -1
	})
	var sum float64
	n := 0
	for _, r := range rows[i:] {
		sum += premium(r)
		n++
	}
	return nextRate(sum, n, intervalHours)
}

// premium is a basis row's futures/index − 1.
func premium(r data.BasisRow) float64 { return r.FuturesPrice/r.IndexPrice - 1 }

// nextRate is Binance's formula on the mean of n premiums summing to sum;
// none without premiums.
func nextRate(sum float64, n, intervalHours int) (float64, bool) {
	if n == 0 {
		return 0, false
	}
	p := sum / float64(n)
	interest := interestPer8h * float64(intervalHours) / 8
	return p + math.Max(-clampBand, math.Min(clampBand, interest-p)), true
}
