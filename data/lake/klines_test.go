package lake

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/parquet"
	"github.com/apache/arrow/go/v17/parquet/file"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/sharedtest"
)

func perpKlinesKey() data.KlineKey {
	return data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT", Interval: "1h"}
}

// candle is an hourly candle opening at hour(h), with volumes.
func candle(h int, price float64) data.KlineRow {
	return data.KlineRow{
		OpenTime: hour(h), CloseTime: hour(h + 1).Add(-time.Millisecond),
		Open: price, High: price + 2, Low: price - 1, Close: price + 1,
		Volume: data.Some(12.5), QuoteVolume: data.Some(12.5 * price), Trades: 321,
		TakerBuyVolume: data.Some(6.25), TakerBuyQuoteVolume: data.Some(6.25 * price),
	}
}

// priceCandle is candle without volumes, as index, mark and premium
// candles are stored.
func priceCandle(h int, price float64) data.KlineRow {
	r := candle(h, price)
	r.Volume, r.QuoteVolume, r.TakerBuyVolume, r.TakerBuyQuoteVolume, r.Trades = data.NullFloat64{}, data.NullFloat64{}, data.NullFloat64{}, data.NullFloat64{}, 0
	return r
}

func exact(t *testing.T, s string) float64 {
	t.Helper()
	v, err := data.ParseExact(s)
	if err != nil {
		t.Fatalf("%q: %v", s, err)
	}
	return v
}

// TestKlinesRealValuesRoundTrip stores real Binance candles (a perpetual's
// and the spot market's, both BTCUSDT 1h) and reads back every value
// exactly, then merges them again: nothing is written.
func TestKlinesRealValuesRoundTrip(t *testing.T) {
	t.Run("perpetual", func(t *testing.T) {
		recs := sharedtest.ReadCSV(t, sharedtest.Path(t, "realdata/raw/gravestone-perp-klines-1h-BTCUSDT.csv"))
		var rows []data.KlineRow
		for _, r := range recs {
			open, _ := strconv.ParseInt(r["timestamp"], 10, 64)
			closeT, _ := strconv.ParseInt(r["close_time"], 10, 64)
			trades, _ := strconv.ParseInt(r["trades"], 10, 64)
			rows = append(rows, data.KlineRow{
				OpenTime: ms(open), CloseTime: ms(closeT),
				Open: exact(t, r["open"]), High: exact(t, r["high"]), Low: exact(t, r["low"]), Close: exact(t, r["close"]),
				Volume: data.Some(exact(t, r["volume"])), QuoteVolume: data.Some(exact(t, r["quote_volume"])), Trades: trades,
			})
		}
		roundTrip(t, perpKlinesKey(), rows)
	})
	t.Run("spot", func(t *testing.T) {
		recs := sharedtest.ReadCSV(t, sharedtest.Path(t, "realdata/raw/misrori-spot-klines-1h-BTCUSDT-2021-2023.csv"))
		var rows []data.KlineRow
		for _, r := range recs {
			open, err := time.Parse(time.DateTime, r["date"])
			if err != nil {
				t.Fatal(err)
			}
			rows = append(rows, data.KlineRow{
				OpenTime: open, CloseTime: open.Add(time.Hour - time.Millisecond),
				Open: exact(t, r["open"]), High: exact(t, r["high"]), Low: exact(t, r["low"]), Close: exact(t, r["close"]),
				Volume: data.Some(exact(t, r["volume"])),
			})
		}
		roundTrip(t, data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}, rows)
	})
}

func roundTrip(t *testing.T, key data.KlineKey, rows []data.KlineRow) {
	t.Helper()
	l := newTestLake(t)
	res, err := l.MergeKlines(key, rows)
	if err != nil || res.Added != len(rows) || !res.Written {
		t.Fatalf("merge of %d candles = %+v, %v", len(rows), res, err)
	}
	got, err := l.ReadKlines(key)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Rows) != len(rows) {
		t.Fatalf("read %d candles, want %d", len(got.Rows), len(rows))
	}
	for i, r := range rows {
		if got.Rows[i] != r {
			t.Fatalf("candle %d read back as %+v, want %+v", i, got.Rows[i], r)
		}
	}
	if res.Missing != data.MissingPoints(got.Gaps()) {
		t.Errorf("merge counted %d missing, the series' gaps %d", res.Missing, data.MissingPoints(got.Gaps()))
	}
	before, _ := os.ReadFile(l.KlinesPath(key))
	again, err := l.MergeKlines(key, rows)
	if err != nil || again.Unchanged != len(rows) || again.Written {
		t.Errorf("re-merge = %+v, %v: want all unchanged and no write", again, err)
	}
	if after, _ := os.ReadFile(l.KlinesPath(key)); !bytes.Equal(before, after) {
		t.Error("an idempotent merge rewrote the file")
	}
}

