package backfill

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
)

// klineSince starts the kline tests' spans: January 28–31 by daily
// files, February by its monthly file, March 1–19 by daily files, March
// 20 (testNow's day) from REST.
var klineSince = time.Date(2026, 1, 28, 0, 0, 0, 0, time.UTC)

var allKinds = []data.KlineKind{data.KlineFutures, data.KlineIndex, data.KlineMark, data.KlineSpot, data.KlineContinuous}

func TestKlinePlanKeysIndexAndContinuousByPair(t *testing.T) {
	cfg := Config{Symbols: []string{"BTCUSDT"}, Klines: true, Kinds: []data.KlineKind{data.KlineIndex, data.KlineContinuous},
		Intervals: []data.Interval{"1h", "4h"}, ContractTypes: []data.ContractType{data.Perpetual, data.CurrentQuarter}}
	var got []string
	for _, s := range cfg.Plan() {
		got = append(got, s.String())
	}
	want := "klines index BTCUSDT 1h,klines index BTCUSDT 4h,klines continuous BTCUSDT PERPETUAL 1h,klines continuous BTCUSDT PERPETUAL 4h," +
		"klines continuous BTCUSDT CURRENT_QUARTER 1h,klines continuous BTCUSDT CURRENT_QUARTER 4h"
	if strings.Join(got, ",") != want {
		t.Errorf("plan %v", got)
	}
	for _, bad := range []Config{
		{Symbols: []string{"BTCUSDT"}, Klines: true, Intervals: []data.Interval{"1h"}, Since: testNow.Add(-time.Hour), Until: testNow},
		{Symbols: []string{"BTCUSDT"}, Klines: true, Kinds: allKinds, Intervals: []data.Interval{"1h"}, Since: testNow.Add(-time.Hour), Until: testNow},
		{Symbols: []string{"BTCUSDT"}, Funding: true, Source: "s3", Since: testNow.Add(-time.Hour), Until: testNow},
	} {
		if err := bad.Validate(); err == nil {
			t.Errorf("%+v validated", bad)
		}
	}
	// The archive needs a downloader.
	e := newEnv(t, testMarket(), binancesim.Options{})
	if _, err := e.run(context.Background(), klineConfig(SourceAuto, testNow.Add(-time.Hour), allKinds, "BTCUSDT")); err == nil || !strings.Contains(err.Error(), "WithArchive") {
		t.Errorf("auto without an archive: %v", err)
	}
}

// TestKlinesAutoTakesFilesThenREST: whole months from monthly files, the
// other days from daily files, today from REST; continuous klines (not
// archived) from REST; every served candle stored; a re-run downloads
// nothing and asks at most once per series.
func TestKlinesAutoTakesFilesThenREST(t *testing.T) {
	since := klineSince
	cfg := klineConfig(SourceAuto, since, allKinds, "BTCUSDT")
	keys := klineKeys(cfg)
	e := newArchiveEnv(t, testMarket(), keys, since, []string{"BTCUSDT"}, 8)
	ctx := context.Background()
	results, err := e.backfiller().Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	assertServed(t, e.lake, e.market, keys, since, e.clock())
	for _, r := range results {
		switch {
		case r.Series.Dataset == lake.DatasetFunding:
			// REST for the rows; January's and February's files for
			// the intervals.
			if r.Archive.Imported != 2 || r.Archive.IntervalDisagreements != 0 || r.NewRows == 0 {
				t.Errorf("%s: %+v", r.Series, r)
			}
		case r.Series.Kline.Kind == data.KlineContinuous:
			if r.Archive.Requests != 0 {
				t.Errorf("%s: %d archive requests for a series the archive lacks", r.Series, r.Archive.Requests)
			}
		default:
			// January 28–31 and March 1–19 by day, February by month,
			// March 20 (13 candles, one still open) by one REST page.
			if r.Archive.Imported != 4+1+19 || r.Requests != 1 || r.Archive.Downloads != 24 || r.Archive.Failed != nil {
				t.Errorf("%s: %d files imported, %d downloads, %d REST requests, failed %v", r.Series, r.Archive.Imported, r.Archive.Downloads, r.Requests, r.Archive.Failed)
			}
		}
	}
	// The funding rows are REST's (mark prices and all).
	ref := newEnv(t, testMarket(), binancesim.Options{})
	if _, err := ref.run(ctx, Config{Symbols: []string{"BTCUSDT"}, Funding: true, Since: since, Until: testNow, UntilNow: true}); err != nil {
		t.Fatal(err)
	}
	got, want := snap(t, e.lake).Funding, snap(t, ref.lake).Funding
	if len(got["BTCUSDT"]) == 0 || !sameFunding(got["BTCUSDT"], want["BTCUSDT"]) {
		t.Errorf("funding: %d rows, REST alone stores %d", len(got["BTCUSDT"]), len(want["BTCUSDT"]))
	}

	e.arch.ResetLog()
	again, err := e.backfiller().Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.arch.CountRequests(".zip"); n != 0 {
		t.Errorf("re-run downloaded %d files", n)
	}
	for _, r := range again {
		if r.Requests > 1 || r.NewRows != 0 || r.Archive.Requests != 0 {
			t.Errorf("re-run %s: %d requests, %d archive requests, %d new rows", r.Series, r.Requests, r.Archive.Requests, r.NewRows)
		}
	}
	assertServed(t, e.lake, e.market, keys, since, e.clock())
}

