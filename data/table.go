package data

import "math"

// ColumnKind is a Table column's type.
type ColumnKind int

// Column kinds: DOUBLE (NaN stored as null), INT64, STRING, BOOLEAN, and
// TIMESTAMP(MILLIS, UTC) (Time: held in Ints as Unix milliseconds,
// NullTime stored as null).
const (
	Float ColumnKind = iota
	Int
	String
	Bool
	Time
)

// NullTime is a Time column's null: no instant (an undefined time, such as
// the recovery of a drawdown that never recovered).
const NullTime = math.MinInt64

// Table is a plain table for Parquet files outside the lake (a sweep's
// results): named, typed columns of equal length.
type Table struct {
	Names   []string
	Kinds   []ColumnKind
	Floats  map[int][]float64
	Ints    map[int][]int64 // Int columns, and Time columns' Unix milliseconds
	Strings map[int][]string
	Bools   map[int][]bool
	Rows    int
}

// NewTable returns an empty table with the given columns.
func NewTable(names []string, kinds []ColumnKind) *Table {
	return &Table{Names: names, Kinds: kinds, Floats: map[int][]float64{}, Ints: map[int][]int64{}, Strings: map[int][]string{}, Bools: map[int][]bool{}}
}
