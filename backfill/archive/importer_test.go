package archive_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
)

// kept is a store's memory of checksums (archive.Checksums).
type kept map[string]string

func (k kept) Checksum(f archive.File) (string, bool) { s, ok := k[f.Path()]; return s, ok }

func TestImportFallsBackNamesFailuresAndReimportsReplacedFiles(t *testing.T) {
	now := at("2024-03-03T10:00:00Z") // February's file is due on the 5th
	a := binancesim.NewArchive(binancesim.ArchiveOptions{Now: func() time.Time { return now }})
	for d := day("2024-01-01"); d.Before(day("2024-03-03")); d = d.AddDate(0, 0, 1) {
		if !d.Equal(day("2024-01-10")) { // not in the archive at all
			a.AddKlines(futures1h, true, d, candles(d, d.AddDate(0, 0, 1), time.Hour))
		}
	}
	// January's monthly file is missing; the day of February 14 always
	// fails its checksum.
	feb14 := archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-02-14"))
	a.SetFault(feb14.Name(), binancesim.ArchiveBadChecksum, 0)
	d := serve(t, a)

	plan, err := archive.PlanSpan(archive.Series{Dataset: archive.FuturesKlines, Symbol: "BTCUSDT", Interval: "1h"}, data.Span{From: day("2024-01-01"), To: now}, now)
	if err != nil {
		t.Fatal(err)
	}
	store := kept{}
	stored := map[string]int{}
	save := func(f archive.File, sum string, rows []data.KlineRow) error {
		for _, r := range rows {
			if r.OpenTime.Before(f.Start) || !r.OpenTime.Before(f.End()) {
				t.Errorf("%s: row at %s", f, r.OpenTime)
			}
		}
		store[f.Path()] = sum
		stored[f.Name()] += len(rows)
		return nil
	}
	im := archive.NewImporter(d, store, func() time.Time { return now }, nil)
	res, err := im.ImportKlines(context.Background(), plan, save)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(res.Missing); !slices.Equal(got, []string{"BTCUSDT-1h-2024-01.zip", "BTCUSDT-1h-2024-01-10.zip"}) {
		t.Errorf("missing %v", got)
	}
	if len(res.Failed) != 1 || res.Failed[0].File != feb14 || !strings.Contains(res.Failed[0].Error(), feb14.Path()) || !res.Partial() {
		t.Fatalf("failed %v, want %s alone, named", res.Failed, feb14)
	}
	var ce *archive.ChecksumError
	if !errors.As(res.Failed[0], &ce) {
		t.Errorf("failure %v, want a ChecksumError", res.Failed[0])
	}
	if _, ok := stored[feb14.Name()]; ok {
		t.Errorf("rows of %s were stored", feb14)
	}
	if n := a.CountRequests(feb14.Name()); n != 2 {
		t.Errorf("%s downloaded %d times, want 2", feb14, n)
	}
	if len(res.Imported) != 30+28+2 || len(stored) != 60 {
		t.Errorf("%d files imported, %d stored, want 60", len(res.Imported), len(stored))
	}
	for name, n := range stored {
		if n != 24 {
			t.Errorf("%s: %d rows stored", name, n)
		}
	}
	wantREST := data.Spans{{From: day("2024-01-10"), To: day("2024-01-11").Add(-time.Millisecond)}, {From: day("2024-03-03"), To: now}}
	if !slices.Equal(res.REST, wantREST) {
		t.Errorf("REST %v, want %v", res.REST, wantREST)
	}

	// A re-run: the fault is gone, March 1 was replaced upstream. Only
	// February 14 and March 1 are downloaded; the rest is checked by its
	// .CHECKSUM alone.
	a.SetFault(feb14.Name(), binancesim.ArchiveNoFault, 0)
	mar1 := archive.Daily(archive.FuturesKlines, "BTCUSDT", "1h", day("2024-03-01"))
	fixed := candles(day("2024-03-01"), day("2024-03-02"), time.Hour)
	fixed[5].High = "99999.5"
	a.AddKlines(futures1h, true, day("2024-03-01"), fixed)
	before := store[mar1.Path()]
	a.ResetLog()
	clear(stored)
	res, err = im.ImportKlines(context.Background(), plan, save)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(importedFiles(res)); !slices.Equal(got, []string{"BTCUSDT-1h-2024-02-14.zip", "BTCUSDT-1h-2024-03-01.zip"}) || res.Partial() {
		t.Errorf("re-run imported %v (failed %v)", got, res.Failed)
	}
	if len(res.Unchanged) != 30+28+1 || store[mar1.Path()] == before {
		t.Errorf("%d unchanged, March 1's checksum %s → %s", len(res.Unchanged), before, store[mar1.Path()])
	}
	zips := 0
	for _, r := range a.Requests() {
		if strings.HasSuffix(r.Path, ".zip") && r.Status == http.StatusOK { // a missing file's zip is asked with its .CHECKSUM: a 404
			zips++
		}
	}
	if zips != 2 {
		t.Errorf("re-run downloaded %d zips, want 2", zips)
	}
}

