package sweep

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
	"github.com/carry-research/carry/internal/sim"
	"github.com/carry-research/carry/strategy"
)

// peakHeap runs f while sampling the heap's objects (live and not yet
// swept) every 10 ms, after a collection, and returns the peak in
// bytes: an upper bound of what f holds at once.
func peakHeap(f func()) uint64 {
	runtime.GC()
	var peak atomic.Uint64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(stop)
	<-stopped
	return peak.Load()
}

// expansionGrid lists 980 combinations per slippage value: 2 symbols × 7
// leverages × (the funding rule off, or 9 entries × 7 exits), some refused
// (exit above entry) and some duplicates (exits of the rule off).
func expansionGrid(slippages int) string {
	return "symbols: [BTCUSDT, ETHUSDT]\nleverage: {from: 1, to: 7, step: 1}\n" +
		"funding_enter: [null, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 0.14, 0.16, 0.20]\n" +
		"funding_exit: {from: -0.02, to: 0.10, step: 0.02}\n" +
		fmt.Sprintf("slippage: {from: 0.00001, to: %.5f, step: 0.00001}\n", float64(slippages)*0.00001)
}

// BenchmarkExpansionMemory: peak heap while counting a grid of 499,800
// and of 4,900,000 listed combinations and building every combination, on
// all cores, as a sweep's workers do (kernels aside). Metrics: the peak,
// and the peak per listed combination — before the lazy expansion about
// 2,700 bytes, growing with the grid; now flat.
func BenchmarkExpansionMemory(b *testing.B) {
	for _, c := range []struct {
		name       string
		slippages  int
		listedComb int
	}{{"500k", 510, 499_800}, {"4.9M", 5000, 4_900_000}} {
		b.Run(c.name, func(b *testing.B) {
			skipLargeWhenShort(b, c.listedComb)
			g, err := ParseGrid([]byte(expansionGrid(c.slippages)))
			if err != nil {
				b.Fatal(err)
			}
			var peak uint64
			var built atomic.Int64
			for b.Loop() {
				built.Store(0)
				peak = peakHeap(func() {
					ex, err := g.Plan(context.Background(), end)
					if err != nil {
						b.Fatal(err)
					}
					if listed := ex.Len() + ex.Invalid + ex.Duplicates; listed != c.listedComb {
						b.Fatalf("%d listed combinations, want %d", listed, c.listedComb)
					}
					s := ex.space
					if err := forEachChunk(context.Background(), s.chunks(), runtime.GOMAXPROCS(0), nil, func(ctx context.Context, _, chunk int) error {
						return s.walk(ctx, chunk, func(index int, _ []int, t *tuple, p *strategy.Params) error {
							if s.combination(t, p, index).ID == "" {
								return errors.New("no id")
							}
							built.Add(1)
							return nil
						})
					}); err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(peak)/(1<<20), "MiB-peak")
			b.ReportMetric(float64(peak)/float64(c.listedComb), "B/comb")
			b.ReportMetric(float64(built.Load()), "combinations")
		})
	}
}

// BenchmarkResultsMemory: peak heap while finalizing (sorting results.csv
// by index and writing results.parquet) and while analyzing the results of
// 500,000 and of 5,000,000 combinations — synthetic rows shaped like a
// real one, in the near-index order workers write them. Metrics: each
// peak, and per row.
func BenchmarkResultsMemory(b *testing.B) {
	template := templateRow(b)
	for _, c := range []struct {
		name string
		rows int
		grid string // exactly rows combinations, all valid
	}{
		{"500k", 500_000, "symbols: [BTCUSDT]\nleverage: {from: 1, to: 10, step: 1}\nslippage: {from: 0.00001, to: 0.005, step: 0.00001}\nspot_fee: {from: 0.0001, to: 0.01, step: 0.0001}\n"},
		{"5M", 5_000_000, "symbols: [BTCUSDT]\nleverage: {from: 1, to: 10, step: 1}\nslippage: {from: 0.00001, to: 0.005, step: 0.00001}\nspot_fee: {from: 0.00001, to: 0.01, step: 0.00001}\n"},
	} {
		b.Run(c.name, func(b *testing.B) {
			skipLargeWhenShort(b, c.rows)
			g, err := ParseGrid([]byte(c.grid))
			if err != nil {
				b.Fatal(err)
			}
			ex, err := g.Plan(context.Background(), end)
			if err != nil || ex.Len() != c.rows {
				b.Fatalf("%d combinations (%v), want %d", ex.Len(), err, c.rows)
			}
			dir := b.TempDir()
			src := filepath.Join(dir, "unsorted.csv")
			writeSyntheticResults(b, src, template, c.rows)
			_, kinds, _ := columns()
			var finalizePeak, analyzePeak uint64
			for b.Loop() {
				os.Remove(filepath.Join(dir, ResultsCSV))
				if err := os.Link(src, filepath.Join(dir, ResultsCSV)); err != nil {
					b.Fatal(err)
				}
				finalizePeak = peakHeap(func() {
					paths := []string{filepath.Join(dir, ResultsCSV)}
					h, rows, err := indexRows(context.Background(), paths)
					if err == nil {
						err = finalize(context.Background(), dir, h, kinds, paths, rows, nil, runtime.GOMAXPROCS(0))
					}
					if err != nil {
						b.Fatal(err)
					}
				})
				analyzePeak = peakHeap(func() {
					if _, err := AnalyzeContext(context.Background(), dir, nil, ex, nil, AnalysisOptions{}); err != nil {
						b.Fatal(err)
					}
				})
			}
			b.ReportMetric(float64(finalizePeak)/(1<<30), "GiB-peak-finalize")
			b.ReportMetric(float64(finalizePeak)/float64(c.rows), "B/row-finalize")
			b.ReportMetric(float64(analyzePeak)/(1<<30), "GiB-peak-analyze")
			b.ReportMetric(float64(analyzePeak)/float64(c.rows), "B/row-analyze")
		})
	}
}

// templateRow is the results row of one combination run on a simulated
// market.
func templateRow(b *testing.B) []string {
	dir := b.TempDir()
	lake := simLakeAt(b, filepath.Join(dir, "lake"))
	g, _ := ParseGrid([]byte("symbols: [BTCUSDT]\nfunding_enter: 0.05\nfunding_exit: 0\n"))
	ex, err := g.Plan(context.Background(), end)
	if err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if _, err := (&Job{Lake: lake, Out: out, Workers: 1}).Compute(context.Background(), []byte("template"), ex); err != nil {
		b.Fatal(err)
	}
	_, recs, err := readResults(filepath.Join(out, ResultsCSV))
	if err != nil || len(recs) != 1 {
		b.Fatalf("%d rows (%v)", len(recs), err)
	}
	return recs[0]
}

// writeSyntheticResults writes n rows like template to path, with their
// index and id, random Sharpe ratios and returns, shuffled within runs of
// 64 rows (workers finish out of order).
func writeSyntheticResults(b *testing.B, path string, template []string, n int) {
	header, _, _ := columns()
	varied := map[string]bool{"sharpe": true, "apr": true, "total_return": true, "final_equity": true, "max_drawdown": true, "volatility": true}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := csv.NewWriter(bw)
	w.Write(header)
	rng := rand.New(rand.NewPCG(1, 2))
	rec := append([]string(nil), template...)
	for lo := 0; lo < n; lo += 64 {
		for _, k := range rng.Perm(min(64, n-lo)) {
			i := lo + k
			sum := sha256.Sum256([]byte(strconv.Itoa(i)))
			rec[0], rec[1] = strconv.Itoa(i), hex.EncodeToString(sum[:8])
			for c, h := range header {
				if varied[h] {
					rec[c] = strconv.FormatFloat(rng.NormFloat64(), 'g', -1, 64)
				}
			}
			w.Write(rec)
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
}

// simLakeAt is a 40-day simulated market in a new lake at dir.
func simLakeAt(b *testing.B, dir string) *lake.Lake {
	lake, err := lake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	c := sim.DefaultConfig(end, 40, 7)
	c.Pairs = c.Pairs[:1]
	if _, err := sim.Backfill(context.Background(), c, lake, "http://sim.invalid", simServer(c)); err != nil {
		b.Fatal(err)
	}
	return lake
}

// skipLargeWhenShort skips sizes of millions under -short: CI runs every
// benchmark once with -short (make bench-smoke) so that none rots, and the
// 5M sizes take minutes and up to 15 GiB; make bench runs them.
func skipLargeWhenShort(b *testing.B, n int) {
	if testing.Short() && n > 1_000_000 {
		b.Skip("millions of combinations: run without -short (make bench)")
	}
}
