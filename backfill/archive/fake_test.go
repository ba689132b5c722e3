package archive_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

var futures1h = binancesim.ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: "BTCUSDT", Interval: "1h"}

func TestHeaderRowInNewerFuturesFilesOnly(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{HeaderFrom: day("2022-01-01")})
	s := futures1h
	s.Interval = "4h"
	old, newer := monthCandles(day("2021-12-01"), 4*time.Hour), monthCandles(day("2022-01-01"), 4*time.Hour)
	a.AddKlines(s, false, day("2021-12-01"), old)
	a.AddKlines(s, false, day("2022-01-01"), newer)
	d := serve(t, a)
	for _, c := range []struct {
		month time.Time
		want  []binancesim.ArchiveKline
	}{{day("2021-12-01"), old}, {day("2022-01-01"), newer}} {
		dl, err := d.Download(context.Background(), archive.Monthly(archive.FuturesKlines, "BTCUSDT", "4h", c.month))
		if err != nil {
			t.Fatal(err)
		}
		sameCandles(t, data.KlineFutures, drain(t, dl), c.want)
		dl.Remove()
	}
}

func TestSpotTimesInMicrosecondsFrom2025(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	spot := binancesim.ArchiveSeries{Market: "spot", Dataset: "klines", Symbol: "BTCUSDT", Interval: "1h"}
	spot4h := spot
	spot4h.Interval = "4h"
	dec, jan := monthCandles(day("2024-12-01"), 4*time.Hour), candles(day("2025-01-01"), day("2025-01-02"), time.Hour)
	a.AddKlines(spot4h, false, day("2024-12-01"), dec)
	p := a.AddKlines(spot, true, day("2025-01-01"), jan)
	d := serve(t, a)
	for _, c := range []struct {
		f    archive.File
		want []binancesim.ArchiveKline
	}{
		{archive.Monthly(archive.SpotKlines, "BTCUSDT", "4h", day("2024-12-01")), dec},
		{archive.Daily(archive.SpotKlines, "BTCUSDT", "1h", day("2025-01-01")), jan},
	} {
		if c.f.Daily && c.f.Path() != p {
			t.Fatalf("layout %s, the fake serves %s", c.f.Path(), p)
		}
		dl, err := d.Download(context.Background(), c.f)
		if err != nil {
			t.Fatal(err)
		}
		sameCandles(t, data.KlineSpot, drain(t, dl), c.want)
		dl.Remove()
	}
}

func TestMonthIntervalIsWritten1mo(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	s := futures1h
	s.Interval = "1M"
	rows := []binancesim.ArchiveKline{{OpenTime: day("2024-03-01").UnixMilli(), CloseTime: day("2024-04-01").UnixMilli() - 1,
		Open: "61130.9", High: "73881.4", Low: "59005", Close: "71280.01", Volume: "1", QuoteVolume: "1", TakerBuyVolume: "0", TakerBuyQuoteVolume: "0"}}
	path := a.AddKlines(s, false, day("2024-03-01"), rows)
	if !strings.Contains(path, "/1mo/BTCUSDT-1mo-2024-03.zip") {
		t.Fatalf("the fake wrote %s", path)
	}
	d := serve(t, a)
	f := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1M", day("2024-03-01"))
	dl, err := d.Download(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	defer dl.Remove()
	sameCandles(t, data.KlineFutures, drain(t, dl), rows)
}

func TestMarkIndexPremiumHaveNoVolume(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	d := serve(t, a)
	for _, kind := range []data.KlineKind{data.KlineMark, data.KlineIndex, data.KlinePremium} {
		ds, _ := archive.KlineDataset(kind)
		rows := candles(day("2024-05-01"), day("2024-05-02"), 4*time.Hour)
		for i := range rows {
			rows[i].Volume, rows[i].QuoteVolume, rows[i].Count, rows[i].TakerBuyVolume, rows[i].TakerBuyQuoteVolume = "0", "0", 0, "0", "0"
		}
		a.AddKlines(binancesim.ArchiveSeries{Market: "futures/um", Dataset: string(ds), Symbol: "BTCUSDT", Interval: "4h"}, true, day("2024-05-01"), rows)
		dl, err := d.Download(context.Background(), archive.Daily(ds, "BTCUSDT", "4h", day("2024-05-01")))
		if err != nil {
			t.Fatal(kind, err)
		}
		sameCandles(t, kind, drain(t, dl), rows)
		dl.Remove()
	}
}

func TestMissingFileIsS3NotFound(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	d := serve(t, a)
	f := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-01-01"))
	_, err := d.Download(context.Background(), f)
	var nf *archive.NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, archive.ErrNotFound) {
		t.Fatalf("%v, want a NotFoundError", err)
	}
	if nf.Code != "NoSuchKey" || !strings.HasSuffix(nf.Key, f.Name()+".CHECKSUM") || !strings.Contains(err.Error(), f.Path()) {
		t.Errorf("not found: code %q key %q (%v)", nf.Code, nf.Key, err)
	}
}

