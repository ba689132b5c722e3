package archive

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// DefaultListURL is where the archive's bucket is listed: the S3 endpoint
// the public site's own pages ask (data.binance.vision serves objects, not
// listings). It is another host than DefaultBaseURL.
const DefaultListURL = "https://s3-ap-northeast-1.amazonaws.com/data.binance.vision"

// Lister lists the archive's bucket (S3 ListObjects, version 1, with a
// delimiter): which symbols have files, which months a series has.
type Lister struct {
	client *http.Client
	base   string
}

// NewLister lists the bucket at listURL (DefaultListURL if empty) through
// client (a new http.Client if nil; cancel through the context).
func NewLister(client *http.Client, listURL string) *Lister {
	if client == nil {
		client = &http.Client{}
	}
	if listURL == "" {
		listURL = DefaultListURL
	}
	return &Lister{client: client, base: strings.TrimRight(listURL, "/")}
}

// Listing is one folder of the bucket: its sub-folders (CommonPrefixes,
// each ending with "/") and its objects' keys (Contents), both full keys
// from the bucket's root, in the bucket's (lexical) order.
type Listing struct {
	Prefixes []string
	Keys     []string
}

// listPage is S3's ListBucketResult, the fields read.
type listPage struct {
	XMLName        xml.Name                  `xml:"ListBucketResult"`
	IsTruncated    bool                      `xml:"IsTruncated"`
	NextMarker     string                    `xml:"NextMarker"`
	Contents       []struct{ Key string }    `xml:"Contents"`
	CommonPrefixes []struct{ Prefix string } `xml:"CommonPrefixes"`
}

// maxListPages bounds a listing: at S3's 1,000 entries a page, far beyond
// any folder of the archive, and a server answering the same page forever
// cannot hold a run.
const maxListPages = 1000

// List lists the folder prefix (ending with "/"), following the pages
// (IsTruncated, then marker = NextMarker, or the last entry when a server
// omits it).
func (l *Lister) List(ctx context.Context, prefix string) (Listing, error) {
	var out Listing
	marker := ""
	for range maxListPages {
		p, err := l.page(ctx, prefix, marker)
		if err != nil {
			return out, err
		}
		last := ""
		for _, c := range p.CommonPrefixes {
			out.Prefixes = append(out.Prefixes, c.Prefix)
			last = max(last, c.Prefix)
		}
		for _, c := range p.Contents {
			out.Keys = append(out.Keys, c.Key)
			last = max(last, c.Key)
		}
		if !p.IsTruncated {
			return out, nil
		}
		next := p.NextMarker
		if next == "" {
			next = last
		}
		if next == "" || next <= marker {
			return out, fmt.Errorf("listing %s: a truncated page that does not move the marker past %q", prefix, marker)
		}
		marker = next
	}
	return out, fmt.Errorf("listing %s: more than %d pages", prefix, maxListPages)
}

// page asks one page of the folder after marker.
func (l *Lister) page(ctx context.Context, prefix, marker string) (listPage, error) {
	q := url.Values{"prefix": {prefix}, "delimiter": {"/"}}
	if marker != "" {
		q.Set("marker", marker)
	}
	u := l.base + "?" + q.Encode()
	var p listPage
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return p, fmt.Errorf("listing %s: %w", prefix, err)
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return p, fmt.Errorf("listing %s: %w", prefix, err)
	}
	defer resp.Body.Close()
	// A page of 1,000 entries is about 100 KB; 16 MB is a broken server.
	body, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return p, fmt.Errorf("listing %s: reading %s: %w", prefix, u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return p, fmt.Errorf("listing %s: %s: HTTP %d: %.200s", prefix, u, resp.StatusCode, body)
	}
	if err := xml.Unmarshal(body, &p); err != nil {
		return p, fmt.Errorf("listing %s: %s: not a ListBucketResult: %w", prefix, u, err)
	}
	return p, nil
}
