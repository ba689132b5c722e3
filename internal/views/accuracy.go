package views

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// Accuracy is how well EstimateNext predicted the rates that settled. With
// no event to replay (no basis, or none between events) the means are
// undefined: null in JSON, "—" in text, never 0.
type Accuracy struct {
	Symbol string          `json:"symbol"`
	Events int             `json:"events"`
	MAE    analytics.Value `json:"mean_absolute_error"`
	// Bias is mean(estimate − actual).
	Bias analytics.Value `json:"bias"`
	// MeanAbsRate puts the error in scale: mean |actual rate|.
	MeanAbsRate analytics.Value `json:"mean_absolute_rate"`
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
	basis, ok, err := perpetualBasis(lake, symbol)
	if err != nil || !ok {
		return a, err // no perpetual series: no estimates, not an error
	}
	var mae, bias, meanAbs float64
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
				mae += math.Abs(d)
				bias += d
				meanAbs += math.Abs(r.FundingRate)
			}
		}
		prev = r
	}
	if a.Events > 0 {
		n := float64(a.Events)
		a.MAE, a.Bias, a.MeanAbsRate = analytics.Of(mae/n), analytics.Of(bias/n), analytics.Of(meanAbs/n)
	}
	return a, nil
}

// Row is the accuracy as carry funding --accuracy prints it: symbol,
// events, mean absolute error, bias and mean |rate| in percent (4
// decimals), "—" for a mean with no event behind it.
func (a Accuracy) Row() []string {
	pct := func(v analytics.Value, format string) string {
		if !v.Valid {
			return "—"
		}
		return fmt.Sprintf(format, v.V*100)
	}
	return []string{a.Symbol, strconv.Itoa(a.Events), pct(a.MAE, "%.4f%%"), pct(a.Bias, "%+.4f%%"), pct(a.MeanAbsRate, "%.4f%%")}
}

// rowsBetween are the rows with from < t < to: what was known before the
// settlement at to.
func rowsBetween(rows []data.BasisRow, from, to time.Time) []data.BasisRow {
	lo, _ := slices.BinarySearchFunc(rows, from, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	hi, _ := slices.BinarySearchFunc(rows, to, func(r data.BasisRow, t time.Time) int { return r.Timestamp.Compare(t) })
	return rows[lo:hi]
}

// perpetualBasis is the symbol's finest perpetual basis series, whole;
// ok is false when the lake has none. A lake that cannot be read is an
// error, not "no data".
func perpetualBasis(lake *lake.Lake, symbol string) (data.BasisSeries, bool, error) {
	keys, err := lake.BasisKeys()
	if err != nil {
		return data.BasisSeries{}, false, fmt.Errorf("listing the basis series for %s: %w", symbol, err)
	}
	k, ok := finestPerpetual(keys, symbol)
	if !ok {
		return data.BasisSeries{}, false, nil
	}
	s, err := lake.ReadBasis(k)
	if err != nil {
		return data.BasisSeries{}, false, fmt.Errorf("reading the basis of %s: %w", symbol, err)
	}
	return s, true, nil
}