func TestChecksumMismatchIsDownloadedOnceMore(t *testing.T) {
	for _, c := range []struct {
		times int
		fail  bool
	}{{1, false}, {0, true}} {
		a := binancesim.NewArchive(binancesim.ArchiveOptions{})
		rows := candles(day("2024-01-01"), day("2024-01-02"), time.Hour)
		a.AddKlines(futures1h, true, day("2024-01-01"), rows)
		f := archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-01-01"))
		a.SetFault(f.Name(), binancesim.ArchiveBadChecksum, c.times)
		d := serve(t, a)
		dl, err := d.Download(context.Background(), f)
		if n := a.CountRequests(f.Name()); n != 2 {
			t.Errorf("fault %d times: the zip was downloaded %d times, want 2", c.times, n)
		}
		if !c.fail {
			if err != nil {
				t.Fatal(err)
			}
			sameCandles(t, data.KlineFutures, drain(t, dl), rows)
			dl.Remove()
			continue
		}
		var ce *archive.ChecksumError
		if !errors.As(err, &ce) || dl != nil || !strings.Contains(err.Error(), f.Path()) || ce.Attempts != 2 {
			t.Errorf("always mismatching: %v (download %v), want a ChecksumError naming %s", err, dl, f)
		}
	}
}

func TestBodyCutOffIsDownloadedOnceMore(t *testing.T) {
	for _, kind := range []binancesim.ArchiveFaultKind{binancesim.ArchiveCutOff, binancesim.ArchiveShortBody} {
		for _, times := range []int{1, 0} {
			a := binancesim.NewArchive(binancesim.ArchiveOptions{})
			rows := candles(day("2024-01-01"), day("2024-01-02"), time.Hour)
			a.AddKlines(futures1h, true, day("2024-01-01"), rows)
			f := archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-01-01"))
			a.SetFault(f.Name(), kind, times)
			d := serve(t, a)
			dl, err := d.Download(context.Background(), f)
			if n := a.CountRequests(f.Name()); n != 2 {
				t.Errorf("%s %d times: %d downloads, want 2", kind, times, n)
			}
			if times == 1 {
				if err != nil {
					t.Fatalf("%s once: %v", kind, err)
				}
				sameCandles(t, data.KlineFutures, drain(t, dl), rows)
				dl.Remove()
				continue
			}
			var te *archive.TruncatedError
			if !errors.As(err, &te) || dl != nil || !strings.Contains(err.Error(), f.Path()) {
				t.Errorf("%s always: %v, want a TruncatedError naming %s", kind, err, f)
			}
		}
	}
}

func TestDelistedAndDeliveredSymbolsAreArchived(t *testing.T) {
	// REST's exchangeInfo no longer lists them; the archive keeps them.
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	d := serve(t, a)
	for _, sym := range []string{"SRMUSDT", "BTCUSDT_210625"} {
		s := futures1h
		s.Symbol = sym
		rows := candles(day("2021-06-20"), day("2021-06-21"), time.Hour)
		a.AddKlines(s, true, day("2021-06-20"), rows)
		dl, err := d.Download(context.Background(), archive.Daily(archive.FuturesKlines, sym, "1h", day("2021-06-20")))
		if err != nil {
			t.Fatal(sym, err)
		}
		sameCandles(t, data.KlineFutures, drain(t, dl), rows)
		dl.Remove()
	}
}

func TestFundingFilesCarryTheirIntervals(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{HeaderFrom: day("2024-02-01")})
	var jan, feb []binancesim.ArchiveFunding
	for ts := day("2024-01-01"); ts.Before(day("2024-03-01")); {
		h := 8
		if !ts.Before(day("2024-02-10")) {
			h = 4 // the schedule changes mid-February
		}
		r := binancesim.ArchiveFunding{CalcTime: ts.UnixMilli() + 3, IntervalHours: h, Rate: "0.00010000"}
		if ts.Month() == time.January {
			jan = append(jan, r)
		} else {
			feb = append(feb, r)
		}
		ts = ts.Add(time.Duration(h) * time.Hour)
	}
	a.AddFunding("BTCUSDT", day("2024-01-01"), jan)
	a.AddFunding("BTCUSDT", day("2024-02-01"), feb)
	d := serve(t, a)
	var got []data.FundingRow
	for _, m := range []time.Time{day("2024-01-01"), day("2024-02-01")} {
		dl, err := d.Download(context.Background(), archive.Monthly(archive.FundingRate, "BTCUSDT", "", m))
		if err != nil {
			t.Fatal(err)
		}
		for r, err := range dl.Funding() {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		dl.Remove()
	}
	want := append(jan, feb...)
	if len(got) != len(want) {
		t.Fatalf("%d events, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.FundingTime.UnixMilli() != w.CalcTime || g.FundingIntervalHours != w.IntervalHours || g.FundingRate != 0.0001 || g.MarkPrice.Valid || g.RateType != data.Regular {
			t.Fatalf("event %d: %+v, want %+v", i, g, w)
		}
	}
}
