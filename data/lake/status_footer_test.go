package lake

import (
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/internal/atomicfile"
)

// statusLake is a lake with every dataset and kind, and the files status
// cannot describe from their footers, each named with whether it can.
func statusLake(t *testing.T, l *Lake) map[string]bool {
	t.Helper()
	must := func(_ MergeResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	fromFooter := map[string]bool{}

	// basis: a gap, and coverage with a hole (unfetched); a quarterly one.
	var rows []data.BasisRow
	for _, h := range []int{0, 1, 2, 3, 4, 8, 9, 10} {
		rows = append(rows, basisRow(h, 100, 101))
	}
	must(l.MergeBasis(perpKey(), rows, WithCovered(data.Span{From: hour(0), To: hour(4)}), WithHistoryStart(hour(-100))))
	must(l.MergeBasis(perpKey(), []data.BasisRow{basisRow(2, 100, 102)}, WithCovered(data.Span{From: hour(9), To: hour(10)})))
	fromFooter[perpKey().Pair+" PERPETUAL 1h"] = true
	quarter := data.BasisKey{Pair: "ETHUSDT", ContractType: data.CurrentQuarter, Period: "1h"}
	must(l.MergeBasis(quarter, []data.BasisRow{basisRow(0, 10, 11), basisRow(1, 10, 11)}))
	fromFooter["ETHUSDT CURRENT_QUARTER 1h"] = true

	// funding: a missed event, a switch 8h → 1h, a special event, mark
	// prices missing; a lone event; an old file; damaged files.
	btc := fundingAt(0, 8, 24, 32, 33, 34, 35)
	btc = append(btc, data.FundingRow{FundingTime: hour(33).Add(30 * time.Minute), FundingRate: 0.001, MarkPrice: data.Some(100), RateType: data.Special})
	must(l.MergeFunding("BTCUSDT", btc, WithIntervalHours(1)))
	fromFooter["BTCUSDT"] = true
	must(l.MergeFunding("ETHUSDT", fundingAt(0), WithIntervalHours(4)))
	fromFooter["ETHUSDT"] = true
	must(l.MergeFunding("DOGEUSDT", fundingAt(0, 8, 32)))
	old, err := l.ReadFunding("DOGEUSDT")
	if err != nil {
		t.Fatal(err)
	}
	writeLegacy(t, l.FundingPath("DOGEUSDT"), DatasetFunding, map[string]string{"symbol": "DOGEUSDT"}, old.State, nil, encodeFunding(l.mem, old.Rows))
	fromFooter["DOGEUSDT"] = false
	must(l.MergeFunding("XRPUSDT", fundingAt(0, 8)))
	truncate(t, l.FundingPath("XRPUSDT"))
	fromFooter["XRPUSDT"] = false
	must(l.MergeFunding("ADAUSDT", fundingAt(0, 8)))
	if err := os.WriteFile(l.FundingPath("ADAUSDT"), foreignParquet(t), 0o644); err != nil {
		t.Fatal(err)
	}
	fromFooter["ADAUSDT"] = false
	// Other columns under carry's footer and a summary: read, and damaged.
	must(l.MergeFunding("LTCUSDT", fundingAt(0, 8)))
	ltc, err := l.ReadFunding("LTCUSDT")
	if err != nil {
		t.Fatal(err)
	}
	ltcSum := ltc.Summary()
	writeLegacy(t, l.FundingPath("LTCUSDT"), DatasetFunding, map[string]string{"symbol": "LTCUSDT"}, ltc.State, &ltcSum, encodeBasis(l.mem, []data.BasisRow{basisRow(0, 1, 2), basisRow(1, 1, 2)}))
	fromFooter["LTCUSDT"] = false
	// A file set aside by an earlier repair.
	if err := os.WriteFile(filepath.Join(filepath.Dir(l.FundingPath("XRPUSDT")), "_data.parquet.damaged-20260101T000000Z"), []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}

	// klines of every kind; futures through one KlineMerge of several
	// batches, one out of order (a checkpoint), with a gap.
	futures := perpKlinesKey()
	mergeAll(t, l, futures, candles(0, 100, 50000), candles(150, 200, 50000), candles(40, 60, 60000), candles(200, 210, 50000))
	fromFooter[futures.String()] = true
	for _, k := range []data.KlineKey{
		{Kind: data.KlineContinuous, Symbol: "BTCUSDT", ContractType: data.CurrentQuarter, Interval: "1h"},
		{Kind: data.KlineSpot, Symbol: "BTCUSDT", Interval: "1h"},
	} {
		must(l.MergeKlines(k, append(candles(0, 5, 100), candles(7, 9, 100)...)))
		fromFooter[k.String()] = true
	}
	for _, kind := range []data.KlineKind{data.KlineIndex, data.KlineMark, data.KlinePremium} {
		k := data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}
		must(l.MergeKlines(k, []data.KlineRow{priceCandle(0, 100), priceCandle(3, 100)}))
		fromFooter[k.String()] = true
	}
	daily := data.KlineKey{Kind: data.KlineFutures, Symbol: "BTCUSDT_261225", Interval: "1d"}
	var days []data.KlineRow
	for d := range 3 {
		c := candle(24*d, 100)
		c.CloseTime = hour(24*d + 24).Add(-time.Millisecond)
		days = append(days, c)
	}
	must(l.MergeKlines(daily, days))
	fromFooter[daily.String()] = true
	// More gaps than a footer lists: read from the rows.
	sparse := data.KlineKey{Kind: data.KlineFutures, Symbol: "ETHUSDT", Interval: "1h"}
	var every2 []data.KlineRow
	for h := 0; h < 2*(data.MaxSummaryGaps+10); h += 2 {
		every2 = append(every2, candle(h, 100))
	}
	must(l.MergeKlines(sparse, every2))
	fromFooter[sparse.String()] = false
	// A summary that does not count the file's rows (rewritten by another
	// tool keeping the footer): read from the rows.
	stale := data.KlineKey{Kind: data.KlineFutures, Symbol: "SOLUSDT", Interval: "1h"}
	must(l.MergeKlines(stale, candles(0, 10, 100)))
	s, err := l.ReadKlines(stale)
	if err != nil {
		t.Fatal(err)
	}
	sum := s.Summary()
	writeLegacy(t, l.KlinesPath(stale), DatasetKlines, klineFooterKey(stale), s.State, &sum, encodeKlines(l.mem, stale.Kind, s.Rows[:7]))
	fromFooter[stale.String()] = false
	return fromFooter
}