func sameFunding(a, b []data.FundingRow) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestKlinesRESTAndArchiveAgree: --source rest stores the same candles
// without a request to the archive; --source archive stores every
// published file and leaves today for REST.
func TestKlinesRESTAndArchiveAgree(t *testing.T) {
	since := time.Date(2026, 2, 25, 0, 0, 0, 0, time.UTC)
	kinds := []data.KlineKind{data.KlineFutures, data.KlineSpot, data.KlineContinuous}
	keys := klineKeys(klineConfig(SourceREST, since, kinds, "BTCUSDT"))
	e := newArchiveEnv(t, testMarket(), keys, since, []string{"BTCUSDT"}, 8)
	ctx := context.Background()
	if _, err := e.backfiller().Run(ctx, klineConfig(SourceREST, since, kinds, "BTCUSDT")); err != nil {
		t.Fatal(err)
	}
	if n := len(e.arch.Requests()); n != 0 {
		t.Errorf("--source rest: %d archive requests", n)
	}
	assertServed(t, e.lake, e.market, keys, since, e.clock())

	a := newArchiveEnv(t, testMarket(), keys, since, []string{"BTCUSDT"}, 8)
	results, err := a.backfiller().Run(ctx, klineConfig(SourceArchive, since, kinds, "BTCUSDT"))
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.Series.Kline.Kind == data.KlineContinuous {
			continue
		}
		if r.Requests != 0 && r.Series.Dataset == lake.DatasetKlines {
			t.Errorf("--source archive: %s sent %d REST requests", r.Series, r.Requests)
		}
		if len(r.Archive.LeftToREST) == 0 {
			t.Errorf("%s: nothing left to REST, want today", r.Series)
		}
	}
	today := testNow.Truncate(24 * time.Hour)
	// Continuous klines are not archived: REST whatever the source.
	assertServed(t, a.lake, a.market, keys[2:], since, a.clock())
	for _, k := range keys[:2] {
		got, _ := a.lake.ReadKlines(k)
		want := served(t, a.market, k, since, today)
		if len(got.Rows) != len(want) || !got.Rows[len(got.Rows)-1].CloseTime.Before(today) {
			t.Errorf("%s: %d rows, want the %d before today", k, len(got.Rows), len(want))
		}
	}
}

// TestArchiveFaultsStoreNothingOfTheFile: a file that fails its checksum,
// is cut off or ends early on both downloads fails, named, with nothing of
// it stored and its span left uncovered; the rest is stored and the series
// is partial. A fault on one download only is retried and heals; a
// missing file falls back to daily files. The next run imports the file.
func TestArchiveFaultsStoreNothingOfTheFile(t *testing.T) {
	since := klineSince
	kinds := []data.KlineKind{data.KlineFutures}
	feb := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC))
	for _, c := range []struct {
		kind  binancesim.ArchiveFaultKind
		times int
		fails bool
	}{
		{binancesim.ArchiveBadChecksum, 0, true}, {binancesim.ArchiveCutOff, 0, true}, {binancesim.ArchiveShortBody, 0, true},
		{binancesim.ArchiveBadChecksum, 1, false}, {binancesim.ArchiveCutOff, 1, false}, {binancesim.ArchiveShortBody, 1, false},
		{binancesim.ArchiveMissing, 0, false},
	} {
		t.Run(string(c.kind)+map[bool]string{true: "-always", false: "-once"}[c.times == 0], func(t *testing.T) {
			t.Parallel()
			cfg := klineConfig(SourceAuto, since, kinds, "BTCUSDT")
			cfg.Funding = false
			keys := klineKeys(cfg)
			e := newArchiveEnv(t, testMarket(), keys, since, nil, 8)
			e.arch.SetFault(feb.Name(), c.kind, c.times)
			ctx := context.Background()
			results, err := e.backfiller().Run(ctx, cfg)
			r := results[0]
			if !c.fails {
				if err != nil {
					t.Fatal(err)
				}
				assertServed(t, e.lake, e.market, keys, since, e.clock())
				if c.kind == binancesim.ArchiveMissing && (r.Archive.Missing != 1 || r.Archive.Imported != 4+28+19) {
					t.Errorf("missing file: %+v, want February by its 28 days", r.Archive)
				}
				return
			}
			ff := filesFailedOf(r)
			if err == nil || ff == nil || len(ff.Files) != 1 || ff.Files[0].File != feb || !strings.Contains(err.Error(), feb.Path()) {
				t.Fatalf("err = %v, want %s named as failed", err, feb.Path())
			}
			if n := e.arch.CountRequests(feb.Name()); n != 2 {
				t.Errorf("%s downloaded %d times, want 2", feb.Name(), n)
			}
			got, _ := e.lake.ReadKlines(keys[0])
			febSpan := feb.Span()
			var others []data.KlineRow
			for _, row := range got.Rows {
				if !row.OpenTime.Before(febSpan.From) && !row.OpenTime.After(febSpan.To) {
					t.Fatalf("a candle of the failed file was stored: %s", row.OpenTime)
				}
				others = append(others, row)
			}
			if got.State.Covered.Covers(febSpan.From) || got.State.Checksums[feb.Name()] != "" {
				t.Errorf("the failed file's span is covered or its checksum kept: %v %v", got.State.Covered, got.State.Checksums)
			}
			if want := len(served(t, e.market, keys[0], since, e.clock())) - 28*24; len(others) != want {
				t.Errorf("%d rows stored, want the %d outside February", len(others), want)
			}
			// Healed upstream: the next run imports the file alone.
			e.arch.SetFault(feb.Name(), binancesim.ArchiveNoFault, 0)
			e.arch.ResetLog()
			if _, err := e.backfiller().Run(ctx, cfg); err != nil {
				t.Fatal(err)
			}
			if n := e.arch.CountRequests(".zip"); n != 1 {
				t.Errorf("the next run downloaded %d files, want February's", n)
			}
			assertServed(t, e.lake, e.market, keys, since, e.clock())
		})
	}
}

