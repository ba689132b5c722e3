package views

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// BasisComparisonQuery selects the series CompareBasis compares.
type BasisComparisonQuery struct {
	// Symbols are pairs (BTCUSDT); empty: every pair with a PERPETUAL
	// basis series.
	Symbols []string
	// Periods of the basis series; empty: every period in the lake. Each
	// is compared with candles of the interval of the same name.
	Periods []data.Period
	// Spot is the kind of the spot leg: data.KlineIndex (Binance's index,
	// the indexPrice /futures/data/basis divides by; the default) or
	// data.KlineSpot (the spot market's own candles).
	Spot data.KlineKind
}

// BasisComparison is how the basis rebuilt from klines agrees with the
// official /futures/data/basis rows, per PERPETUAL series.
type BasisComparison struct {
	Lake string         `json:"lake"`
	Spot data.KlineKind `json:"spot"`
	// Series are the series compared, in the lake's order.
	Series []SeriesComparison `json:"series"`
	// Lacking are the series without the klines to rebuild them, each
	// with the backfill that would fetch them.
	Lacking []LackingKlines `json:"lacking"`
}

// SeriesComparison is one basis series against its two kline legs.
type SeriesComparison struct {
	Series  string        `json:"series"` // "BTCUSDT PERPETUAL 1h"
	Basis   data.BasisKey `json:"basis"`
	Futures string        `json:"futures_klines"` // "futures BTCUSDT 1h"
	SpotLeg string        `json:"spot_klines"`    // "index BTCUSDT 1h"
	analytics.BasisAgreement
}

// LackingKlines is a basis series that cannot be rebuilt yet.
type LackingKlines struct {
	Series  string   `json:"series"`
	Missing []string `json:"missing"` // the kline series absent, as keys print
	Fetch   string   `json:"fetch"`   // the command that fetches them
}

// ErrNothingCompared says no basis series had the klines to be compared.
var ErrNothingCompared = errors.New("no basis series could be compared with klines")

// CompareBasis rebuilds every selected PERPETUAL basis series of the lake
// from klines — F the futures candle's open of the pair, S the index (or
// spot) candle's open, at the interval named like the period — and compares
// it with the official rows over their window (analytics.CompareBasis).
// Series whose klines are not in the lake are listed in Lacking; a series
// that cannot be read fails the whole comparison.
func CompareBasis(l *lake.Lake, q BasisComparisonQuery) (BasisComparison, error) {
	if q.Spot == "" {
		q.Spot = data.KlineIndex
	}
	c := BasisComparison{Lake: l.Root(), Spot: q.Spot, Series: []SeriesComparison{}, Lacking: []LackingKlines{}}
	if q.Spot != data.KlineIndex && q.Spot != data.KlineSpot {
		return c, fmt.Errorf("comparing basis with klines: spot leg %q: want index or spot", q.Spot)
	}
	keys, err := l.BasisKeys()
	if err != nil {
		return c, fmt.Errorf("listing basis series: %w", err)
	}
	for _, k := range keys {
		if k.ContractType != data.Perpetual || len(q.Symbols) > 0 && !slices.Contains(q.Symbols, k.Pair) ||
			len(q.Periods) > 0 && !slices.Contains(q.Periods, k.Period) {
			continue
		}
		if err := c.add(l, k); err != nil {
			return c, err
		}
	}
	return c, nil
}

// add compares one basis series, or lists it as lacking klines.
func (c *BasisComparison) add(l *lake.Lake, k data.BasisKey) error {
	series := strings.TrimPrefix(k.String(), "basis ")
	iv := data.Interval(k.Period)
	fut := data.KlineKey{Kind: data.KlineFutures, Symbol: k.Pair, Interval: iv}
	spot := data.KlineKey{Kind: c.Spot, Symbol: k.Pair, Interval: iv}
	var legs [2]data.KlineSeries
	var missing, kinds []string
	for i, key := range []data.KlineKey{fut, spot} {
		s, err := l.ReadKlines(key)
		switch {
		case errors.Is(err, lake.ErrNoSeries) || err == nil && len(s.Rows) == 0:
			missing, kinds = append(missing, key.String()), append(kinds, string(key.Kind))
		case err != nil:
			return fmt.Errorf("comparing %s with klines: %w", series, err)
		}
		legs[i] = s
	}
	if len(missing) > 0 {
		c.Lacking = append(c.Lacking, LackingKlines{Series: series, Missing: missing,
			Fetch: fmt.Sprintf("carry backfill --datasets klines --kinds %s --intervals %s --symbols %s --data %s", strings.Join(kinds, ","), iv, k.Pair, c.Lake)})
		return nil
	}
	basis, err := l.ReadBasis(k)
	if err != nil {
		return fmt.Errorf("comparing %s with klines: %w", series, err)
	}
	at, rate := make([]time.Time, len(basis.Rows)), make([]float64, len(basis.Rows))
	for i, r := range basis.Rows {
		at[i], rate[i] = r.Timestamp, r.BasisRate
	}
	legsAt, f, s := joinOpens(legs[0].Rows, legs[1].Rows)
	c.Series = append(c.Series, SeriesComparison{Series: series, Basis: k, Futures: fut.String(), SpotLeg: spot.String(),
		BasisAgreement: analytics.CompareBasis(at, rate, legsAt, f, s)})
	return nil
}

// joinOpens pairs two candle series by open time: the instants both have,
// with each one's open.
func joinOpens(futures, spot []data.KlineRow) (at []time.Time, f, s []float64) {
	byTime := make(map[int64]float64, len(spot))
	for _, r := range spot {
		byTime[r.OpenTime.UnixMilli()] = r.Open
	}
	for _, r := range futures {
		if o, ok := byTime[r.OpenTime.UnixMilli()]; ok {
			at, f, s = append(at, r.OpenTime), append(f, r.Open), append(s, o)
		}
	}
	return at, f, s
}
