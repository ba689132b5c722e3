package binancesim

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Archive is a fake of Binance's public data archive (data.binance.vision):
// an http.Handler serving zips of one CSV each, with a .CHECKSUM beside
// every zip, at the real layout's paths, built from the rows given to it.
// It reproduces the real archive's quirks (header rows only in newer
// futures files, spot times in microseconds from 2025-01-01, the month
// interval written 1mo, S3's XML 404) and injects faults per file
// (SetFault). Serve it with httptest.NewServer. Every request is
// logged (Requests).
type Archive struct {
	opts ArchiveOptions

	mu     sync.Mutex
	files  map[string]archiveFile // by path, without the leading slash
	faults map[string]*archiveFault
	log    []ArchiveRequest
}

// ArchiveOptions tune the fake archive. The zero value of each field means
// its default.
type ArchiveOptions struct {
	// HeaderFrom: futures kline and funding files dated from this day on
	// carry a header row, older ones none, as on the real archive. Default
	// (zero): every futures file has one. Spot files never do.
	HeaderFrom time.Time
	// SpotMicrosFrom: spot files dated from this day on write open and
	// close times in microseconds. Default 2025-01-01, as on the real
	// archive.
	SpotMicrosFrom time.Time
	// Now, when set, hides files not published yet at Now (404): a month's
	// after the first Monday following its end, a day's the next day.
	// Default: every file added is served.
	Now func() time.Time
	// ListPageSize is the most entries a listing page holds (S3's
	// max-keys). Default 1,000, as on S3.
	ListPageSize int
}

// ArchiveRequest is one entry of the fake archive's request log.
type ArchiveRequest struct {
	N      int
	Path   string
	Status int // 0 when the connection was dropped mid-body
	Fault  ArchiveFaultKind
	Bytes  int // body bytes written
	// List and Marker: a bucket listing's prefix and marker (archive_list.go).
	List, Marker string
}

// ArchiveKline is one candle as the archive writes it: times in
// milliseconds (the fake writes spot times in microseconds where the real
// archive does), numbers as decimal strings, untouched.
type ArchiveKline struct {
	OpenTime, CloseTime                 int64
	Open, High, Low, Close              string
	Volume, QuoteVolume                 string
	Count                               int64
	TakerBuyVolume, TakerBuyQuoteVolume string
}

// ArchiveFunding is one funding event as the archive's fundingRate files
// write it.
type ArchiveFunding struct {
	CalcTime      int64 // milliseconds
	IntervalHours int
	Rate          string
}

// ArchiveSeries names a kline file's series: the market ("futures/um" or
// "spot"), the dataset folder ("klines", "markPriceKlines",
// "indexPriceKlines", "premiumIndexKlines"), the symbol (or pair; delisted
// and delivered symbols too) and the interval as REST names it ("1M" is
// written "1mo").
type ArchiveSeries struct {
	Market, Dataset, Symbol, Interval string
}

type archiveFile struct {
	zip      []byte
	checksum string // the .CHECKSUM's content
	date     time.Time
	daily    bool
}

// NewArchive returns an empty fake archive.
func NewArchive(opts ArchiveOptions) *Archive {
	if opts.SpotMicrosFrom.IsZero() {
		opts.SpotMicrosFrom = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return &Archive{opts: opts, files: map[string]archiveFile{}, faults: map[string]*archiveFault{}}
}

// AddKlines publishes the monthly (daily false: date is any day of the
// month) or daily file of a kline series holding rows, replacing any file
// there, and returns its path.
func (a *Archive) AddKlines(s ArchiveSeries, daily bool, date time.Time, rows []ArchiveKline) string {
	date = archiveDate(date, daily)
	iv := s.Interval
	if iv == "1M" {
		iv = "1mo"
	}
	name := fmt.Sprintf("%s-%s-%s", s.Symbol, iv, archiveStamp(date, daily))
	path := fmt.Sprintf("data/%s/%s/%s/%s/%s/%s.zip", s.Market, archiveFreq(daily), s.Dataset, s.Symbol, iv, name)
	spot := s.Market == "spot"
	header := !spot && !date.Before(a.opts.HeaderFrom)
	micros := spot && !date.Before(a.opts.SpotMicrosFrom)
	a.put(path, date, daily, name, klinesCSV(rows, header, micros))
	return path
}

// AddFunding publishes the monthly fundingRate file of symbol for the
// month holding month and returns its path.
func (a *Archive) AddFunding(symbol string, month time.Time, rows []ArchiveFunding) string {
	date := archiveDate(month, false)
	name := fmt.Sprintf("%s-fundingRate-%s", symbol, archiveStamp(date, false))
	path := fmt.Sprintf("data/futures/um/monthly/fundingRate/%s/%s.zip", symbol, name)
	a.put(path, date, false, name, fundingCSV(rows, !date.Before(a.opts.HeaderFrom)))
	return path
}

// Remove withdraws a file (its path as returned by AddKlines): asking for
// it answers 404.
func (a *Archive) Remove(path string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	delete(a.files, strings.TrimPrefix(path, "/"))
}

// Paths lists the published zips' paths, sorted.
func (a *Archive) Paths() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make([]string, 0, len(a.files))
	for p := range a.files {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

func (a *Archive) put(path string, date time.Time, daily bool, name string, csv []byte) {
	z, sum := zipOne(name+".csv", csv)
	a.mu.Lock()
	defer a.mu.Unlock()
	a.files[path] = archiveFile{zip: z, checksum: fmt.Sprintf("%s  %s.zip\n", sum, name), date: date, daily: daily}
}

// Requests returns a copy of the request log.
func (a *Archive) Requests() []ArchiveRequest {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.log)
}

// CountRequests counts logged requests whose path ends with suffix (a zip's
// name counts its downloads, name+".CHECKSUM" its checksums).
func (a *Archive) CountRequests(suffix string) int {
	n := 0
	for _, r := range a.Requests() {
		if strings.HasSuffix(r.Path, suffix) {
			n++
		}
	}
	return n
}

// ResetLog clears the request log.
func (a *Archive) ResetLog() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.log = nil
}

