package binancesim

import (
	"encoding/xml"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// The fake archive also answers the bucket listing the public site uses
// (S3 ListObjects version 1, GET /?prefix=…&delimiter=/&marker=…), at "/"
// or at "/data.binance.vision" (the real listing host names the bucket in
// the path): tests give its URL as the listing URL too. Only published
// files are listed, with their .CHECKSUMs, as the real bucket holds both.

// isListing reports whether r asks for a listing rather than a file.
func isListing(r *http.Request) bool { return isListPath(r.URL.Path) }

// s3List is S3's ListBucketResult, the fields the real one sends.
type s3List struct {
	XMLName        xml.Name   `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListBucketResult"`
	Name           string     `xml:"Name"`
	Prefix         string     `xml:"Prefix"`
	Marker         string     `xml:"Marker"`
	NextMarker     string     `xml:"NextMarker,omitempty"`
	MaxKeys        int        `xml:"MaxKeys"`
	Delimiter      string     `xml:"Delimiter,omitempty"`
	IsTruncated    bool       `xml:"IsTruncated"`
	Contents       []s3Object `xml:"Contents"`
	CommonPrefixes []s3Prefix `xml:"CommonPrefixes"`
}

type s3Object struct {
	Key  string `xml:"Key"`
	Size int    `xml:"Size"`
}

type s3Prefix struct {
	Prefix string `xml:"Prefix"`
}

// serveList answers one page of a listing: entries (keys, and with a
// delimiter the common prefixes they roll up into) after marker, in lexical
// order, at most ListPageSize (or max-keys, if smaller) a page, with
// NextMarker on a truncated page, as S3 sends it when a delimiter is given.
func (a *Archive) serveList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	prefix, delim, marker := q.Get("prefix"), q.Get("delimiter"), q.Get("marker")
	size := a.opts.ListPageSize
	if size <= 0 {
		size = 1000
	}
	if mk, err := strconv.Atoi(q.Get("max-keys")); err == nil && mk > 0 && mk < size {
		size = mk
	}
	a.mu.Lock()
	n := len(a.log)
	sizes := map[string]int{}
	for p, f := range a.files {
		if !strings.HasPrefix(p, prefix) || !a.published(f) {
			continue
		}
		sizes[p], sizes[p+".CHECKSUM"] = len(f.zip), len(f.checksum)
	}
	a.mu.Unlock()

	isPrefix := map[string]bool{}
	var entries []string
	for k := range sizes {
		e := k
		if i := strings.Index(k[len(prefix):], delim); delim != "" && i >= 0 {
			e = k[:len(prefix)+i+len(delim)]
			isPrefix[e] = true
		}
		entries = append(entries, e)
	}
	slices.Sort(entries)
	entries = slices.Compact(entries)
	start, _ := slices.BinarySearch(entries, marker)
	for start < len(entries) && entries[start] <= marker {
		start++
	}
	page := entries[start:]
	res := s3List{Name: "data.binance.vision", Prefix: prefix, Marker: marker, MaxKeys: size, Delimiter: delim}
	if len(page) > size {
		page, res.IsTruncated = page[:size], true
		res.NextMarker = page[len(page)-1]
	}
	for _, e := range page {
		if isPrefix[e] {
			res.CommonPrefixes = append(res.CommonPrefixes, s3Prefix{Prefix: e})
		} else {
			res.Contents = append(res.Contents, s3Object{Key: e, Size: sizes[e]})
		}
	}
	body, err := xml.Marshal(res)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	body = append([]byte(xml.Header), body...)
	a.mu.Lock()
	a.log = append(a.log, ArchiveRequest{N: n, Path: r.URL.Path, List: prefix, Marker: marker, Status: http.StatusOK, Bytes: len(body)})
	a.mu.Unlock()
	w.Header().Set("Content-Type", "application/xml")
	w.Write(body)
}

// CountListings counts logged listings of prefix.
func (a *Archive) CountListings(prefix string) int {
	n := 0
	for _, r := range a.Requests() {
		if r.List == prefix && isListPath(r.Path) {
			n++
		}
	}
	return n
}

func isListPath(p string) bool {
	p = strings.Trim(p, "/")
	return p == "" || p == "data.binance.vision"
}
