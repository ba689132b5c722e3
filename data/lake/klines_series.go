package lake

import (
	"fmt"
	"math"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// ReadKlines reads a kline series; a series not in the lake wraps
// ErrNoSeries. A damaged file fails with a *DamagedError (see
// WithRebuildDamaged).
func (l *Lake) ReadKlines(key data.KlineKey) (data.KlineSeries, error) {
	return l.readKlines(key, false)
}

// readKlines is ReadKlines; locked says the caller holds the partition's
// lock.
func (l *Lake) readKlines(key data.KlineKey, locked bool) (data.KlineSeries, error) {
	s := data.KlineSeries{Key: key}
	if err := checkKlineKey(key); err != nil {
		return s, err
	}
	var rows []data.KlineRow
	st, err := l.readSeries(l.KlinesPath(key), klinesWhat(key), DatasetKlines, klineFooterKey(key), locked,
		func(tbl arrow.Table) (err error) {
			rows, err = decodeKlines(tbl)
			return err
		})
	if err != nil {
		return s, err
	}
	s.Rows, s.State = rows, st
	return s, nil
}

// MergeKlines upserts closed candles into a kline series by open time (see
// upsert), keeps it sorted and rewrites the partition atomically; merging
// the same rows twice changes nothing.
//
// Invalid rows (see checkKline) fail the whole merge, naming the series and
// the candle, and leave the stored series as it was. A candle whose close
// time is after the lake's clock is still open: its prices are not final,
// so it is dropped, counted in OpenDropped and logged, and the rest are
// stored — every REST page that reaches the present ends with one, so
// refusing it would make every caller filter it first. Coverage recorded
// along with the merge (WithCovered) stops before the first dropped
// candle, so the next backfill asks for it again once it has closed.
func (l *Lake) MergeKlines(key data.KlineKey, rows []data.KlineRow, opts ...MergeOption) (MergeResult, error) {
	m, err := l.StartKlineMerge(key)
	if err != nil {
		return MergeResult{}, err
	}
	defer m.Abort()
	if _, err := m.Add(rows, opts...); err != nil {
		return MergeResult{}, err
	}
	return m.Commit()
}

func klinesWhat(key data.KlineKey) string { return "klines " + key.String() }

// checkKlineKey validates the key and refuses spellings other than the
// canonical ones (kind in lower case, contract type in upper case), which
// would name another partition directory.
func checkKlineKey(key data.KlineKey) error {
	if err := key.Validate(); err != nil {
		return err
	}
	if kind, _ := data.ParseKlineKind(string(key.Kind)); kind != key.Kind {
		return fmt.Errorf("kline series %s: write the kind as %q", key, kind)
	}
	if key.ContractType != "" {
		if ct, _ := data.ParseContractType(string(key.ContractType)); ct != key.ContractType {
			return fmt.Errorf("kline series %s: write the contract type as %q", key, ct)
		}
	}
	return nil
}

// checkKline returns the candle as stored (instants at millisecond
// precision in UTC; for kinds without volumes, the "0" volumes the
// exchange sends dropped to null) or says what is wrong with it: what
// KlineRow.Validate checks, an open time off the interval's grid (candles
// open on multiples of the interval since the epoch), a value that is not
// finite, a negative volume, or volumes on a kind that has none.
func checkKline(key data.KlineKey, r data.KlineRow) (data.KlineRow, error) {
	r.OpenTime, r.CloseTime = data.UTCMilli(r.OpenTime), data.UTCMilli(r.CloseTime)
	at := rfc3339(r.OpenTime) // formatted only for an error: this runs for every row stored
	if err := r.Validate(key.Kind, key.Interval); err != nil {
		return r, err
	}
	if r.OpenTime.UnixMilli()%key.Interval.Duration().Milliseconds() != 0 {
		return r, fmt.Errorf("candle at %s: open time off the %s grid", at, key.Interval)
	}
	for _, v := range []float64{r.Open, r.High, r.Low, r.Close} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return r, fmt.Errorf("candle at %s: a price is not finite (open %v, high %v, low %v, close %v)", at, r.Open, r.High, r.Low, r.Close)
		}
	}
	volumes := []data.NullFloat64{r.Volume, r.QuoteVolume, r.TakerBuyVolume, r.TakerBuyQuoteVolume}
	for _, v := range volumes {
		if v.Valid && (math.IsNaN(v.Float64) || math.IsInf(v.Float64, 0) || v.Float64 < 0) {
			return r, fmt.Errorf("candle at %s: a volume is negative or not finite (%v)", at, v.Float64)
		}
	}
	if r.Trades < 0 {
		return r, fmt.Errorf("candle at %s: %d trades", at, r.Trades)
	}
	if key.Kind.HasVolume() {
		return r, nil
	}
	for _, v := range volumes {
		if v.Valid && v.Float64 != 0 {
			return r, fmt.Errorf("candle at %s: %s klines have no volumes, got %v", at, key.Kind, v.Float64)
		}
	}
	if r.Trades != 0 {
		return r, fmt.Errorf("candle at %s: %s klines have no trades, got %d", at, key.Kind, r.Trades)
	}
	r.Volume, r.QuoteVolume, r.TakerBuyVolume, r.TakerBuyQuoteVolume = data.NullFloat64{}, data.NullFloat64{}, data.NullFloat64{}, data.NullFloat64{}
	return r, nil
}

// coverOnlyBefore cuts the recorded coverage at t: a span that reached a
// candle still open was not fetched completely.
func coverOnlyBefore(t time.Time) MergeOption {
	return func(s *data.SeriesState) {
		var kept data.Spans
		for _, sp := range s.Covered {
			if !sp.From.Before(t) {
				continue
			}
			if !sp.To.Before(t) {
				sp.To = t.Add(-time.Millisecond)
			}
			kept = kept.Add(sp)
		}
		s.Covered = kept
	}
}

// rfc3339 formats as time.RFC3339Nano when printed.
type rfc3339 time.Time

func (t rfc3339) String() string { return time.Time(t).Format(time.RFC3339Nano) }
