package binancesim

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestArchiveServesZipsChecksumsAndS3NotFound(t *testing.T) {
	may := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	a := NewArchive(ArchiveOptions{HeaderFrom: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)})
	rows := []ArchiveKline{{OpenTime: may.UnixMilli(), CloseTime: may.Add(time.Hour).UnixMilli() - 1, Open: "1.5", High: "2", Low: "1", Close: "1.75", Volume: "3", QuoteVolume: "4.5", Count: 2, TakerBuyVolume: "1", TakerBuyQuoteVolume: "1.5"}}
	path := a.AddKlines(ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: "BTCUSDT", Interval: "1h"}, true, may, rows)
	if path != "data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05-01.zip" {
		t.Fatalf("path %s", path)
	}
	srv := httptest.NewServer(a)
	defer srv.Close()
	get := func(p string) (int, []byte) {
		resp, err := srv.Client().Get(srv.URL + "/" + p)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	_, z := get(path)
	_, sum := get(path + ".CHECKSUM")
	h := sha256.Sum256(z)
	if want := hex.EncodeToString(h[:]) + "  BTCUSDT-1h-2024-05-01.zip\n"; string(sum) != want {
		t.Errorf("checksum %q, want %q", sum, want)
	}
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil || len(zr.File) != 1 || zr.File[0].Name != "BTCUSDT-1h-2024-05-01.csv" {
		t.Fatalf("zip: %v", err)
	}
	r, _ := zr.File[0].Open()
	csv, _ := io.ReadAll(r)
	// Dated before HeaderFrom: no header row.
	if want := "1714521600000,1.5,2,1,1.75,3,1714525199999,4.5,2,1,1.5,0\n"; string(csv) != want {
		t.Errorf("csv %q, want %q", csv, want)
	}
	status, body := get("data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05-02.zip")
	if status != http.StatusNotFound || !strings.Contains(string(body), "<Code>NoSuchKey</Code>") || !strings.Contains(string(body), "<Key>data/futures/um/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-05-02.zip</Key>") {
		t.Errorf("404: %d %s", status, body)
	}
	if n := a.CountRequests(".zip"); n != 2 || len(a.Requests()) != 3 {
		t.Errorf("log: %+v", a.Requests())
	}
}

func TestArchivePublishesOnTheRealSchedule(t *testing.T) {
	var clock atomic.Int64                                                // read by the handler's goroutines
	clock.Store(time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC).UnixMilli()) // the first Monday of March
	now := func() time.Time { return time.UnixMilli(clock.Load()).UTC() }
	a := NewArchive(ArchiveOptions{Now: now})
	feb := a.AddFunding("BTCUSDT", time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC), []ArchiveFunding{{CalcTime: 1706745600000, IntervalHours: 8, Rate: "0.0001"}})
	s := ArchiveSeries{Market: "spot", Dataset: "klines", Symbol: "BTCUSDT", Interval: "1h"}
	mar3 := a.AddKlines(s, true, time.Date(2024, 3, 3, 0, 0, 0, 0, time.UTC), nil)
	mar4 := a.AddKlines(s, true, time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC), nil)
	srv := httptest.NewServer(a)
	defer srv.Close()
	for p, want := range map[string]int{feb: 404, mar3: 200, mar4: 404} {
		resp, err := srv.Client().Get(srv.URL + "/" + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s at %s: %d, want %d", p, now(), resp.StatusCode, want)
		}
	}
	clock.Store(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC).UnixMilli())
	if resp, err := srv.Client().Get(srv.URL + "/" + feb); err != nil || resp.StatusCode != 200 {
		t.Errorf("February's funding on the 5th: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}
