package binancesim

import (
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestArchiveListsLikeS3: the bucket listing's XML, a page at a time,
// unpublished files hidden.
func TestArchiveListsLikeS3(t *testing.T) {
	now := time.Date(2024, 3, 10, 0, 0, 0, 0, time.UTC)
	a := NewArchive(ArchiveOptions{ListPageSize: 2, Now: func() time.Time { return now }})
	for _, sym := range []string{"BTCUSDT", "ETHUSDT", "SRMUSDT"} {
		a.AddKlines(ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: sym, Interval: "1h"}, false, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), nil)
	}
	// February's file is published on March 6th; March's is not yet.
	a.AddKlines(ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: "NEWUSDT", Interval: "1h"}, false, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), nil)
	srv := httptest.NewServer(a)
	defer srv.Close()
	list := func(prefix, marker string) string {
		q := url.Values{"prefix": {prefix}, "delimiter": {"/"}, "marker": {marker}}
		resp, err := srv.Client().Get(srv.URL + "/data.binance.vision?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	p1 := list("data/futures/um/monthly/klines/", "")
	for _, want := range []string{`<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`, "<IsTruncated>true</IsTruncated>",
		"<CommonPrefixes><Prefix>data/futures/um/monthly/klines/BTCUSDT/</Prefix></CommonPrefixes>",
		"<NextMarker>data/futures/um/monthly/klines/ETHUSDT/</NextMarker>"} {
		if !strings.Contains(p1, want) {
			t.Errorf("page 1 lacks %s:\n%s", want, p1)
		}
	}
	p2 := list("data/futures/um/monthly/klines/", "data/futures/um/monthly/klines/ETHUSDT/")
	if !strings.Contains(p2, "<IsTruncated>false</IsTruncated>") || !strings.Contains(p2, "SRMUSDT/") || strings.Contains(p2, "NEWUSDT") || strings.Contains(p2, "ETHUSDT/</Prefix></CommonPrefixes>") {
		t.Errorf("page 2:\n%s", p2)
	}
	keys := list("data/futures/um/monthly/klines/BTCUSDT/1h/", "")
	if !strings.Contains(keys, "<Key>data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip</Key>") ||
		!strings.Contains(keys, "BTCUSDT-1h-2024-01.zip.CHECKSUM</Key>") {
		t.Errorf("keys:\n%s", keys)
	}
	if n := a.CountListings("data/futures/um/monthly/klines/"); n != 2 {
		t.Errorf("%d listings logged, want 2", n)
	}
}
