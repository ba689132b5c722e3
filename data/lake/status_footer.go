package lake

import (
	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// footerState reads the state in a series file's footer — the file's
// metadata, no column data — and reports whether its summary can stand for
// the rows: present, listing every gap, and counting the rows the file
// holds, in a file whose footer and columns are the series' (what a read
// checks before the data). Anything else, a failure to read included,
// reports false: the caller reads the rows, and a damaged file's read says
// what is wrong with it exactly as before.
//
// Not checked: the column data itself. A file whose pages are corrupt
// under an intact footer reads as fine here until its rows are read.
func (l *Lake) footerState(path, dataset string, key any, fields []arrow.Field) (data.SeriesState, bool) {
	s, err := l.openSeriesStream(path, dataset, key, fields)
	if err != nil {
		return data.SeriesState{}, false
	}
	defer s.Close()
	sum := s.state.Summary
	if sum == nil || !sum.GapsListed() || int64(sum.Rows) != s.rdr.MetaData().NumRows {
		return data.SeriesState{}, false
	}
	return s.state, true
}
