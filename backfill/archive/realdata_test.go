package archive_test

import (
	"encoding/csv"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

// TestRealSpotKlinesThroughTheRowParser reads real Binance spot candles
// (BTCUSDT 1h, 2021–2023, as a python-binance export: date, OHLC, volume)
// rewritten in the archive's twelve columns, once with times in
// milliseconds and once in microseconds (as 2025 spot files write them),
// and checks every price and volume is read exactly as written.
func TestRealSpotKlinesThroughTheRowParser(t *testing.T) {
	path := sharedtest.Path(t, "realdata/raw/misrori-spot-klines-1h-BTCUSDT-2021-2023.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(recs[0], ",") != "date,open,high,low,close,volume,ticker" {
		t.Skipf("columns changed: %v", recs[0])
	}
	recs = recs[1:]
	if raceEnabled {
		recs = recs[:min(len(recs), 3000)] // the parser keeps no state between rows
	}
	for _, micros := range []bool{false, true} {
		var b strings.Builder
		for _, r := range recs {
			open, err := time.Parse(time.DateTime, r[0])
			if err != nil {
				t.Fatal(err)
			}
			o, c := open.UnixMilli(), open.Add(time.Hour).UnixMilli()-1
			if micros {
				o, c = o*1000, c*1000+999
			}
			// Quote volume, trades and taker volumes are not in the export.
			fmt.Fprintf(&b, "%d,%s,%s,%s,%s,%s,%d,0,0,0,0,0\n", o, r[1], r[2], r[3], r[4], r[5], c)
		}
		i := 0
		for row, err := range archive.KlineRows(strings.NewReader(b.String()), "misrori.csv", data.KlineSpot, "1h") {
			if err != nil {
				t.Fatalf("micros %v: %v", micros, err)
			}
			r := recs[i]
			if got := row.OpenTime.Format(time.DateTime); got != r[0] {
				t.Fatalf("row %d: open %s, want %s", i, got, r[0])
			}
			for j, v := range []float64{row.Open, row.High, row.Low, row.Close, row.Volume.Float64} {
				if !data.Decimal(v).Equal(mustDecimal(r[1+j])) {
					t.Fatalf("row %d column %d: %v, want %s", i, j+1, v, r[1+j])
				}
			}
			i++
		}
		if i != len(recs) {
			t.Fatalf("micros %v: %d rows, want %d", micros, i, len(recs))
		}
	}
}
