package analytics

import (
	"fmt"
	"math"
	"time"

	"github.com/shopspring/decimal"

	"github.com/carry-research/carry/data"
)

// OneBasisPoint is the tolerance of BasisAgreement.WithinOneBP: 0.0001,
// the last decimal Binance publishes basisRate with.
const OneBasisPoint = 0.0001

// BasisAgreement says how closely a basis rebuilt from candle opens agrees
// with the basis Binance published (/futures/data/basis).
type BasisAgreement struct {
	// Compared counts the instants with both an official row and both legs.
	Compared int `json:"compared"`
	// OfficialOnly counts official rows without a rebuilt rate (a leg's
	// candle missing); KlinesOnly counts rebuilt instants inside the
	// official window without an official row.
	OfficialOnly int `json:"official_only"`
	KlinesOnly   int `json:"klines_only"`
	// MedianAbsDiff and MaxAbsDiff describe |Δ| = |official − rebuilt
	// rounded to 4 decimals|, multiples of 0.0001; WithinOneBP is the
	// share of compared instants with |Δ| ≤ 0.0001.
	MedianAbsDiff Value `json:"median_abs_diff"`
	MaxAbsDiff    Value `json:"max_abs_diff"`
	WithinOneBP   Value `json:"within_1bp"`
	// MedianAbsDiffUnrounded and MaxAbsDiffUnrounded describe |official −
	// rebuilt| with the rebuilt rate unrounded: at least the rounding's
	// half basis point even when the legs are Binance's own prices.
	MedianAbsDiffUnrounded Value `json:"median_abs_diff_unrounded"`
	MaxAbsDiffUnrounded    Value `json:"max_abs_diff_unrounded"`
	// Worst is the instant of MaxAbsDiff (ties: the larger unrounded
	// difference, then the earlier instant); nil when nothing compared.
	Worst *BasisDiff `json:"worst"`
}

// BasisDiff is one compared instant.
type BasisDiff struct {
	At             time.Time `json:"at"`
	Official       float64   `json:"official"`        // basisRate as published
	Rebuilt        float64   `json:"rebuilt"`         // F/S − 1
	RebuiltRounded float64   `json:"rebuilt_rounded"` // F/S − 1 rounded half-up to 4 decimals
}

// CompareBasis pairs official basis rates with candle opens by instant and
// measures their agreement.
//
// officialAt[i] and officialRate[i] are a published row's timestamp and
// basisRate; legsAt[j], futuresOpen[j] and spotOpen[j] are the open time and
// opens of the futures candle F and the spot (or index) candle S of one
// instant. The rebuilt rate is
//
//	r = F/S − 1 = (F − S)/S,
//
// the definition of basisRate (basis / indexPrice). Binance publishes
// basisRate rounded half-up (away from zero on a tie) to 4 decimals, so a
// perfect rebuild differs from it by up to half a basis point before
// rounding. The headline difference therefore rounds r the same way, in
// exact decimal arithmetic on the prices as the exchange wrote them
// (data.Decimal), and Δ = official − round₄(r) is exact: a multiple of
// 0.0001, zero when the legs are the prices Binance used. The unrounded
// |official − r| is reported beside it.
//
// Only the official window is compared: rebuilt instants before the first
// or after the last official row are ignored, so years of klines against a
// month of basis count no klines-only rows outside that month. Medians are
// Describe's (linear interpolation of the empirical distribution). Times
// are matched to the millisecond and must be unique within each input;
// prices must be positive, as the lake stores them. CompareBasis panics if
// the slices of one input differ in length.
func CompareBasis(officialAt []time.Time, officialRate []float64, legsAt []time.Time, futuresOpen, spotOpen []float64) BasisAgreement {
	if len(officialAt) != len(officialRate) {
		panic(fmt.Sprintf("analytics: %d official times for %d rates", len(officialAt), len(officialRate)))
	}
	if len(legsAt) != len(futuresOpen) || len(legsAt) != len(spotOpen) {
		panic(fmt.Sprintf("analytics: %d leg times for %d futures and %d spot opens", len(legsAt), len(futuresOpen), len(spotOpen)))
	}
	var a BasisAgreement
	if len(officialAt) == 0 {
		return a
	}
	first, last := officialAt[0].UnixMilli(), officialAt[0].UnixMilli()
	official := make(map[int64]int, len(officialAt))
	for i, t := range officialAt {
		ms := t.UnixMilli()
		official[ms] = i
		first, last = min(first, ms), max(last, ms)
	}
	legs := make(map[int64]int, len(legsAt))
	for j, t := range legsAt {
		if ms := t.UnixMilli(); ms >= first && ms <= last {
			legs[ms] = j
			if _, ok := official[ms]; !ok {
				a.KlinesOnly++
			}
		}
	}
	var rounded, unrounded []float64
	var worstAbs, worstRaw float64
	within := 0
	for i, t := range officialAt {
		j, ok := legs[t.UnixMilli()]
		if !ok {
			a.OfficialOnly++
			continue
		}
		d := BasisDiff{At: t, Official: officialRate[i], Rebuilt: futuresOpen[j]/spotOpen[j] - 1}
		f, s := data.Decimal(futuresOpen[j]), data.Decimal(spotOpen[j])
		r4 := f.Sub(s).DivRound(s, 4)
		d.RebuiltRounded = r4.InexactFloat64()
		delta := data.Decimal(d.Official).Sub(r4).Abs()
		abs := delta.InexactFloat64()
		if delta.LessThanOrEqual(decimal.New(1, -4)) {
			within++
		}
		raw := math.Abs(d.Official - d.Rebuilt)
		if a.Worst == nil || worse(abs, raw, t, worstAbs, worstRaw, a.Worst.At) {
			a.Worst, worstAbs, worstRaw = &d, abs, raw
		}
		rounded, unrounded = append(rounded, abs), append(unrounded, raw)
	}
	a.Compared = len(rounded)
	if a.Compared == 0 {
		return a
	}
	r, u := Describe(rounded), Describe(unrounded)
	a.MedianAbsDiff, a.MaxAbsDiff = r.Median, r.Max
	a.MedianAbsDiffUnrounded, a.MaxAbsDiffUnrounded = u.Median, u.Max
	a.WithinOneBP = Of(float64(within) / float64(a.Compared))
	return a
}

// worse orders compared instants for BasisAgreement.Worst: the larger
// rounded difference, then the larger unrounded one, then the earlier.
func worse(abs, raw float64, at time.Time, worstAbs, worstRaw float64, worstAt time.Time) bool {
	if abs != worstAbs {
		return abs > worstAbs
	}
	if raw != worstRaw {
		return raw > worstRaw
	}
	return at.Before(worstAt)
}
