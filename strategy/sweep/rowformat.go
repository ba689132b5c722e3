package sweep

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/carry-research/carry/analytics"
	"github.com/carry-research/carry/strategy/backtest"
)

// A results row is formatted from a column plan built once from the
// Summary type (the walk backtest.Columns makes for every row: tags,
// prefixes, a JSON encoding of the slices), then cell by cell with strconv
// into a reused buffer. The cells are what backtest.Columns gives, quoted
// as encoding/csv quotes them (a test holds the two to the same bytes).

// cellKind is how a leaf field of the summary is read and formatted.
type cellKind uint8

const (
	cellString    cellKind = iota // string, json.Number
	cellFloat64                   // float64
	cellInt                       // int
	cellBool                      // bool
	cellValue                     // analytics.Value: null when not Valid
	cellFloatPtr                  // *float64: null when nil
	cellTimePtr                   // *time.Time: RFC 3339 with nanoseconds, null when nil
	cellIntervals                 // the funding statistics by interval: backtest.IntervalColumns' cells
	cellJSON                      // anything else: its JSON encoding, as backtest.Columns
)

// planCell is one column: where its value lies in a Summary and its kind.
type planCell struct {
	off  uintptr
	kind cellKind
	typ  reflect.Type // cellJSON only
}

// rowPlan formats summaries as results rows.
type rowPlan struct{ cells []planCell }

// newRowPlan walks the Summary type as backtest.Columns walks a value.
func newRowPlan() *rowPlan {
	p := &rowPlan{}
	var walk func(t reflect.Type, base uintptr)
	walk = func(t reflect.Type, base uintptr) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			ft, off := sf.Type, base+sf.Offset
			if ft.Kind() == reflect.Struct && ft != timeType && ft != valueType {
				walk(ft, off)
				continue
			}
			p.cells = append(p.cells, planCell{off: off, kind: kindOfCell(ft), typ: ft})
		}
	}
	walk(reflect.TypeFor[backtest.Summary](), 0)
	return p
}

var (
	timeType   = reflect.TypeFor[time.Time]()
	valueType  = reflect.TypeFor[analytics.Value]()
	numberType = reflect.TypeFor[json.Number]()
	// intervalsType is backtest.Summary's funding statistics by interval.
	intervalsType = reflect.TypeFor[[]analytics.IntervalFunding]()
)

func kindOfCell(t reflect.Type) cellKind {
	switch {
	case t == valueType:
		return cellValue
	case t == numberType, t.Kind() == reflect.String:
		return cellString
	case t.Kind() == reflect.Float64:
		return cellFloat64
	case t.Kind() == reflect.Int:
		return cellInt
	case t.Kind() == reflect.Bool:
		return cellBool
	case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Float64:
		return cellFloatPtr
	case t.Kind() == reflect.Pointer && t.Elem() == timeType:
		return cellTimePtr
	case t == intervalsType:
		return cellIntervals
	}
	return cellJSON
}

// rowFormatter is one worker's: the plan and the buffer lines are
// appended to. A cell whose value is the last one formatted in its
// column (the market's statistics, the parameters that vary slowly) is
// copied from then, not formatted again.
type rowFormatter struct {
	plan *rowPlan
	last []lastCell
	buf  []byte
}

// lastCell is a column's last value and its formatted cell.
type lastCell struct {
	bits uint64
	str  string
	n    int
	ok   bool
	cell []byte
	// data is the last slice's backing array, held (not its address as a
	// number) so that the collector cannot give a new slice the address
	// while this cell stands for the old one.
	data unsafe.Pointer
}

func newRowFormatter(p *rowPlan) *rowFormatter {
	return &rowFormatter{plan: p, last: make([]lastCell, len(p.cells))}
}

// line appends index, id and the summary's cells as one CSV line to buf
// (reset first) and returns it; it is valid until the next call.
func (f *rowFormatter) line(index int, id string, s *backtest.Summary) ([]byte, error) {
	b := strconv.AppendInt(f.buf[:0], int64(index), 10)
	b = append(b, ',')
	b = appendCSVField(b, id)
	base := unsafe.Pointer(s)
	for c, pc := range f.plan.cells {
		b = append(b, ',')
		ptr := unsafe.Add(base, pc.off)
		var err error
		if b, err = f.cell(b, c, pc, ptr); err != nil {
			return nil, err
		}
	}
	b = append(b, '\n')
	f.buf = b
	return b, nil
}

