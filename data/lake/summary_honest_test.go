package lake

import (
	"reflect"
	"testing"
	"time"

	"github.com/apache/arrow/go/v17/arrow"
	"github.com/carry-research/carry/data"
)

// TestFooterSummaryIsHonest: after every kind of merge of every dataset —
// new rows, updated rows, a change of state alone, nothing changed — each
// file's footer summary is the one computed from its rows, and counts the
// rows the file holds.
func TestFooterSummaryIsHonest(t *testing.T) {
	l := newTestLake(t)
	defer func(n int) { checkpointRows = n }(checkpointRows)
	checkpointRows = 16 // KlineMerge checkpoints by count too
	futures := perpKlinesKey()
	mar := data.ContractRow{Symbol: "BTCUSDT_260327", ContractType: data.CurrentQuarter, DeliveryDate: time.Date(2026, 3, 27, 8, 0, 0, 0, time.UTC), OnboardDate: hour(0), Status: "TRADING"}
	jun := data.ContractRow{Symbol: "BTCUSDT_260626", ContractType: data.NextQuarter, DeliveryDate: time.Date(2026, 6, 26, 8, 0, 0, 0, time.UTC), OnboardDate: hour(0), Status: "TRADING"}
	steps := []struct {
		name  string
		merge func() (MergeResult, error)
		wrote bool
	}{
		{"basis: new rows with a gap", func() (MergeResult, error) {
			return l.MergeBasis(perpKey(), []data.BasisRow{basisRow(0, 100, 101), basisRow(1, 100, 101), basisRow(5, 100, 101)})
		}, true},
		{"basis: an updated row", func() (MergeResult, error) {
			return l.MergeBasis(perpKey(), []data.BasisRow{basisRow(1, 100, 103)})
		}, true},
		{"basis: the gap filled", func() (MergeResult, error) {
			return l.MergeBasis(perpKey(), []data.BasisRow{basisRow(2, 100, 101), basisRow(3, 100, 101), basisRow(4, 100, 101)})
		}, true},
		{"basis: state only", func() (MergeResult, error) {
			return l.MergeBasis(perpKey(), nil, WithCovered(data.Span{From: hour(0), To: hour(5)}))
		}, true},
		{"basis: nothing", func() (MergeResult, error) {
			return l.MergeBasis(perpKey(), []data.BasisRow{basisRow(2, 100, 101)})
		}, false},
		{"basis: a series of no rows", func() (MergeResult, error) {
			return l.MergeBasis(data.BasisKey{Pair: "ETHUSDT", ContractType: data.Perpetual, Period: "1h"}, nil, WithHistoryStart(hour(0)))
		}, true},
		{"funding: a lone event", func() (MergeResult, error) { return l.MergeFunding("BTCUSDT", fundingAt(0)) }, true},
		{"funding: state only, the interval the lone event takes", func() (MergeResult, error) {
			return l.MergeFunding("BTCUSDT", nil, WithIntervalHours(4))
		}, true},
		{"funding: new events, one missed", func() (MergeResult, error) { return l.MergeFunding("BTCUSDT", fundingAt(4, 12, 16)) }, true},
		{"funding: an updated event", func() (MergeResult, error) {
			r := fundingAt(12)
			r[0].MarkPrice = data.Some(100)
			return l.MergeFunding("BTCUSDT", r)
		}, true},
		{"funding: nothing", func() (MergeResult, error) { return l.MergeFunding("BTCUSDT", fundingAt(0)) }, false},
		{"klines: new candles with a gap", func() (MergeResult, error) {
			return l.MergeKlines(futures, append(candles(0, 10, 100), candles(20, 30, 100)...))
		}, true},
		{"klines: updated candles", func() (MergeResult, error) { return l.MergeKlines(futures, candles(5, 8, 200)) }, true},
		{"klines: state only", func() (MergeResult, error) {
			return l.MergeKlines(futures, nil, WithChecksum("BTCUSDT-1h-2026-01.zip", "00"))
		}, true},
		{"klines: nothing", func() (MergeResult, error) { return l.MergeKlines(futures, candles(0, 3, 100)) }, false},
		{"klines: an open candle dropped", func() (MergeResult, error) {
			return l.MergeKlines(futures, []data.KlineRow{candle(30, 100), candle(int(l.now().Sub(hour(0))/time.Hour), 100)})
		}, true},
		{"klines: one session, batches out of order and past checkpoints", func() (MergeResult, error) {
			m, err := l.StartKlineMerge(futures)
			if err != nil {
				return MergeResult{}, err
			}
			defer m.Abort()
			for _, b := range [][]data.KlineRow{candles(40, 80, 100), candles(12, 15, 300), candles(100, 140, 100), candles(90, 95, 100)} {
				if _, err := m.Add(b); err != nil {
					return MergeResult{}, err
				}
			}
			return m.Commit()
		}, true},
		{"contracts: new", func() (MergeResult, error) { return l.MergeContracts("BTCUSDT", []data.ContractRow{jun, mar}) }, true},
		{"contracts: updated", func() (MergeResult, error) {
			jun.ContractType = data.CurrentQuarter
			return l.MergeContracts("BTCUSDT", []data.ContractRow{jun})
		}, true},
		{"contracts: nothing", func() (MergeResult, error) { return l.MergeContracts("BTCUSDT", []data.ContractRow{jun}) }, false},
	}
	for _, s := range steps {
		res, err := s.merge()
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if res.Written != s.wrote {
			t.Errorf("%s: written %v, want %v", s.name, res.Written, s.wrote)
		}
		for what, c := range honestyChecks(t, l) {
			if !reflect.DeepEqual(c.footer, c.rows) {
				t.Errorf("after %s, %s: footer summary\n%+v\nrows say\n%+v", s.name, what, c.footer, c.rows)
			}
		}
	}
}

