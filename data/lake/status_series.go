package lake

import (
	"fmt"

	"github.com/carry-research/carry/data"
)

// basisStatus describes one basis series, from its footer if fromFooter
// and the footer can tell, else from its rows.
func (l *Lake) basisStatus(k data.BasisKey, fromFooter bool) SeriesStatus {
	st := SeriesStatus{
		Dataset: DatasetBasis, Series: fmt.Sprintf("%s %s %s", k.Pair, k.ContractType, k.Period),
		Pair: k.Pair, ContractType: k.ContractType, Period: k.Period,
		File: l.BasisPath(k), Cadence: string(k.Period), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{},
	}
	if fromFooter && k.Validate() == nil {
		if state, ok := l.footerState(st.File, DatasetBasis, k, basisFields); ok {
			st.fill(*state.Summary, state)
			return st
		}
	}
	s, err := l.ReadBasis(k)
	if err != nil {
		st.failed(err)
		return st
	}
	st.fill(s.Summary(), s.State)
	return st
}

// fundingStatus describes one funding series; its cadence is the
// intervals its rows were stored with.
func (l *Lake) fundingStatus(sym string, fromFooter bool) SeriesStatus {
	st := SeriesStatus{Dataset: DatasetFunding, Series: sym, Symbol: sym, File: l.FundingPath(sym), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{}}
	fill := func(sum data.SeriesSummary, state data.SeriesState) {
		st.fill(sum, state)
		st.Cadence, st.MissingMarkPrice = sum.Cadence, sum.MissingMarkPrice
	}
	if fromFooter && data.ValidateSymbol(sym) == nil {
		if state, ok := l.footerState(st.File, DatasetFunding, map[string]string{"symbol": sym}, fundingFields); ok {
			fill(*state.Summary, state)
			return st
		}
	}
	s, err := l.ReadFunding(sym)
	if err != nil {
		st.failed(err)
		return st
	}
	fill(s.Summary(), s.State)
	return st
}

// klineStatus describes one kline series; its gaps are candles missing
// on the interval's grid.
func (l *Lake) klineStatus(k data.KlineKey, fromFooter bool) SeriesStatus {
	st := SeriesStatus{
		Dataset: DatasetKlines, Series: k.String(),
		Kind: k.Kind, Symbol: k.Symbol, ContractType: k.ContractType, Interval: k.Interval,
		File: l.KlinesPath(k), Cadence: string(k.Interval), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{},
	}
	if fromFooter && checkKlineKey(k) == nil {
		if state, ok := l.footerState(st.File, DatasetKlines, klineFooterKey(k), klineFields); ok {
			st.fill(*state.Summary, state)
			return st
		}
	}
	s, err := l.ReadKlines(k)
	if err != nil {
		st.failed(err)
		return st
	}
	st.fill(s.Summary(), s.State)
	return st
}
