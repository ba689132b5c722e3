package views

import (
	"math"
	"slices"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Accuracy is how well EstimateNext predicted the rates that settled.
type Accuracy struct {
	Symbol string  `json:"symbol"`
	Events int     `json:"events"`
	MAE    float64 `json:"mean_absolute_error"`
	// Bias is mean(estimate − actual).
	Bias float64 `json:"bias"`
	// MeanAbsRate puts the error in scale: mean |actual rate|.
	MeanAbsRate float64 `json:"mean_absolute_rate"`
}

// AccuracyOf replays the lake's history: for every regular event with basis
// rows between it and the previous event, the estimate from those rows
// against the rate that settled.
func AccuracyOf(lake *lake.Lake, symbol string) (Accuracy, error) {
	a := Accuracy{Symbol: symbol}
	f, err := lake.ReadFunding(symbol)
	if err != nil {
		return a, err
	}
	basis, ok := perpetualBasis(lake, symbol)
	if !ok {
		return a, nil
	}
	var prev *data.FundingRow
	for i := range f.Rows {
		r := &f.Rows[i]
		if r.RateType == data.Special {
			continue
		}
		if prev != nil {
			window := rowsBetween(basis.Rows, prev.Instant(), r.Instant())
			if est, ok := EstimateNext(window, prev.Instant(), r.FundingIntervalHours); ok {
				d := est - r.FundingRate
				a.Events++
				a.MAE += math.Abs(d)
				a.Bias += d
				a.MeanAbsRate += math.Abs(r.FundingRate)
			}
		}
		prev = r
	}
	if a.Events > 0 {
		n := float64(a.Events)
		a.MAE, a.Bias, a.MeanAbsRate = a.MAE/n, a.Bias/n, a.MeanAbsRate/n
	}
	return a, nil
}

// rowsBetween are the rows with from < t < to: what was known before the
// settlement at to.
func rowsBetween(rows []data.BasisRow, from, to time.Time) []data.BasisRow {
	lo, _ := slices.BinarySearchFunc(rows, from, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	hi, _ := slices.BinarySearchFunc(rows, to, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	return rows[lo:hi]
}

// perpetualBasis is the symbol's finest perpetual basis series, whole.
func perpetualBasis(lake *lake.Lake, symbol string) (data.BasisSeries, bool) {
	keys, err := lake.BasisKeys()
	if err != nil {
		return data.BasisSeries{}, false
	}
	k, ok := finestPerpetual(keys, symbol)
	if !ok {
		return data.BasisSeries{}, false
	}
	s, err := lake.ReadBasis(k)
	return s, err == nil
}
