package archive_test

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// serve starts the fake archive and a downloader pointed at it.
func serve(t *testing.T, a *binancesim.Archive) *archive.Downloader {
	t.Helper()
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return archive.NewDownloader(archive.WithBaseURL(srv.URL), archive.WithHTTPClient(srv.Client()), archive.WithTempDir(t.TempDir()))
}

// candles are the rows of [from, to) at step, with prices that vary
// (8 decimals, read exactly) and volumes.
func candles(from, to time.Time, step time.Duration) []binancesim.ArchiveKline {
	var out []binancesim.ArchiveKline
	for i, ts := 0, from; ts.Before(to); i, ts = i+1, ts.Add(step) {
		base := 20000 + i%997
		out = append(out, binancesim.ArchiveKline{
			OpenTime: ts.UnixMilli(), CloseTime: ts.Add(step).UnixMilli() - 1,
			Open: fmt.Sprintf("%d.10000000", base), High: fmt.Sprintf("%d.98765432", base+5), Low: fmt.Sprintf("%d.01234567", base-5), Close: fmt.Sprintf("%d.5", base),
			Volume: fmt.Sprintf("%d.123", i+1), QuoteVolume: fmt.Sprintf("%d.45678", (i+1)*20000), Count: int64(i + 7),
			TakerBuyVolume: "0.001", TakerBuyQuoteVolume: "20.00000001",
		})
	}
	return out
}

// monthCandles are the candles of the month holding m.
func monthCandles(m time.Time, step time.Duration) []binancesim.ArchiveKline {
	return candles(m, m.AddDate(0, 1, 0), step)
}

// drain reads a download's candles, failing the test on an error.
func drain(t *testing.T, dl *archive.Download) []data.KlineRow {
	t.Helper()
	var rows []data.KlineRow
	for r, err := range dl.Klines() {
		if err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	return rows
}

// sameCandles checks rows against what the fake was given, exactly.
func sameCandles(t *testing.T, kind data.KlineKind, got []data.KlineRow, want []binancesim.ArchiveKline) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d rows, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.OpenTime.UnixMilli() != w.OpenTime || g.CloseTime.UnixMilli() != w.CloseTime {
			t.Fatalf("row %d: times %d–%d, want %d–%d", i, g.OpenTime.UnixMilli(), g.CloseTime.UnixMilli(), w.OpenTime, w.CloseTime)
		}
		for _, c := range []struct {
			got  float64
			want string
		}{{g.Open, w.Open}, {g.High, w.High}, {g.Low, w.Low}, {g.Close, w.Close}} {
			if !data.Decimal(c.got).Equal(mustDecimal(c.want)) {
				t.Fatalf("row %d: %v, want %s", i, c.got, c.want)
			}
		}
		if kind.HasVolume() {
			if !g.Volume.Valid || !data.Decimal(g.Volume.Float64).Equal(mustDecimal(w.Volume)) || g.Trades != w.Count ||
				!data.Decimal(g.TakerBuyQuoteVolume.Float64).Equal(mustDecimal(w.TakerBuyQuoteVolume)) {
				t.Fatalf("row %d: volume %v trades %d, want %s %d", i, g.Volume, g.Trades, w.Volume, w.Count)
			}
		} else if g.Volume.Valid || g.QuoteVolume.Valid || g.TakerBuyVolume.Valid || g.TakerBuyQuoteVolume.Valid || g.Trades != 0 {
			t.Fatalf("row %d: %s candles have no volume, got %+v", i, kind, g)
		}
	}
}
