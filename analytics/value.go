package analytics

import (
	"encoding/json"
	"math"
	"strconv"
)

// Value is a statistic that may be undefined. It marshals to a JSON number
// or null, and formats as a number or "" (for CSV).
type Value struct {
	V     float64
	Valid bool
}

// Of returns v as a Value, null if v is NaN or infinite.
func Of(v float64) Value {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return Value{}
	}
	return Value{V: v, Valid: true}
}

// Null is the undefined Value.
var Null = Value{}

// MarshalJSON writes the number or null.
func (v Value) MarshalJSON() ([]byte, error) {
	if !v.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(v.V)
}

// UnmarshalJSON reads a number or null.
func (v *Value) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*v = Value{}
		return nil
	}
	v.Valid = true
	return json.Unmarshal(b, &v.V)
}

// String formats the value with full precision, or "" when undefined.
func (v Value) String() string {
	if !v.Valid {
		return ""
	}
	return strconv.FormatFloat(v.V, 'g', -1, 64)
}
