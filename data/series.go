package data

import "time"

// SeriesState is what the lake knows about a series beyond its rows. It is
// stored in the Parquet file's footer, so it commits atomically with them.
type SeriesState struct {
	// HistoryStart is the oldest instant the exchange serves for this
	// series, once a backfill has met that edge; zero while unknown.
	HistoryStart time.Time `json:"history_start,omitzero"`
	// IntervalHours is the symbol's current funding interval as
	// /fapi/v1/fundingInfo gave it (funding only); 0 while unknown.
	IntervalHours int `json:"interval_hours,omitempty"`
	// Covered lists the time spans the exchange was asked for and answered
	// completely: a backfill plans requests only outside them, so a run
	// killed half-way resumes exactly where it stopped, and gaps the
	// exchange itself has are not asked for again.
	Covered Spans `json:"covered,omitempty"`
	// Checksums records the provenance of rows imported from the public
	// archive (data.binance.vision): archive file name → SHA-256 (hex) of
	// the zip whose rows were imported, so an importer can tell a file it
	// already took from one the archive has since replaced.
	Checksums map[string]string `json:"checksums,omitempty"`
	// UpdatedAt is when the file was last rewritten.
	UpdatedAt time.Time `json:"updated_at,omitzero"`
	// Summary sums up the rows as written with them (every write sets it),
	// so that status reads footers only. nil in files written before it.
	Summary *SeriesSummary `json:"summary,omitempty"`
}

// BasisSeries is a basis series as stored.
type BasisSeries struct {
	Key   BasisKey
	Rows  []BasisRow // sorted by Timestamp, unique
	State SeriesState
}

// Times returns the rows' timestamps.
func (s BasisSeries) Times() []time.Time {
	out := make([]time.Time, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r.Timestamp
	}
	return out
}

// KlineSeries is a kline series as stored: closed candles only.
type KlineSeries struct {
	Key   KlineKey
	Rows  []KlineRow // sorted by OpenTime, unique
	State SeriesState
}

// Times returns the candles' open times.
func (s KlineSeries) Times() []time.Time {
	out := make([]time.Time, len(s.Rows))
	for i, r := range s.Rows {
		out[i] = r.OpenTime
	}
	return out
}

// Gaps returns the candles missing between the first and the last.
func (s KlineSeries) Gaps() []Gap { return KlineGaps(s.Times(), s.Key.Interval) }

// FundingSeries is a symbol's funding history as stored.
type FundingSeries struct {
	Symbol string
	Rows   []FundingRow // sorted by FundingTime, unique per minute
	State  SeriesState
}

// Gaps returns the missing events of the regular schedule.
func (s FundingSeries) Gaps() []Gap {
	rows := append([]FundingRow(nil), s.Rows...)
	return InferFundingSchedule(rows, s.State.IntervalHours)
}

// MissingPoints totals the points the gaps leave out.
func MissingPoints(gaps []Gap) int {
	n := 0
	for _, g := range gaps {
		n += g.Missing
	}
	return n
}

// UTCMilli drops sub-millisecond precision and location, as the lake stores
// an instant (TIMESTAMP(MILLIS, UTC)).
func UTCMilli(t time.Time) time.Time { return time.UnixMilli(t.UnixMilli()).UTC() }
