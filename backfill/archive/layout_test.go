package archive_test

import (
	"errors"
	"testing"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/data"
)

func TestLayoutOfEveryDataset(t *testing.T) {
	jan := day("2024-01-17")
	for _, c := range []struct {
		kind     data.KlineKind
		symbol   string
		interval string
		daily    bool
		want     string
	}{
		{data.KlineFutures, "BTCUSDT", "1h", false, "data/futures/um/monthly/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01.zip"},
		{data.KlineFutures, "BTCUSDT_240329", "1h", true, "data/futures/um/daily/klines/BTCUSDT_240329/1h/BTCUSDT_240329-1h-2024-01-17.zip"},
		{data.KlineMark, "ETHUSDT", "8h", false, "data/futures/um/monthly/markPriceKlines/ETHUSDT/8h/ETHUSDT-8h-2024-01.zip"},
		{data.KlineIndex, "BTCUSDT", "1d", true, "data/futures/um/daily/indexPriceKlines/BTCUSDT/1d/BTCUSDT-1d-2024-01-17.zip"},
		{data.KlinePremium, "BTCUSDT", "5m", false, "data/futures/um/monthly/premiumIndexKlines/BTCUSDT/5m/BTCUSDT-5m-2024-01.zip"},
		{data.KlineSpot, "BTCUSDT", "1h", true, "data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2024-01-17.zip"},
		{data.KlineSpot, "BTCUSDT", "1M", false, "data/spot/monthly/klines/BTCUSDT/1mo/BTCUSDT-1mo-2024-01.zip"},
		{data.KlineFutures, "BTCUSDT", "1M", false, "data/futures/um/monthly/klines/BTCUSDT/1mo/BTCUSDT-1mo-2024-01.zip"},
	} {
		ds, err := archive.KlineDataset(c.kind)
		if err != nil {
			t.Fatal(err)
		}
		f := archive.Monthly(ds, c.symbol, c.interval, jan)
		if c.daily {
			f = archive.Daily(ds, c.symbol, c.interval, jan)
		}
		if err := f.Validate(); err != nil {
			t.Errorf("%s: %v", c.want, err)
		}
		if f.Path() != c.want {
			t.Errorf("%s %s %s: %s, want %s", c.kind, c.symbol, c.interval, f.Path(), c.want)
		}
		if got := f.URL(""); got != "https://data.binance.vision/"+c.want {
			t.Errorf("default URL %s", got)
		}
		if ds.Kind() != c.kind {
			t.Errorf("%s: kind %s back", ds, ds.Kind())
		}
	}
	f := archive.Monthly(archive.FundingRate, "BTCUSDT", "", jan)
	if want := "data/futures/um/monthly/fundingRate/BTCUSDT/BTCUSDT-fundingRate-2024-01.zip"; f.Path() != want || f.Validate() != nil {
		t.Errorf("funding: %s (%v), want %s", f.Path(), f.Validate(), want)
	}
	if err := archive.Daily(archive.FundingRate, "BTCUSDT", "", jan).Validate(); err == nil {
		t.Error("a daily funding file validated: the archive has none")
	}
	if _, err := archive.KlineDataset(data.KlineContinuous); !errors.Is(err, archive.ErrNotArchived) {
		t.Errorf("continuous klines: %v, want ErrNotArchived", err)
	}
	bad := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", jan)
	bad.Start = jan
	if bad.Validate() == nil {
		t.Error("a monthly file starting mid-month validated")
	}
	if sp := archive.Monthly(archive.FuturesKlines, "BTCUSDT", "1h", jan).Span(); !sp.From.Equal(day("2024-01-01")) || !sp.To.Equal(at("2024-01-31T23:59:59.999Z")) {
		t.Errorf("span %v", sp)
	}
}
