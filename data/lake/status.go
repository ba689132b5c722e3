package lake

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/carry-research/carry/data"
)

// SeriesStatus describes one stored series: what a reader needs to know
// before trusting it.
type SeriesStatus struct {
	Dataset      string            `json:"dataset"`
	Series       string            `json:"series"`
	Pair         string            `json:"pair,omitempty"`
	ContractType data.ContractType `json:"contract_type,omitempty"`
	Period       data.Period       `json:"period,omitempty"`
	Symbol       string            `json:"symbol,omitempty"`
	// Kind and Interval name a kline series (with Symbol, and ContractType
	// for continuous klines).
	Kind     data.KlineKind `json:"kind,omitempty"`
	Interval data.Interval  `json:"interval,omitempty"`
	File     string         `json:"file"`
	Rows     int            `json:"rows"`
	First    *time.Time     `json:"first"`
	Last     *time.Time     `json:"last"`
	// Cadence is the expected spacing: the period, or the funding
	// intervals in the order they occur (e.g. "8h→1h→4h").
	Cadence string `json:"cadence"`
	// Missing counts the expected points absent between First and Last;
	// Gaps lists them. Gaps are reported, never filled.
	Missing int        `json:"missing"`
	Gaps    []data.Gap `json:"gaps"`
	// MissingMarkPrice counts funding events stored without a mark price.
	MissingMarkPrice int        `json:"missing_mark_price,omitempty"`
	HistoryStart     *time.Time `json:"history_start"`
	// Covered are the spans a backfill fetched completely.
	Covered data.Spans `json:"covered"`
	// Unfetched are the spans between First and Last that a backfill has
	// not fetched yet (one was interrupted there): the next backfill fills
	// them. Empty for a complete series, and for one written without
	// coverage (not by a backfill).
	Unfetched data.Spans `json:"unfetched"`
	UpdatedAt *time.Time `json:"updated_at"`
	// Status is StatusOK, StatusDamaged or StatusUnreadable.
	Status string `json:"status"`
	// Error is set when the series could not be read: what is wrong with
	// its file.
	Error string `json:"error,omitempty"`
}

// A series' Status.
const (
	StatusOK = "ok"
	// StatusDamaged: the file does not hold a readable series of its
	// partition (see DamagedError); re-fetching the series rebuilds it.
	StatusDamaged = "damaged"
	// StatusUnreadable: the file could not be opened (see UnreadableError).
	StatusUnreadable = "unreadable"
)

// Failed reports whether the series could not be read.
func (st *SeriesStatus) Failed() bool { return st.Status != StatusOK }

// failed records why the series could not be read.
func (st *SeriesStatus) failed(err error) {
	st.Status, st.Error = StatusUnreadable, err.Error()
	var d *DamagedError
	if errors.As(err, &d) {
		st.Status, st.Error = StatusDamaged, d.Err.Error()
	}
	var u *UnreadableError
	if errors.As(err, &u) {
		st.Error = u.Err.Error()
	}
}

// Status describes every series in the lake: basis series first, then
// funding, then klines, each sorted by key. A series that cannot be read is
// listed with its Status and Error set rather than failing the whole
// listing.
func (l *Lake) Status() ([]SeriesStatus, error) {
	keys, err := l.BasisKeys()
	if err != nil {
		return nil, fmt.Errorf("listing basis series in %s: %w", l.root, err)
	}
	symbols, err := l.FundingSymbols()
	if err != nil {
		return nil, fmt.Errorf("listing funding series in %s: %w", l.root, err)
	}
	klines, err := l.KlineKeys()
	if err != nil {
		return nil, fmt.Errorf("listing kline series in %s: %w", l.root, err)
	}
	out := make([]SeriesStatus, 0, len(keys)+len(symbols)+len(klines))
	for _, k := range keys {
		st := SeriesStatus{
			Dataset: DatasetBasis, Series: fmt.Sprintf("%s %s %s", k.Pair, k.ContractType, k.Period),
			Pair: k.Pair, ContractType: k.ContractType, Period: k.Period,
			File: l.BasisPath(k), Cadence: string(k.Period), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{},
		}
		s, err := l.ReadBasis(k)
		if err != nil {
			st.failed(err)
			out = append(out, st)
			continue
		}
		times := s.Times()
		st.fill(len(times), times, data.BasisGaps(times, k.Period), s.State)
		out = append(out, st)
	}
	for _, sym := range symbols {
		st := SeriesStatus{Dataset: DatasetFunding, Series: sym, Symbol: sym, File: l.FundingPath(sym), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{}}
		s, err := l.ReadFunding(sym)
		if err != nil {
			st.failed(err)
			out = append(out, st)
			continue
		}
		times := make([]time.Time, len(s.Rows))
		var cadence []string
		for i, r := range s.Rows {
			times[i] = r.FundingTime
			if !r.MarkPrice.Valid {
				st.MissingMarkPrice++
			}
			h := fmt.Sprintf("%dh", r.FundingIntervalHours)
			if len(cadence) == 0 || cadence[len(cadence)-1] != h {
				cadence = append(cadence, h)
			}
		}
		st.Cadence = strings.Join(cadence, "→")
		st.fill(len(s.Rows), times, s.Gaps(), s.State)
		out = append(out, st)
	}
	for _, k := range klines {
		out = append(out, l.klineStatus(k))
	}
	return out, nil
}

// klineStatus describes one kline series; its gaps are candles missing
// on the interval's grid.
func (l *Lake) klineStatus(k data.KlineKey) SeriesStatus {
	st := SeriesStatus{
		Dataset: DatasetKlines, Series: k.String(),
		Kind: k.Kind, Symbol: k.Symbol, ContractType: k.ContractType, Interval: k.Interval,
		File: l.KlinesPath(k), Cadence: string(k.Interval), Gaps: []data.Gap{}, Status: StatusOK, Covered: data.Spans{},
	}
	s, err := l.ReadKlines(k)
	if err != nil {
		st.failed(err)
		return st
	}
	st.fill(len(s.Rows), s.Times(), s.Gaps(), s.State)
	return st
}

func (st *SeriesStatus) fill(rows int, times []time.Time, gaps []data.Gap, state data.SeriesState) {
	st.Rows = rows
	if rows > 0 {
		first, last := times[0], times[len(times)-1] // series are sorted
		st.First, st.Last = &first, &last
	}
	if gaps != nil {
		st.Gaps = gaps
	}
	st.Missing = data.MissingPoints(gaps)
	if !state.HistoryStart.IsZero() {
		st.HistoryStart = &state.HistoryStart
	}
	st.Covered = state.Covered
	if st.Covered == nil {
		st.Covered = data.Spans{}
	}
	st.Unfetched = data.Spans{}
	if rows > 0 && len(state.Covered) > 0 {
		// Written by a backfill: what lies between the first and last rows
		// and was never fetched is a run that stopped half-way, not a gap
		// of the exchange's (those are covered).
		st.Unfetched = state.Covered.Missing(data.Span{From: *st.First, To: *st.Last})
	}
	if !state.UpdatedAt.IsZero() {
		st.UpdatedAt = &state.UpdatedAt
	}
}