// TestReplacedFileIsImportedAgain: --source archive checks every file of
// the span against its kept checksum; the one replaced upstream is the
// only one downloaded, and its new candles replace the old.
func TestReplacedFileIsImportedAgain(t *testing.T) {
	since := klineSince
	cfg := klineConfig(SourceAuto, since, []data.KlineKind{data.KlineFutures}, "BTCUSDT")
	cfg.Funding = false
	keys := klineKeys(cfg)
	e := newArchiveEnv(t, testMarket(), keys, since, nil, 8)
	ctx := context.Background()
	if _, err := e.backfiller().Run(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	// Binance re-uploads February with one candle corrected.
	febStart := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	var rows []binancesim.ArchiveKline
	for _, r := range e.market.Klines(keys[0]) {
		if t := time.UnixMilli(r.OpenTime).UTC(); !t.Before(febStart) && t.Before(febStart.AddDate(0, 1, 0)) {
			rows = append(rows, binancesim.ArchiveKline{OpenTime: r.OpenTime, CloseTime: r.CloseTime, Open: r.Open, High: r.High, Low: r.Low, Close: r.Close,
				Volume: r.Volume, QuoteVolume: r.QuoteVolume, Count: r.Trades, TakerBuyVolume: r.TakerBuyVolume, TakerBuyQuoteVolume: r.TakerBuyQuoteVolume})
		}
	}
	rows[5].Volume = "12.5"
	e.arch.AddKlines(binancesim.ArchiveSeries{Market: "futures/um", Dataset: "klines", Symbol: "BTCUSDT", Interval: "1h"}, false, febStart, rows)
	e.arch.ResetLog()
	cfg.Source = SourceArchive
	results, err := e.backfiller().Run(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if n := e.arch.CountRequests(".zip"); n != 1 || e.arch.CountRequests("BTCUSDT-1h-2026-02.zip") != 1 {
		t.Errorf("%d downloads, want February's alone", n)
	}
	if r := results[0]; r.Archive.Imported != 1 || r.Archive.Unchanged != 4+19 || r.Updated != 1 {
		t.Errorf("re-check: %+v, %d updated", r.Archive, r.Updated)
	}
	got, _ := e.lake.ReadKlines(keys[0])
	for _, row := range got.Rows {
		if row.OpenTime.Equal(febStart.Add(5*time.Hour)) && row.Volume != data.Some(12.5) {
			t.Errorf("the replaced candle holds volume %v", row.Volume)
		}
	}
}

// TestArchiveFundingIntervalsDisagreement: the archive's funding files
// state each event's interval; where they disagree with the REST
// history's, the events are counted and logged, and the rows stay REST's.
func TestArchiveFundingIntervalsDisagreement(t *testing.T) {
	since := klineSince
	cfg := klineConfig(SourceAuto, since, []data.KlineKind{data.KlineIndex}, "BTCUSDT")
	e := newArchiveEnv(t, testMarket(), klineKeys(cfg), since, []string{"BTCUSDT"}, 4) // the history is 8h
	results, err := e.backfiller().Run(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := resultFor(results, "funding BTCUSDT")
	if r.Archive.Imported != 2 || r.Archive.IntervalDisagreements != (4+28)*3 {
		t.Errorf("funding: %+v, want the 96 events of January 28–31 and February disagreeing", r.Archive)
	}
	f, _ := e.lake.ReadFunding("BTCUSDT")
	for _, row := range f.Rows {
		if row.FundingIntervalHours != 8 {
			t.Fatalf("event at %s stored with %dh", row.FundingTime, row.FundingIntervalHours)
		}
	}
	if _, ok := f.State.Checksums["BTCUSDT-fundingRate-2026-02.zip"]; !ok {
		t.Errorf("checksums %v", f.State.Checksums)
	}
}