// published reports whether the real archive would hold f at now.
func (a *Archive) published(f archiveFile) bool {
	if a.opts.Now == nil {
		return true
	}
	now := a.opts.Now()
	if f.daily {
		return !now.Before(f.date.AddDate(0, 0, 1))
	}
	next := f.date.AddDate(0, 1, 0)
	toMonday := (int(time.Monday) - int(next.Weekday()) + 7) % 7
	return !now.Before(next.AddDate(0, 0, toMonday+1))
}

// ServeHTTP answers a GET of a zip or its .CHECKSUM, or a listing.
func (a *Archive) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if isListing(r) && r.Method == http.MethodGet {
		a.serveList(w, r)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, "/")
	zipPath, isSum := strings.CutSuffix(path, ".CHECKSUM")
	a.mu.Lock()
	n := len(a.log)
	f, ok := a.files[zipPath]
	if ok && !a.published(f) {
		ok = false
	}
	fault := a.takeFault(zipPath, isSum)
	a.mu.Unlock()
	entry := ArchiveRequest{N: n, Path: r.URL.Path, Fault: fault}
	// The entry is logged before the body's last byte is sent: a client
	// that has read a response finds it in the log.
	logIt := func(status, bytes int) {
		entry.Status, entry.Bytes = status, bytes
		a.mu.Lock()
		a.log = append(a.log, entry)
		a.mu.Unlock()
	}
	if !ok || fault == ArchiveMissing || r.Method != http.MethodGet {
		body := noSuchKey(path)
		logIt(http.StatusNotFound, len(body))
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusNotFound)
		w.Write(body)
		return
	}
	if fault == ArchiveCorruptData {
		f.zip, f.checksum = corrupted(f.zip, zipPath[strings.LastIndex(zipPath, "/")+1:])
	}
	if isSum {
		body := f.checksum
		if fault == ArchiveBadChecksum {
			body = strings.Repeat("0", 64) + body[64:]
		}
		logIt(http.StatusOK, len(body))
		w.Header().Set("Content-Type", "text/plain")
		w.Write([]byte(body))
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	half := f.zip[:len(f.zip)/2]
	switch fault {
	case ArchiveCutOff:
		// Content-Length announced, half the body sent, connection closed.
		logIt(0, len(half))
		w.Header().Set("Content-Length", fmt.Sprint(len(f.zip)))
		w.WriteHeader(http.StatusOK)
		w.Write(half)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		panic(http.ErrAbortHandler)
	case ArchiveShortBody:
		// No Content-Length (chunked): a body that ends early looks whole.
		logIt(http.StatusOK, len(half))
		w.WriteHeader(http.StatusOK)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		w.Write(half)
		return
	}
	logIt(http.StatusOK, len(f.zip))
	w.Header().Set("Content-Length", fmt.Sprint(len(f.zip)))
	w.Write(f.zip)
}

// noSuchKey is S3's answer (with status 404) for a key it does not hold.
func noSuchKey(key string) []byte {
	return fmt.Appendf(nil, `<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>%s</Key><RequestId>CARRYSIM0000000</RequestId><HostId>carry/binancesim</HostId></Error>`, key)
}

func archiveDate(t time.Time, daily bool) time.Time {
	t = t.UTC()
	if daily {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

func archiveStamp(t time.Time, daily bool) string {
	if daily {
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01")
}

func archiveFreq(daily bool) string {
	if daily {
		return "daily"
	}
	return "monthly"
}
