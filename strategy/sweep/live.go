package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"path/filepath"

	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// liveResults converts a fresh sweep's rows to results.parquet, and feeds
// the analyses' scan, while the rows are computed: the writer hands it each
// line it writes (in index order), a batch of liveBatch lines at a time
// goes to a goroutine of its own, and when the sweep completes the file is
// put in place. Re-reading results.csv after the last row (to convert it,
// then again to analyze it) was most of a short sweep's tail; here that
// work runs beside the kernels. An interrupted or failed sweep aborts it
// (results.parquet is written by the finalize that resumes it).
type liveResults struct {
	file    *atomicfile.Pending
	ts      *tableStream
	scan    *Scan // nil: no analysis fed
	batch   []byte
	lines   int
	batches chan []byte
	free    chan []byte // batches converted, for reuse
	done    chan error
	// scanErr is the scan's first error: the scan is dropped, the
	// conversion goes on (the analyses read results.csv instead).
	scanErr error
}

// startLive starts the conversion into dir/results.parquet.
func startLive(dir string, header []string, kinds []data.ColumnKind, footer map[string]string, scan *Scan) (*liveResults, error) {
	f, err := atomicfile.Create(filepath.Join(dir, ResultsParquet))
	if err != nil {
		return nil, err
	}
	// One worker: the cores belong to the kernels.
	ts, err := newTableStream(f.Writer(), header, kinds, footer, 1, liveBatch)
	if err != nil {
		f.Abort()
		return nil, err
	}
	l := &liveResults{file: f, ts: ts, scan: scan, batches: make(chan []byte, 2), free: make(chan []byte, 3), done: make(chan error, 1)}
	go l.convert(len(header))
	return l, nil
}

// liveBatch is how many lines go to the conversion at a time: small, for
// what the writer and the conversion hold (up to six batches of text and
// one of parsed rows) to stay well under a megabyte or two whatever the
// grid.
const liveBatch = 256

// line takes the next line of results.csv (copied).
func (l *liveResults) line(b []byte) {
	if l.batch == nil {
		select {
		case l.batch = <-l.free:
		default:
			l.batch = make([]byte, 0, liveBatch*(len(b)+len(b)/4))
		}
	}
	l.batch = append(l.batch, b...)
	if l.lines++; l.lines == liveBatch {
		l.send()
	}
}

func (l *liveResults) send() {
	if l.lines > 0 {
		l.batches <- l.batch
		l.batch, l.lines = nil, 0
	}
}

// convert parses each batch as encoding/csv reads results.csv and writes
// its rows, as convertSorted does with the file.
func (l *liveResults) convert(columns int) {
	var err error
	for b := range l.batches {
		if err != nil {
			continue // drain: the writer does not wait on a failed conversion
		}
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = columns
		var recs [][]string
		if recs, err = cr.ReadAll(); err != nil {
			err = fmt.Errorf("converting rows to %s: %w", ResultsParquet, err)
			continue
		}
		// The records hold strings of their own: the text can go back.
		select {
		case l.free <- b[:0]:
		default:
		}
		if err = l.ts.write(recs); err != nil {
			err = fmt.Errorf("writing %s: %w", ResultsParquet, err)
			continue
		}
		if l.scan == nil || l.scanErr != nil {
			continue
		}
		for _, rec := range recs {
			if l.scanErr = l.scan.Add(rec); l.scanErr != nil {
				break
			}
		}
	}
	if err == nil {
		err = l.ts.close()
	}
	l.done <- err
}

// commit waits for the last rows and puts results.parquet in place; it
// returns the scan, or nil when it failed.
func (l *liveResults) commit(ctx context.Context) (*Scan, error) {
	l.send()
	close(l.batches)
	err := <-l.done
	if err == nil {
		err = ctx.Err()
	}
	if err != nil {
		l.file.Abort()
		return nil, err
	}
	if err := l.file.Commit(nil); err != nil {
		return nil, err
	}
	if l.scanErr != nil {
		return nil, nil
	}
	return l.scan, nil
}

// abort stops the conversion and leaves no file.
func (l *liveResults) abort() {
	close(l.batches)
	<-l.done // an aborted conversion's error is of no interest
	l.file.Abort()
}