func importedFiles(r archive.Result) []archive.File {
	var out []archive.File
	for _, i := range r.Imported {
		out = append(out, i.File)
	}
	return out
}

func TestImportFundingAndCompareIntervals(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	var events []binancesim.ArchiveFunding
	var rest []data.FundingRow
	// 8h events until 2024-01-20 00:00, then 4h ones. An event's interval
	// is the period it settles: the gap since the one before.
	gap := 8
	for ts := day("2024-01-01"); ts.Before(day("2024-02-01")); ts = ts.Add(time.Duration(gap) * time.Hour) {
		label := gap
		if ts.Equal(at("2024-01-20T04:00:00Z")) || ts.Equal(at("2024-01-20T08:00:00Z")) {
			label = 8 // the archive's label is stale for two events after the change
		}
		events = append(events, binancesim.ArchiveFunding{CalcTime: ts.UnixMilli(), IntervalHours: label, Rate: "-0.00012345"})
		rest = append(rest, data.FundingRow{FundingTime: ts.Add(7 * time.Millisecond), FundingRate: -0.00012345, RateType: data.Regular})
		if !ts.Before(day("2024-01-20")) {
			gap = 4
		}
	}
	a.AddFunding("BTCUSDT", day("2024-01-01"), events)
	d := serve(t, a)
	plan, err := archive.PlanSpan(archive.Series{Dataset: archive.FundingRate, Symbol: "BTCUSDT"}, data.Span{From: day("2024-01-01"), To: at("2024-02-06T00:00:00Z")}, at("2024-02-06T00:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	var got []data.FundingRow
	res, err := archive.NewImporter(d, nil, nil, nil).ImportFunding(context.Background(), plan, func(_ archive.File, _ string, rows []data.FundingRow) error {
		got = append(got, rows...) // the slice is reused: copy
		return nil
	})
	if err != nil || res.Partial() || len(got) != len(events) {
		t.Fatalf("%v %v: %d events, want %d", err, res.Failed, len(got), len(events))
	}
	dis := archive.CompareIntervals(got, rest, 8)
	want := []archive.IntervalDisagreement{
		{Instant: at("2024-01-20T04:00:00Z"), Archive: 8, REST: 4},
		{Instant: at("2024-01-20T08:00:00Z"), Archive: 8, REST: 4},
	}
	if !slices.Equal(dis, want) {
		t.Errorf("disagreements %v, want %v", dis, want)
	}
	if rest[0].FundingIntervalHours != 0 {
		t.Error("CompareIntervals set the REST rows' intervals: it must infer on a copy")
	}
}

func TestAFileWithABadRowStoresNothingAndTheRunGoesOn(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	bad := candles(day("2024-04-01"), day("2024-04-02"), time.Hour)
	bad[20].Low = "99999" // above its high
	a.AddKlines(futures1h, true, day("2024-04-01"), bad)
	a.AddKlines(futures1h, true, day("2024-04-02"), candles(day("2024-04-02"), day("2024-04-03"), time.Hour))
	wrong := candles(day("2024-04-03"), day("2024-04-04"), time.Hour) // a row of the next day inside
	wrong[23].OpenTime, wrong[23].CloseTime = day("2024-04-04").UnixMilli(), day("2024-04-04").Add(time.Hour).UnixMilli()-1
	a.AddKlines(futures1h, true, day("2024-04-03"), wrong)
	d := serve(t, a)
	plan, _ := archive.PlanSpan(archive.Series{Dataset: archive.FuturesKlines, Symbol: "BTCUSDT", Interval: "1h"},
		data.Span{From: day("2024-04-01"), To: day("2024-04-04").Add(-time.Millisecond)}, day("2024-04-10"))
	var stored []string
	res, err := archive.NewImporter(d, nil, nil, nil).ImportKlines(context.Background(), plan, func(f archive.File, _ string, rows []data.KlineRow) error {
		stored = append(stored, f.Name())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, []string{"BTCUSDT-1h-2024-04-02.zip"}) || len(res.Failed) != 2 {
		t.Fatalf("stored %v, failed %v", stored, res.Failed)
	}
	for i, want := range []string{"BTCUSDT-1h-2024-04-01.zip: BTCUSDT-1h-2024-04-01.csv line 22", "BTCUSDT-1h-2024-04-03.zip: candle at 2024-04-04T00:00:00Z lies outside"} {
		if !strings.Contains(res.Failed[i].Error(), want) {
			t.Errorf("failure %q does not say %q", res.Failed[i], want)
		}
	}
}

// TestAZipDamagedUpstreamStoresNothing: a zip whose .CHECKSUM is that of
// its damaged bytes verifies; its rows are read once, inflated and
// CRC-checked as they are, and an error anywhere refuses the whole file.
func TestAZipDamagedUpstreamStoresNothing(t *testing.T) {
	a := binancesim.NewArchive(binancesim.ArchiveOptions{})
	for _, d := range []string{"2024-04-01", "2024-04-02"} {
		a.AddKlines(futures1h, true, day(d), candles(day(d), day(d).Add(24*time.Hour), time.Hour))
	}
	a.SetFault("BTCUSDT-1h-2024-04-01.zip", binancesim.ArchiveCorruptData, 0)
	d := serve(t, a)
	plan, _ := archive.PlanSpan(archive.Series{Dataset: archive.FuturesKlines, Symbol: "BTCUSDT", Interval: "1h"},
		data.Span{From: day("2024-04-01"), To: day("2024-04-03").Add(-time.Millisecond)}, day("2024-04-10"))
	var stored []string
	res, err := archive.NewImporter(d, nil, nil, nil).ImportKlines(context.Background(), plan, func(f archive.File, _ string, rows []data.KlineRow) error {
		stored = append(stored, f.Name())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(stored, []string{"BTCUSDT-1h-2024-04-02.zip"}) || len(res.Failed) != 1 {
		t.Fatalf("stored %v, failed %v: want the damaged day refused, the other stored", stored, res.Failed)
	}
	if msg := res.Failed[0].Error(); !strings.Contains(msg, "BTCUSDT-1h-2024-04-01.zip") || !strings.Contains(msg, "checksum error") {
		t.Errorf("failure %q does not name the file and the CRC error", msg)
	}
	if n := a.CountRequests("BTCUSDT-1h-2024-04-01.zip"); n != 1 {
		t.Errorf("the damaged zip was downloaded %d times, want 1: it verified, another download would bring the same bytes", n)
	}
}

func TestAHeaderThatIsNotTheArchivesIsRefused(t *testing.T) {
	csv := "time,o,h,l,c,v,ct,qv,n,tb,tq,ignore\n1704067200000,1,1,1,1,0,1704070799999,0,0,0,0,0\n"
	for _, err := range archive.KlineRows(strings.NewReader(csv), "x.csv", data.KlineFutures, "1h") {
		if err == nil || !strings.Contains(err.Error(), "x.csv line 1: header") {
			t.Errorf("%v, want the header refused", err)
		}
	}
	n := 0
	for r, err := range archive.FundingRows(strings.NewReader("calc_time,funding_interval_hours,last_funding_rate\n1704067200000,8,0.0001\n1704096000000,8,-0.00002\n"), "f.csv") {
		if err != nil || r.FundingIntervalHours != 8 {
			t.Fatal(r, err)
		}
		n++
	}
	if n != 2 {
		t.Errorf("%d funding rows, want 2", n)
	}
}
