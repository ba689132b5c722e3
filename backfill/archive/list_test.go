package archive_test

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binancesim"
)

// listedArchive publishes one monthly 1h file per month of each symbol's
// life (an empty file: the listing reads names only) on a fake listing 3
// entries a page, and returns the fake and a lister of it.
func listedArchive(t *testing.T, lives map[string][2]string) (*binancesim.Archive, *archive.Lister) {
	t.Helper()
	a := binancesim.NewArchive(binancesim.ArchiveOptions{ListPageSize: 3})
	for sym, life := range lives {
		for m := day(life[0]); !m.After(day(life[1])); m = m.AddDate(0, 1, 0) {
			s := futures1h
			s.Symbol = sym
			a.AddKlines(s, false, m, nil)
		}
	}
	srv := httptest.NewServer(a)
	t.Cleanup(srv.Close)
	return a, archive.NewLister(srv.Client(), srv.URL+"/data.binance.vision")
}

// TestListingFollowsPages: symbols and months are read across pages of
// 3 entries (prefixes and keys, checksums included), with a page per
// marker.
func TestListingFollowsPages(t *testing.T) {
	a, l := listedArchive(t, map[string][2]string{
		"BTCUSDT": {"2024-01-01", "2024-06-01"}, "ETHUSDT": {"2024-01-01", "2024-02-01"}, "SRMUSDT": {"2024-01-01", "2024-03-01"},
		"BTCUSDT_240628": {"2024-01-01", "2024-06-01"}, "XUSDT": {"2024-05-01", "2024-06-01"},
	})
	ctx := context.Background()
	syms, err := l.Symbols(ctx, archive.FuturesKlines)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"BTCUSDT", "BTCUSDT_240628", "ETHUSDT", "SRMUSDT", "XUSDT"}; !slices.Equal(syms, want) {
		t.Errorf("symbols %v, want %v", syms, want)
	}
	if n := a.CountListings("data/futures/um/monthly/klines/"); n != 2 {
		t.Errorf("%d pages for 5 symbols at 3 a page, want 2", n)
	}
	months, err := l.Months(ctx, archive.FuturesKlines, "BTCUSDT", "1h")
	if err != nil {
		t.Fatal(err)
	}
	if len(months) != 6 || !months[0].Equal(day("2024-01-01")) || !months[5].Equal(day("2024-06-01")) {
		t.Errorf("months %v", months)
	}
	// 12 keys (6 zips, 6 checksums), 3 a page.
	if n := a.CountListings("data/futures/um/monthly/klines/BTCUSDT/1h/"); n != 4 {
		t.Errorf("%d pages for 12 keys, want 4", n)
	}
}

// TestPerpetualsInTheWindow: a delisted symbol whose months overlap the
// window is in, one listed after it and a delivery contract are not; a
// window holding every month lists no symbol's months.
func TestPerpetualsInTheWindow(t *testing.T) {
	a, l := listedArchive(t, map[string][2]string{
		"BTCUSDT": {"2024-01-01", "2024-06-01"}, "SRMUSDT": {"2023-11-01", "2024-02-01"},
		"OLDUSDT": {"2023-01-01", "2023-05-01"}, "NEWUSDT": {"2024-05-01", "2024-06-01"},
		"BTCUSDT_240628": {"2024-01-01", "2024-06-01"},
	})
	ctx := context.Background()
	now := day("2024-06-15")
	got, err := l.PerpetualsIn(ctx, at("2024-02-10T00:00:00Z"), at("2024-04-30T23:00:00Z"), now, "1h")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"BTCUSDT", "SRMUSDT"}; !slices.Equal(got, want) {
		t.Errorf("perpetuals in the window %v, want %v", got, want)
	}
	a.ResetLog()
	got, err = l.PerpetualsIn(ctx, day("2019-09-01"), now, now, "1h")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"BTCUSDT", "NEWUSDT", "OLDUSDT", "SRMUSDT"}; !slices.Equal(got, want) {
		t.Errorf("perpetuals of all history %v, want %v", got, want)
	}
	if n := len(a.Requests()); n != 2 {
		t.Errorf("%d listings for the whole history, want the 2 pages of symbols only", n)
	}
}

func TestListingErrorsNameThePrefix(t *testing.T) {
	l := archive.NewLister(nil, "http://127.0.0.1:1")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if _, err := l.Symbols(ctx, archive.FuturesKlines); err == nil || !strings.Contains(err.Error(), "data/futures/um/monthly/klines/") {
		t.Errorf("error %v does not name the prefix", err)
	}
}