func TestKlinesUpsert(t *testing.T) {
	l := newTestLake(t)
	if _, err := l.MergeKlines(perpKlinesKey(), []data.KlineRow{candle(5, 100), candle(2, 100)}); err != nil {
		t.Fatal(err)
	}
	res, err := l.MergeKlines(perpKlinesKey(), []data.KlineRow{
		candle(4, 100), candle(1, 100), candle(4, 100), // a duplicate in the batch
		candle(2, 109),                 // revises a stored candle
		candle(3, 100), candle(3, 104), // the later one of the batch wins
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 3 || res.Updated != 1 || res.Rows != 5 || res.Missing != 0 {
		t.Errorf("merge = %+v, want 3 added, 1 updated, 5 rows, none missing", res)
	}
	got, _ := l.ReadKlines(perpKlinesKey())
	for i, r := range got.Rows {
		if want := hour(i + 1); !r.OpenTime.Equal(want) {
			t.Errorf("candle %d opens at %s, want %s (sorted, unique)", i, r.OpenTime, want)
		}
	}
	if got.Rows[1].Open != 109 || got.Rows[2].Open != 104 {
		t.Errorf("revised candles hold %v and %v, want 109 and 104", got.Rows[1].Open, got.Rows[2].Open)
	}
}

// TestKlinesOpenCandleIsDropped: a candle that closes after the lake's
// clock is not stored, the rest are; the drop is counted and logged, and
// coverage recorded with the merge stops before it.
func TestKlinesOpenCandleIsDropped(t *testing.T) {
	l := newTestLake(t)
	var logs bytes.Buffer
	l.logger = slog.New(slog.NewTextHandler(&logs, nil))
	clock := l.now() // 2026-11-21 00:00 UTC
	at := func(h int) data.KlineRow {
		r := candle(0, 100)
		r.OpenTime = clock.Add(time.Duration(h) * time.Hour)
		r.CloseTime = r.OpenTime.Add(time.Hour - time.Millisecond)
		return r
	}
	// The candle opening at 23:00 closed at 23:59:59.999, before the clock;
	// the one opening at 00:00 is still open.
	fetched := data.Span{From: at(-2).OpenTime, To: at(0).CloseTime}
	res, err := l.MergeKlines(perpKlinesKey(), []data.KlineRow{at(-2), at(-1), at(0)}, WithCovered(fetched))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.OpenDropped != 1 || res.Rows != 2 {
		t.Errorf("merge = %+v, want 2 added and 1 open candle dropped", res)
	}
	if !strings.Contains(logs.String(), "not closed yet") || !strings.Contains(logs.String(), "dropped=1") {
		t.Errorf("log = %q, want the drop said", logs.String())
	}
	got, _ := l.ReadKlines(perpKlinesKey())
	if len(got.Rows) != 2 || !got.Rows[1].CloseTime.Before(clock) {
		t.Errorf("stored %+v, want the two closed candles", got.Rows)
	}
	want := data.Spans{{From: fetched.From, To: clock.Add(-time.Millisecond)}}
	if !reflect.DeepEqual(got.State.Covered, want) {
		t.Errorf("covered = %v, want %v: the open candle must be fetched again", got.State.Covered, want)
	}
	// Only open candles: nothing to write.
	res, err = l.MergeKlines(perpKlinesKey(), []data.KlineRow{at(0), at(1)})
	if err != nil || res.Written || res.OpenDropped != 2 {
		t.Errorf("merge of open candles = %+v, %v; want 2 dropped, nothing written", res, err)
	}
}

// TestKlinesWithoutVolumes: index, mark and premium candles store null
// volumes and trades (the exchange's "0"s dropped), never invented ones;
// a real volume on such a kind is refused. Premium prices may be negative.
func TestKlinesWithoutVolumes(t *testing.T) {
	l := newTestLake(t)
	for _, kind := range []data.KlineKind{data.KlineIndex, data.KlineMark, data.KlinePremium} {
		key := data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}
		price := 100.0
		if kind == data.KlinePremium {
			price = -0.00012
		}
		zeros := priceCandle(0, price)
		zeros.Volume, zeros.QuoteVolume, zeros.TakerBuyVolume, zeros.TakerBuyQuoteVolume = data.Some(0), data.Some(0), data.Some(0), data.Some(0)
		if _, err := l.MergeKlines(key, []data.KlineRow{zeros, priceCandle(1, price)}); err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		got, err := l.ReadKlines(key)
		if err != nil {
			t.Fatal(err)
		}
		if want := []data.KlineRow{priceCandle(0, price), priceCandle(1, price)}; !reflect.DeepEqual(got.Rows, want) {
			t.Errorf("%s: read %+v, want %+v", kind, got.Rows, want)
		}
		if res, _ := l.MergeKlines(key, []data.KlineRow{zeros}); res.Written {
			t.Errorf("%s: re-merging the zeros rewrote the file", kind)
		}
		if _, err := l.MergeKlines(key, []data.KlineRow{candle(2, 100)}); err == nil || !strings.Contains(err.Error(), "no volumes") {
			t.Errorf("%s: a candle with volumes: err = %v", kind, err)
		}
	}
	// What a generic reader sees: null, not 0.
	r, err := file.OpenParquetFile(l.KlinesPath(data.KlineKey{Kind: data.KlineMark, Symbol: "BTCUSDT", Interval: "1h"}), false)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, name := range []string{"volume", "quote_volume", "trades", "taker_buy_volume", "taker_buy_quote_volume"} {
		i := r.MetaData().Schema.ColumnIndexByName(name)
		cc, err := r.MetaData().RowGroup(0).ColumnChunk(i)
		if err != nil {
			t.Fatal(err)
		}
		st, err := cc.Statistics()
		if err != nil || st == nil || st.NullCount() != 2 {
			t.Errorf("mark %s: statistics %v (%v), want 2 nulls", name, st, err)
		}
	}
}

// TestKlinesSchema: one schema for every kind, as a generic Parquet reader
// sees it; the footer repeats the key.
func TestKlinesSchema(t *testing.T) {
	l := newTestLake(t)
	cont := data.KlineKey{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: data.CurrentQuarter, Interval: "1h"}
	index := data.KlineKey{Kind: data.KlineIndex, Symbol: "BTCUSDT", Interval: "1h"}
	if _, err := l.MergeKlines(cont, []data.KlineRow{candle(0, 100)}); err != nil {
		t.Fatal(err)
	}
	if _, err := l.MergeKlines(index, []data.KlineRow{priceCandle(0, 100)}); err != nil {
		t.Fatal(err)
	}
	ts := "Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds, is_from_converted_type=false, force_set_converted_type=false)"
	want := []struct {
		name, logical string
		physical      parquet.Type
		optional      bool
	}{
		{"open_time", ts, parquet.Types.Int64, false}, {"close_time", ts, parquet.Types.Int64, false},
		{"open", "None", parquet.Types.Double, false}, {"high", "None", parquet.Types.Double, false},
		{"low", "None", parquet.Types.Double, false}, {"close", "None", parquet.Types.Double, false},
		{"volume", "None", parquet.Types.Double, true}, {"quote_volume", "None", parquet.Types.Double, true},
		{"trades", "Int(bitWidth=64, isSigned=true)", parquet.Types.Int64, true},
		{"taker_buy_volume", "None", parquet.Types.Double, true}, {"taker_buy_quote_volume", "None", parquet.Types.Double, true},
	}
	for key, series := range map[data.KlineKey]string{
		cont:  `{"contract_type":"CURRENT_QUARTER","interval":"1h","kind":"continuous","symbol":"BTCUSDT"}`,
		index: `{"interval":"1h","kind":"index","symbol":"BTCUSDT"}`,
	} {
		r, err := file.OpenParquetFile(l.KlinesPath(key), false)
		if err != nil {
			t.Fatal(err)
		}
		sc := r.MetaData().Schema
		if sc.NumColumns() != len(want) {
			t.Errorf("%s: %d columns, want %d", key, sc.NumColumns(), len(want))
		}
		for i, w := range want {
			got := sc.Column(i)
			opt := got.SchemaNode().RepetitionType() == parquet.Repetitions.Optional
			if got.Name() != w.name || got.LogicalType().String() != w.logical || got.PhysicalType() != w.physical || opt != w.optional {
				t.Errorf("%s column %d = %s %s %s optional %v, want %+v", key, i, got.Name(), got.PhysicalType(), got.LogicalType(), opt, w)
			}
		}
		kv := r.MetaData().KeyValueMetadata()
		if v := kv.FindValue(footerDataset); v == nil || *v != DatasetKlines {
			t.Errorf("%s: footer dataset %v", key, v)
		}
		if v := kv.FindValue(footerSeries); v == nil || *v != series {
			t.Errorf("%s: footer series %v, want %s", key, v, series)
		}
		r.Close()
	}
}

func TestKlinesInvalidRowsLoseNothing(t *testing.T) {
	l := newTestLake(t)
	good := []data.KlineRow{candle(0, 100)}
	if _, err := l.MergeKlines(perpKlinesKey(), good); err != nil {
		t.Fatal(err)
	}
	offGrid := candle(2, 100)
	offGrid.OpenTime, offGrid.CloseTime = offGrid.OpenTime.Add(time.Minute), offGrid.CloseTime.Add(time.Minute)
	wrongClose := candle(3, 100)
	wrongClose.CloseTime = wrongClose.CloseTime.Add(time.Minute)
	zeroPrice := candle(4, 100)
	zeroPrice.Low = 0
	negativeVolume := candle(5, 100)
	negativeVolume.Volume = data.Some(-1)
	for name, bad := range map[string]data.KlineRow{"off the 1h grid": offGrid, "close time": wrongClose, "price ≤ 0": zeroPrice, "negative": negativeVolume} {
		_, err := l.MergeKlines(perpKlinesKey(), []data.KlineRow{candle(1, 100), bad})
		if err == nil || !strings.Contains(err.Error(), "klines futures BTCUSDT 1h: candle at") || !strings.Contains(err.Error(), name) {
			t.Errorf("%s: err = %v, want an error naming the series, the candle and %q", name, err, name)
		}
	}
	got, _ := l.ReadKlines(perpKlinesKey())
	if !reflect.DeepEqual(got.Rows, good) {
		t.Errorf("after rejected merges the series is %+v, want %+v", got.Rows, good)
	}
	for _, key := range []data.KlineKey{
		{Kind: data.KlineFutures, Symbol: "BTCUSDT_../x", Interval: "1h"},
		{Kind: "FUTURES", Symbol: "BTCUSDT", Interval: "1h"},
		{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: "perpetual", Interval: "1h"},
	} {
		if _, err := l.MergeKlines(key, good); err == nil {
			t.Errorf("key %+v accepted", key)
		}
	}
}

// TestKlinesKeysAndPaths: every kind's key names its partition, and the
// listing reads the same keys back from the paths; directories that do
// not name a key in their place are not series.
func TestKlinesKeysAndPaths(t *testing.T) {
	l := newTestLake(t)
	cases := []struct {
		key  data.KlineKey
		path string
	}{
		{data.KlineKey{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: data.CurrentQuarter, Interval: "4h"}, "klines/kind=continuous/symbol=BTCUSDT/contract_type=CURRENT_QUARTER/interval=4h/data.parquet"},
		{data.KlineKey{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: data.Perpetual, Interval: "1h"}, "klines/kind=continuous/symbol=BTCUSDT/contract_type=PERPETUAL/interval=1h/data.parquet"},
		{data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT_261225", Interval: "1d"}, "klines/kind=futures/symbol=BTCUSDT_261225/interval=1d/data.parquet"},
		{data.KlineKey{Kind: data.KlineIndex, Symbol: "ETHUSDT", Interval: "1m"}, "klines/kind=index/symbol=ETHUSDT/interval=1m/data.parquet"},
		{data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}, "klines/kind=spot/symbol=BTCUSDT/interval=1h/data.parquet"},
	}
	for _, c := range cases {
		if got := l.KlinesPath(c.key); got != filepath.Join(l.Root(), c.path) {
			t.Errorf("%s: path %s, want %s", c.key, got, c.path)
		}
		r := candle(0, 100)
		r.CloseTime = r.OpenTime.Add(c.key.Interval.Duration() - time.Millisecond)
		if !c.key.Kind.HasVolume() {
			r = priceCandle(0, 100)
			r.CloseTime = r.OpenTime.Add(c.key.Interval.Duration() - time.Millisecond)
		}
		if _, err := l.MergeKlines(c.key, []data.KlineRow{r}); err != nil {
			t.Fatalf("%s: %v", c.key, err)
		}
	}
	// Not series: a contract type on another kind, an unknown interval.
	for _, stray := range []string{
		"klines/kind=index/symbol=BTCUSDT/contract_type=PERPETUAL/interval=1h/data.parquet",
		"klines/kind=spot/symbol=BTCUSDT/interval=1w/data.parquet",
	} {
		p := filepath.Join(l.Root(), stray)
		if err := os.MkdirAll(filepath.Dir(p), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, nil, 0o666); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := l.KlineKeys()
	if err != nil {
		t.Fatal(err)
	}
	want := map[data.KlineKey]bool{}
	for _, c := range cases {
		want[c.key] = true
	}
	got := map[data.KlineKey]bool{}
	for _, k := range keys {
		got[k] = true
	}
	if len(keys) != len(cases) || !reflect.DeepEqual(got, want) {
		t.Errorf("keys = %v, want %v", keys, want)
	}
}

func TestKlinesMissingAndDamaged(t *testing.T) {
	l := newTestLake(t)
	_, err := l.ReadKlines(perpKlinesKey())
	if !errors.Is(err, ErrNoSeries) || !strings.Contains(err.Error(), "klines futures BTCUSDT 1h") {
		t.Errorf("err = %v, want ErrNoSeries naming the series", err)
	}
	// One kind's file copied under another kind's partition is damaged.
	if _, err := l.MergeKlines(perpKlinesKey(), []data.KlineRow{candle(0, 100)}); err != nil {
		t.Fatal(err)
	}
	spot := data.KlineKey{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"}
	b, _ := os.ReadFile(l.KlinesPath(perpKlinesKey()))
	if err := os.MkdirAll(filepath.Dir(l.KlinesPath(spot)), 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(l.KlinesPath(spot), b, 0o666); err != nil {
		t.Fatal(err)
	}
	var damaged *DamagedError
	if _, err := l.ReadKlines(spot); !errors.As(err, &damaged) || !strings.Contains(err.Error(), "footer says") {
		t.Errorf("a futures file under spot: err = %v, want a DamagedError", err)
	}
	// A basis file under klines: damaged too.
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(l.BasisPath(perpKey()))
	if err := os.WriteFile(l.KlinesPath(spot), b, 0o666); err != nil {
		t.Fatal(err)
	}
	if _, err := l.ReadKlines(spot); !errors.As(err, &damaged) {
		t.Errorf("a basis file under klines: err = %v, want a DamagedError", err)
	}
}

// TestKlinesChecksums: the archive files a series was imported from are
// recorded in the footer; recording one again changes nothing.
func TestKlinesChecksums(t *testing.T) {
	l := newTestLake(t)
	rows := []data.KlineRow{candle(0, 100)}
	const archiveFile, sum = "BTCUSDT-1h-2026-01.zip", "3f9a0c5e8b7d6a4f2e1c0b9a8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e"
	if _, err := l.MergeKlines(perpKlinesKey(), rows, WithChecksum(archiveFile, sum)); err != nil {
		t.Fatal(err)
	}
	res, err := l.MergeKlines(perpKlinesKey(), rows, WithChecksum(archiveFile, sum))
	if err != nil || res.Written {
		t.Errorf("the same rows and checksum again = %+v, %v; want no write", res, err)
	}
	if _, err := l.MergeKlines(perpKlinesKey(), nil, WithChecksum("BTCUSDT-1h-2026-02.zip", "ab")); err != nil {
		t.Fatal(err)
	}
	got, _ := l.ReadKlines(perpKlinesKey())
	if want := map[string]string{archiveFile: sum, "BTCUSDT-1h-2026-02.zip": "ab"}; !reflect.DeepEqual(got.State.Checksums, want) {
		t.Errorf("checksums = %v, want %v", got.State.Checksums, want)
	}
	r, err := footerStateOf(l.KlinesPath(perpKlinesKey()))
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		Checksums map[string]string `json:"checksums"`
	}
	if err := json.Unmarshal([]byte(r), &st); err != nil || st.Checksums[archiveFile] != sum {
		t.Errorf("footer state %s: %v", r, err)
	}
	// Other series' footers do not grow the key.
	if _, err := l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 100, 101)}); err != nil {
		t.Fatal(err)
	}
	if s, _ := footerStateOf(l.BasisPath(perpKey())); strings.Contains(s, "checksums") {
		t.Errorf("basis footer state %s mentions checksums", s)
	}
}

// footerStateOf reads the footer state of the Parquet file at path.
func footerStateOf(path string) (string, error) {
	r, err := file.OpenParquetFile(path, false)
	if err != nil {
		return "", err
	}
	defer r.Close()
	v := r.MetaData().KeyValueMetadata().FindValue(footerState)
	if v == nil {
		return "", errors.New("no state in the footer")
	}
	return *v, nil
}
