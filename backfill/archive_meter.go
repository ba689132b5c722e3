package backfill

import (
	"io"
	"net/http"
	"strings"
)

// archiveMeter counts the public archive's requests, zip downloads and
// bytes against the series whose context sends them, as metered does for
// REST: the summary shows them and tests hold re-runs to zero downloads.
type archiveMeter struct{ next http.RoundTripper }

func (m archiveMeter) RoundTrip(req *http.Request) (*http.Response, error) {
	c := countersOf(req.Context())
	c.archiveRequests.Add(1)
	if strings.HasSuffix(req.URL.Path, ".zip") {
		c.downloads.Add(1)
	}
	next := m.next
	if next == nil {
		next = http.DefaultTransport
	}
	resp, err := next.RoundTrip(req)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, c: c}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	c *counters
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.c.archiveBytes.Add(int64(n))
	return n, err
}
