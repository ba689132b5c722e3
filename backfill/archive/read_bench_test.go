package archive

import (
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"iter"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/data"
)

// monthOf1m writes a month (31 days) of 1m candles as the archive does,
// header first: futures with volumes, or mark prices with zeros there.
func monthOf1m(kind data.KlineKind) []byte {
	var b bytes.Buffer
	b.WriteString(strings.Join(klineHeader, ",") + "\n")
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()
	p := 42283.5
	for i := range 31 * 24 * 60 {
		open := start + int64(i)*60_000
		p += float64(i%7-3) * 0.7
		o, h, l, c := p, p+12.3, p-9.8, p+1.4
		if kind.HasVolume() {
			fmt.Fprintf(&b, "%d,%.1f,%.1f,%.1f,%.1f,%.3f,%d,%.5f,%d,%.3f,%.5f,0\n",
				open, o, h, l, c, 123.456+float64(i%1000), open+59_999, 5186592.12345+float64(i), 1000+i%5000, 60.5+float64(i%100), 2541234.5+float64(i))
		} else {
			fmt.Fprintf(&b, "%d,%.8f,%.8f,%.8f,%.8f,0,%d,0,%d,0,0,0\n", open, o, h, l, c, open+59_999, 60)
		}
	}
	return b.Bytes()
}

// BenchmarkKlineRows reads a month of 1m candles with the byte-level
// reader ("new") and the encoding/csv one it replaced ("old").
func BenchmarkKlineRows(b *testing.B) {
	readers := []struct {
		name string
		read func(io.Reader, string, data.KlineKind, string) iter.Seq2[data.KlineRow, error]
	}{{"old", refKlineRows}, {"new", KlineRows}}
	for _, kind := range []data.KlineKind{data.KlineFutures, data.KlineMark} {
		in := monthOf1m(kind)
		// The floor: inflating the file, as Download.Klines must first.
		b.Run(fmt.Sprintf("%s/unzip", kind), func(b *testing.B) {
			zipped := deflate(b, in)
			b.SetBytes(int64(len(in)))
			for b.Loop() {
				r := flate.NewReader(bytes.NewReader(zipped))
				if _, err := io.Copy(io.Discard, r); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*bytes.Count(in, []byte("\n"))), "ns/row")
		})
		for _, r := range readers {
			b.Run(fmt.Sprintf("%s/%s", kind, r.name), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				b.ReportAllocs()
				rows := 0
				for b.Loop() {
					for _, err := range r.read(bytes.NewReader(in), "x.csv", kind, "1m") {
						if err != nil {
							b.Fatal(err)
						}
						rows++
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
			})
		}
	}
}

// deflate compresses in as the archive's zips do (deflate, default level).
func deflate(b *testing.B, in []byte) []byte {
	var out bytes.Buffer
	w, err := flate.NewWriter(&out, flate.DefaultCompression)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := w.Write(in); err != nil {
		b.Fatal(err)
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	return out.Bytes()
}