// writeLegacy writes a series file with sum as its footer's summary (nil:
// none, as before summaries) and releases rec.
func writeLegacy(t *testing.T, path, dataset string, key any, st data.SeriesState, sum *data.SeriesSummary, rec arrow.Record) {
	t.Helper()
	defer rec.Release()
	st.Summary = sum
	footer, err := seriesFooter(dataset, key, st)
	if err != nil {
		t.Fatal(err)
	}
	if err := atomicfile.Write(path, func(w io.Writer) error { return writeParquet(w, rec, footer) }); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b[:len(b)/2], 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestStatusFromFootersMatchesRows: status from footers says exactly what
// status from every row says, on a lake of every dataset and kind with
// gaps, coverage, an old file, damaged files and a sparse series; and it
// reads footers where they can tell, rows elsewhere.
func TestStatusFromFootersMatchesRows(t *testing.T) {
	l := newTestLake(t)
	fromFooter := statusLake(t, l)
	rows, err := l.status(false)
	if err != nil {
		t.Fatal(err)
	}
	footers, err := l.status(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(fromFooter) {
		t.Fatalf("status lists %d series, the lake holds %d", len(rows), len(fromFooter))
	}
	if !reflect.DeepEqual(rows, footers) {
		for i := range rows {
			if !reflect.DeepEqual(rows[i], footers[i]) {
				t.Errorf("%s %s:\nfrom rows    %+v\nfrom footers %+v", rows[i].Dataset, rows[i].Series, rows[i], footers[i])
			}
		}
	}
	a, _ := json.Marshal(rows)
	b, _ := json.Marshal(footers)
	if string(a) != string(b) {
		t.Errorf("JSON differs:\nfrom rows    %s\nfrom footers %s", a, b)
	}
	var failed, gaps int
	for _, s := range footers {
		want, ok := fromFooter[s.Series]
		if !ok {
			t.Errorf("unexpected series %s", s.Series)
		}
		var fields []arrow.Field
		var key any
		switch s.Dataset {
		case DatasetBasis:
			fields, key = basisFields, data.BasisKey{Pair: s.Pair, ContractType: s.ContractType, Period: s.Period}
		case DatasetFunding:
			fields, key = fundingFields, map[string]string{"symbol": s.Symbol}
		default:
			fields, key = klineFields, klineFooterKey(data.KlineKey{Kind: s.Kind, Symbol: s.Symbol, ContractType: s.ContractType, Interval: s.Interval})
		}
		if _, got := l.footerState(s.File, s.Dataset, key, fields); got != want {
			t.Errorf("%s %s: described from its footer %v, want %v", s.Dataset, s.Series, got, want)
		}
		if s.Failed() {
			failed++
		}
		gaps += len(s.Gaps)
	}
	if failed != 3 || gaps < data.MaxSummaryGaps {
		t.Errorf("the lake has %d failed series (want 3) and %d gaps: the test misses a case", failed, gaps)
	}
	if aside, err := l.SetAsideFiles(); err != nil || len(aside) != 1 {
		t.Errorf("set aside: %v, %v", aside, err)
	}
}
