package views

import (
	"errors"
	"fmt"
	"time"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// History is a symbol's events, newest first, at most limit: funding-rate
// objects of the same shape as its latest rate. An event's next settlement
// is the regular one after it: next_funding_rate is the rate that settled
// there when the lake holds it (no event missing between), else null.
func History(lake *lake.Lake, symbol string, limit int) ([]Event, error) {
	return history(lakeReader{lake}, symbol, limit)
}

func history(rd reader, symbol string, limit int) ([]Event, error) {
	f, err := rd.funding(symbol)
	if errors.Is(err, lake.ErrNoSeries) {
		return nil, fmt.Errorf("%s: %w", symbol, ErrUnknownSymbol)
	}
	if err != nil {
		return nil, err
	}
	return f.events(limit), nil
}

// historyEvents are the newest limit events of rows (oldest first), newest
// first; currentInterval is fundingInfo's interval (0: unknown), which the
// newest settlement's schedule runs on.
func historyEvents(symbol string, rows []data.FundingRow, currentInterval, limit int) []Event {
	next := nextSettlements(rows, currentInterval)
	out := []Event{}
	for i := len(rows) - 1; i >= 0 && len(out) < limit; i-- {
		e := eventOf(symbol, rows[i])
		e.NextFundingTime = Millis(next[i].at)
		if next[i].known {
			e.NextFundingRate = optDecimalString(next[i].rate, true)
		}
		out = append(out, e)
	}
	return out
}

// nextSettlement is the regular settlement after an event: when it is
// (or is scheduled), and its rate when the lake holds it.
type nextSettlement struct {
	at    time.Time
	rate  float64
	known bool
}

// nextSettlements is, for each of rows (oldest first), the regular
// settlement after it. The schedule runs on regular events: the one after
// an event follows the last regular event at or before it by the interval
// in force. It is known when the lake's next regular event is exactly
// there (InferFundingSchedule sets each event's interval from the gap to
// the previous one when no event is missing); otherwise it is the
// schedule's, unknown.
func nextSettlements(rows []data.FundingRow, currentInterval int) []nextSettlement {
	base := make([]int, len(rows)) // the last regular event at or before each row; -1: none
	last := -1
	for i, r := range rows {
		if r.RateType != data.Special {
			last = i
		}
		base[i] = last
	}
	out := make([]nextSettlement, len(rows))
	nextRegular := -1 // the first regular event after the row looked at; -1: none
	for i := len(rows) - 1; i >= 0; i-- {
		if base[i] < 0 {
			// No regular event before it among rows: its own interval is
			// all there is to go on.
			out[i] = nextSettlement{at: rows[i].Instant().Add(hours(rows[i].FundingIntervalHours))}
		} else {
			out[i] = following(rows[base[i]], rows, nextRegular, currentInterval)
		}
		if rows[i].RateType != data.Special {
			nextRegular = i
		}
	}
	return out
}

// following is the regular settlement after the regular event base, the
// lake's next regular event being rows[n] (n < 0: none).
func following(base data.FundingRow, rows []data.FundingRow, n, currentInterval int) nextSettlement {
	if n >= 0 {
		r := rows[n]
		if r.Instant().Sub(base.Instant()) == hours(r.FundingIntervalHours) {
			return nextSettlement{at: r.Instant(), rate: r.FundingRate, known: true}
		}
		return nextSettlement{at: base.Instant().Add(hours(base.FundingIntervalHours))} // events missing between
	}
	interval := base.FundingIntervalHours
	if currentInterval > 0 {
		interval = currentInterval
	}
	return nextSettlement{at: base.Instant().Add(hours(interval))}
}

func hours(h int) time.Duration { return time.Duration(h) * time.Hour }
