package views

import (
	"fmt"
	"strconv"
	"time"
)

// EpochMs is an instant that JSON writes as Unix epoch milliseconds (a
// number), as the APIs carry's answers are modelled on send times such as
// next_funding_time and ts.
type EpochMs struct{ time.Time }

// Millis is t as an EpochMs, in UTC.
func Millis(t time.Time) EpochMs { return EpochMs{t.UTC()} }

// optMillis is t as an *EpochMs, nil when t is zero.
func optMillis(t time.Time) *EpochMs {
	if t.IsZero() {
		return nil
	}
	m := Millis(t)
	return &m
}

// MarshalJSON writes the instant as epoch milliseconds.
func (m EpochMs) MarshalJSON() ([]byte, error) {
	return strconv.AppendInt(nil, m.UnixMilli(), 10), nil
}

// UnmarshalJSON reads epoch milliseconds.
func (m *EpochMs) UnmarshalJSON(b []byte) error {
	ms, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil {
		return fmt.Errorf("epoch milliseconds: want a whole number, got %s: %w", b, err)
	}
	m.Time = time.UnixMilli(ms).UTC()
	return nil
}
