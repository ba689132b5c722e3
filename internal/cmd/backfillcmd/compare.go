package backfillcmd

import (
	"fmt"
	"slices"

	"github.com/carry-research/carry/backfill"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/views"
)

// comparedKeys lists the PERPETUAL basis series this run holds both sides
// of: the basis series and the futures and index klines of its pair at
// the interval named like its period, each asked for in this run and with
// rows in the lake after it. Only those are compared after the run: a
// run of basis alone, or of klines alone, prints no comparison.
func comparedKeys(results []backfill.Result) []data.BasisKey {
	rows := map[data.KlineKey]bool{}
	for _, r := range results {
		if r.Series.Dataset == lake.DatasetKlines && r.Rows > 0 {
			rows[r.Series.Kline] = true
		}
	}
	var out []data.BasisKey
	for _, r := range results {
		k := r.Series.Basis
		if r.Series.Dataset != lake.DatasetBasis || k.ContractType != data.Perpetual || r.Rows == 0 {
			continue
		}
		iv := data.Interval(k.Period)
		if rows[data.KlineKey{Kind: data.KlineFutures, Symbol: k.Pair, Interval: iv}] &&
			rows[data.KlineKey{Kind: data.KlineIndex, Symbol: k.Pair, Interval: iv}] {
			out = append(out, k)
		}
	}
	return out
}

// compareStored compares the official basis with the basis rebuilt from
// klines for keys (views.CompareBasis, the index as the spot leg), keeping
// only those series: nil when there are none.
func compareStored(l *lake.Lake, keys []data.BasisKey) (*views.BasisComparison, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	var q views.BasisComparisonQuery
	for _, k := range keys {
		if !slices.Contains(q.Symbols, k.Pair) {
			q.Symbols = append(q.Symbols, k.Pair)
		}
		if !slices.Contains(q.Periods, k.Period) {
			q.Periods = append(q.Periods, k.Period)
		}
	}
	c, err := views.CompareBasis(l, q)
	if err != nil {
		return nil, fmt.Errorf("comparing the stored basis with klines: %w", err)
	}
	// The query is a cross product of symbols and periods: keep the keys.
	c.Series = slices.DeleteFunc(c.Series, func(s views.SeriesComparison) bool { return !slices.Contains(keys, s.Basis) })
	// Every key has its klines: what lacks them is the cross product's.
	c.Lacking = c.Lacking[:0]
	return &c, nil
}
