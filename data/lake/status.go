package lake

import (
	"errors"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
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
//
// Each series is described from its file's footer (SeriesState.Summary)
// when that holds the whole summary, else from its rows: files written
// before summaries existed, and damaged files, whose rows say what is
// wrong. Series are described in parallel.
func (l *Lake) Status() ([]SeriesStatus, error) { return l.status(true) }

// status is Status; fromFooters false reads every series' rows, as Status
// did before footers held summaries (the tests and the benchmark compare).
func (l *Lake) status(fromFooters bool) ([]SeriesStatus, error) {
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
	jobs := make([]func() SeriesStatus, 0, len(keys)+len(symbols)+len(klines))
	for _, k := range keys {
		jobs = append(jobs, func() SeriesStatus { return l.basisStatus(k, fromFooters) })
	}
	for _, sym := range symbols {
		jobs = append(jobs, func() SeriesStatus { return l.fundingStatus(sym, fromFooters) })
	}
	for _, k := range klines {
		jobs = append(jobs, func() SeriesStatus { return l.klineStatus(k, fromFooters) })
	}
	out := make([]SeriesStatus, len(jobs))
	inParallel(len(jobs), func(i int) { out[i] = jobs[i]() })
	return out, nil
}

// inParallel calls fn(0) … fn(n-1) on up to GOMAXPROCS goroutines: a
// series' footer is read in a fraction of a millisecond, so a fixed pool
// rather than a goroutine per series.
func inParallel(n int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}

func (st *SeriesStatus) fill(sum data.SeriesSummary, state data.SeriesState) {
	st.Rows = sum.Rows
	if sum.Rows > 0 {
		first, last := sum.First, sum.Last
		st.First, st.Last = &first, &last
	}
	if sum.Gaps != nil {
		st.Gaps = sum.Gaps
	}
	st.Missing = sum.Missing
	if !state.HistoryStart.IsZero() {
		st.HistoryStart = &state.HistoryStart
	}
	st.Covered = state.Covered
	if st.Covered == nil {
		st.Covered = data.Spans{}
	}
	st.Unfetched = data.Spans{}
	if sum.Rows > 0 && len(state.Covered) > 0 {
		// Written by a backfill: what lies between the first and last rows
		// and was never fetched is a run that stopped half-way, not a gap
		// of the exchange's (those are covered).
		st.Unfetched = state.Covered.Missing(data.Span{From: *st.First, To: *st.Last})
	}
	if !state.UpdatedAt.IsZero() {
		st.UpdatedAt = &state.UpdatedAt
	}
}