type summaryPair struct{ footer, rows data.SeriesSummary }

// honestyChecks pairs each series file's footer summary with the one its
// rows give.
func honestyChecks(t *testing.T, l *Lake) map[string]summaryPair {
	t.Helper()
	out := map[string]summaryPair{}
	footer := func(path, dataset string, key any, fields []arrow.Field) data.SeriesSummary {
		s, err := l.openSeriesStream(path, dataset, key, fields)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if s.state.Summary == nil {
			t.Fatalf("%s: no summary in the footer", path)
		}
		if n := s.rdr.MetaData().NumRows; n != int64(s.state.Summary.Rows) {
			t.Errorf("%s: the summary counts %d rows, the file holds %d", path, s.state.Summary.Rows, n)
		}
		return *s.state.Summary
	}
	keys, _ := l.BasisKeys()
	for _, k := range keys {
		s, err := l.ReadBasis(k)
		if err != nil {
			t.Fatal(err)
		}
		out[k.String()] = summaryPair{footer(l.BasisPath(k), DatasetBasis, k, basisFields), s.Summary().Footer()}
	}
	symbols, _ := l.FundingSymbols()
	for _, sym := range symbols {
		s, err := l.ReadFunding(sym)
		if err != nil {
			t.Fatal(err)
		}
		out["funding "+sym] = summaryPair{footer(l.FundingPath(sym), DatasetFunding, map[string]string{"symbol": sym}, fundingFields), s.Summary().Footer()}
	}
	klines, _ := l.KlineKeys()
	for _, k := range klines {
		s, err := l.ReadKlines(k)
		if err != nil {
			t.Fatal(err)
		}
		out[k.String()] = summaryPair{footer(l.KlinesPath(k), DatasetKlines, klineFooterKey(k), klineFields), s.Summary().Footer()}
	}
	if rows, err := l.ReadContracts("BTCUSDT"); err == nil {
		out["contracts BTCUSDT"] = summaryPair{footer(l.ContractsPath("BTCUSDT"), DatasetContracts, map[string]string{"pair": "BTCUSDT"}, contractFields), contractsSummary(rows)}
	}
	return out
}