// cell appends column c's cell.
func (f *rowFormatter) cell(b []byte, c int, pc planCell, ptr unsafe.Pointer) ([]byte, error) {
	l := &f.last[c]
	switch pc.kind {
	case cellString:
		v := *(*string)(ptr)
		if l.ok && l.str == v {
			return append(b, l.cell...), nil
		}
		n := len(b)
		b = appendCSVField(b, v)
		l.str, l.ok, l.cell = v, true, append(l.cell[:0], b[n:]...)
		return b, nil
	case cellInt:
		return strconv.AppendInt(b, int64(*(*int)(ptr)), 10), nil
	case cellBool:
		return strconv.AppendBool(b, *(*bool)(ptr)), nil
	case cellFloat64:
		return f.float(b, l, *(*float64)(ptr), true), nil
	case cellValue:
		v := (*analytics.Value)(ptr)
		return f.float(b, l, v.V, v.Valid), nil
	case cellFloatPtr:
		if p := *(**float64)(ptr); p != nil {
			return f.float(b, l, *p, true), nil
		}
		return b, nil
	case cellTimePtr:
		if p := *(**time.Time)(ptr); p != nil {
			return appendCSVField(b, p.Format(time.RFC3339Nano)), nil
		}
		return b, nil
	}
	// Slices and the like (the funding statistics by interval): the same
	// backing array is the same value, formatted once per market.
	if pc.kind == cellIntervals {
		h := (*sliceHeader)(ptr)
		if l.ok && l.data == h.data && l.n == h.len {
			return append(b, l.cell...), nil
		}
		n := len(b)
		_, _, vals := backtest.IntervalColumns("", *(*[]analytics.IntervalFunding)(ptr))
		for i, v := range vals {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendCSVField(b, v)
		}
		l.data, l.n, l.ok, l.cell = h.data, h.len, true, append(l.cell[:0], b[n:]...)
		return b, nil
	}
	if pc.typ.Kind() == reflect.Slice {
		h := (*sliceHeader)(ptr)
		if l.ok && l.data == h.data && l.n == h.len {
			return append(b, l.cell...), nil
		}
		n := len(b)
		var err error
		if b, err = appendJSONCell(b, reflect.NewAt(pc.typ, ptr).Elem()); err != nil {
			return nil, err
		}
		l.data, l.n, l.ok, l.cell = h.data, h.len, true, append(l.cell[:0], b[n:]...)
		return b, nil
	}
	return appendJSONCell(b, reflect.NewAt(pc.typ, ptr).Elem())
}

type sliceHeader struct {
	data     unsafe.Pointer
	len, cap int
}

// float appends a number cell (empty when !valid), reusing the column's
// last cell when the bits are the same.
func (f *rowFormatter) float(b []byte, l *lastCell, v float64, valid bool) []byte {
	if !valid {
		return b
	}
	bits := math.Float64bits(v)
	if l.ok && l.bits == bits {
		return append(b, l.cell...)
	}
	n := len(b)
	b = appendJSONFloat(b, v)
	l.bits, l.ok, l.cell = bits, true, append(l.cell[:0], b[n:]...)
	return b
}

// appendJSONFloat formats v as encoding/json does (backtest's cells are
// so): shortest representation, exponent form below 1e-6 and from 1e21,
// "e-07" as "e-7".
func appendJSONFloat(b []byte, v float64) []byte {
	abs := math.Abs(v)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	n := len(b)
	b = strconv.AppendFloat(b, v, format, -1, 64)
	if format == 'e' {
		if m := len(b) - n; m >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
	}
	return b
}

// appendJSONCell appends v's JSON encoding as a cell: null empty, a
// string unquoted.
func appendJSONCell(b []byte, v reflect.Value) ([]byte, error) {
	j, err := json.Marshal(v.Interface())
	if err != nil {
		return nil, fmt.Errorf("formatting a results cell: %w", err)
	}
	switch {
	case string(j) == "null":
		return b, nil
	case len(j) > 0 && j[0] == '"':
		var s string
		json.Unmarshal(j, &s)
		return appendCSVField(b, s), nil
	}
	return appendCSVField(b, string(j)), nil
}

// appendCSVField appends s as encoding/csv writes a field: as is unless
// it needs quotes, which it leaves to encoding/csv itself.
func appendCSVField(b []byte, s string) []byte {
	if !needsQuotes(s) {
		return append(b, s...)
	}
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Write([]string{s})
	w.Flush()
	return append(b, strings.TrimSuffix(sb.String(), "\n")...)
}

// needsQuotes errs on the safe side of encoding/csv's rule: a field that
// may need quotes goes through encoding/csv.
func needsQuotes(s string) bool {
	if s == "" {
		return false
	}
	if s == `\.` || s[0] == ' ' || s[0] == '\t' || s[0] >= 0x80 || (s[0] >= '\n' && s[0] <= '\r') {
		return true
	}
	return strings.ContainsAny(s, ",\"\r\n")
}
