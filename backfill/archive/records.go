package archive

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// records reads the records of an archive CSV as encoding/csv (ReuseRecord,
// FieldsPerRecord -1) would, without its cost: the archive never quotes, so
// a record is a line split at commas, and the fields are slices of the
// read buffer. The first line holding a quote hands that line and the rest
// of the file to encoding/csv itself, which is what quotes mean.
//
// It skips a header row equal to header (a first record that is neither a
// number nor the header is an error) and counts records, the header
// included, as the line number errors name: encoding/csv's record count
// (blank lines not counted), which is what these errors have always said.
type records struct {
	br     *bufio.Reader
	header []string
	line   int // records read, the number errors name
	err    error

	physical int      // lines read, as encoding/csv counts them for its errors
	long     []byte   // a line longer than br's buffer
	fields   [][]byte // the current record, reused
	strs     []string // fields as strings, for the slow paths

	csv       *csv.Reader // set once a quote was seen
	csvOffset int         // lines before the one handed to csv
}

// readBuffer: archive lines are ~150 bytes; a large buffer means few reads
// from the zip stream.
const readBuffer = 64 << 10

func newRecords(r io.Reader, header []string) *records {
	return &records{br: bufio.NewReaderSize(r, readBuffer), header: header}
}

// next returns the next data record, or false at the end or on an error
// (then err is set). The fields are valid until the next call.
func (r *records) next() ([][]byte, bool) {
	for {
		rec, ok := r.read()
		if !ok {
			return nil, false
		}
		if r.line == 1 && r.isHeader(rec) {
			if r.err != nil {
				return nil, false
			}
			continue
		}
		return rec, true
	}
}

// read returns the next record, header or not.
func (r *records) read() ([][]byte, bool) {
	for {
		if r.csv != nil {
			return r.readCSV()
		}
		raw, err := r.readLine()
		if len(raw) == 0 && err != nil {
			if err == io.EOF {
				return nil, false
			}
			r.line++ // encoding/csv returns an empty record with the error
			r.err = err
			return nil, false
		}
		r.physical++
		if bytes.IndexByte(raw, '"') >= 0 {
			r.handOver(raw, err)
			continue
		}
		line := trimNewline(raw, err == io.EOF)
		if err == io.EOF {
			err = nil // the last line, unterminated; the next read says EOF
		}
		if err == nil && len(line) == 0 {
			continue // encoding/csv skips empty lines and does not count them
		}
		r.line++
		if err != nil {
			r.err = err
			return nil, false
		}
		r.fields = splitCommas(r.fields[:0], line)
		return r.fields, true
	}
}

// splitCommas appends line's comma-separated fields to dst. A plain loop:
// the fields are a few bytes long, too short for bytes.IndexByte to pay.
func splitCommas(dst [][]byte, line []byte) [][]byte {
	start := 0
	for i, c := range line {
		if c == ',' {
			dst = append(dst, line[start:i:i])
			start = i + 1
		}
	}
	return append(dst, line[start:len(line):len(line)])
}

// readLine reads a line as encoding/csv does: through its newline, or up
// to an error.
func (r *records) readLine() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return line, err
	}
	r.long = append(r.long[:0], line...)
	for err == bufio.ErrBufferFull {
		line, err = r.br.ReadSlice('\n')
		r.long = append(r.long, line...)
	}
	return r.long, err
}

// trimNewline drops what encoding/csv does not count as data: a final \n
// or \r\n, or at the end of the file a final \r.
func trimNewline(line []byte, atEOF bool) []byte {
	n := len(line)
	switch {
	case atEOF && n > 0 && line[n-1] == '\r':
		return line[:n-1]
	case n > 0 && line[n-1] == '\n':
		if n > 1 && line[n-2] == '\r' {
			return line[:n-2]
		}
		return line[:n-1]
	}
	return line
}

// handOver gives raw, the line just read with the error that came with it,
// and the rest of the input to encoding/csv.
func (r *records) handOver(raw []byte, err error) {
	rest := io.Reader(r.br)
	if err != nil {
		rest = errReader{err} // the bufio.Reader has handed the error out already
	}
	cr := csv.NewReader(io.MultiReader(bytes.NewReader(slices.Clone(raw)), rest))
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	r.csv, r.csvOffset = cr, r.physical-1
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

// readCSV reads a record after the hand-over, its fields copied to bytes.
func (r *records) readCSV() ([][]byte, bool) {
	rec, err := r.csv.Read()
	if err == io.EOF {
		return nil, false
	}
	r.line++
	if err != nil {
		r.err = shiftLines(err, r.csvOffset)
		return nil, false
	}
	r.fields = r.fields[:0]
	for _, s := range rec {
		r.fields = append(r.fields, []byte(s))
	}
	return r.fields, true
}

// shiftLines makes a csv.ParseError's line numbers count from the start of
// the file rather than from the hand-over.
func shiftLines(err error, by int) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	shifted := *pe
	shifted.StartLine += by
	shifted.Line += by
	return &shifted
}

// isHeader reports whether rec, the first record, is a header row to skip;
// one that is not the expected header sets err.
func (r *records) isHeader(rec [][]byte) bool {
	if _, err := strconv.ParseInt(strings.TrimSpace(string(rec[0])), 10, 64); err == nil {
		return false
	}
	strs := r.strings(rec)
	if !slices.Equal(trimAll(strs), r.header) {
		r.err = fmt.Errorf("header %q, want %q", strs, r.header)
	}
	return true
}

// strings returns rec as strings for the slow paths (a header, a row the
// fast path declines). It allocates; the result is reused.
func (r *records) strings(rec [][]byte) []string {
	r.strs = r.strs[:0]
	for _, f := range rec {
		r.strs = append(r.strs, string(f))
	}
	return r.strs
}

func trimAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, s := range rec {
		out[i] = strings.TrimSpace(s)
	}
	return out
}
