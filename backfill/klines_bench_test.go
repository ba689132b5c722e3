package backfill

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carry-research/carry/backfill/archive"
	"github.com/carry-research/carry/backfill/binance"
	"github.com/carry-research/carry/backfill/binancesim"
	"github.com/carry-research/carry/data"
	"github.com/carry-research/carry/data/lake"
	"golang.org/x/time/rate"
)

// Benchmarks of issue 13: years of klines from the archive and from REST.
// BENCHMARKS.md, "Years of klines (issue 13)", records their figures.

// archivedKinds are the four kline kinds the archive holds for a symbol.
var archivedKinds = []data.KlineKind{data.KlineFutures, data.KlineIndex, data.KlineMark, data.KlineSpot}

// benchYears is the years of history a benchmark imports: full, or
// short under -short (bench-smoke).
func benchYears(full, short int) int {
	if testing.Short() {
		return short
	}
	return full
}

// yearsSince is the first day of the month `years` years before
// testNow's: that many years of whole months, then testNow's month.
func yearsSince(years int) time.Time {
	return time.Date(testNow.Year()-years, testNow.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// klineMarket is BTCUSDT's 1h basis from a day before since to testNow
// and the candles of kinds derived from it.
func klineMarket(b *testing.B, since time.Time, kinds []data.KlineKind) (*binancesim.Market, []data.KlineKey) {
	b.Helper()
	m := binancesim.NewMarket()
	m.AddContract(binancesim.Contract{Symbol: "BTCUSDT", OnboardDate: since.Add(-24 * time.Hour).UnixMilli()})
	m.GenerateBasis(binancesim.BasisKey{Pair: "BTCUSDT", ContractType: "PERPETUAL", Period: "1h"}, time.Hour, since.Add(-24*time.Hour), testNow, 60000, 1, time.Time{})
	var keys []data.KlineKey
	for _, kind := range kinds {
		k := data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}
		if err := m.DeriveKlines(k); err != nil {
			b.Fatal(err)
		}
		keys = append(keys, k)
	}
	return m, keys
}

// archiveBench is the fake archive on loopback holding the four archived
// kinds of BTCUSDT 1h from since (monthly files, daily files for
// testNow's month), beside a fake exchange that lists BTCUSDT and holds
// no candles: a --source archive run asks REST for its clock only. The
// market the files were made from is dropped, so what stays on the heap
// is the zips (as on the real archive, not in the importer's process).
type archiveBench struct {
	since time.Time
	arch  *binancesim.Archive
	url   string
	srv   *binancesim.Server
	clock func() time.Time
	files int // zips published
}

func newArchiveBench(b *testing.B, since time.Time) *archiveBench {
	return newArchiveBenchOver(b, since, nil)
}

// link is a network between carry and the archive: each response waits a
// round trip before its first byte, and all responses share a bandwidth.
type link struct {
	rtt       time.Duration
	bandwidth *rate.Limiter // bytes per second, bursts of linkChunk
}

const linkChunk = 16 << 10

func newLink(rtt time.Duration, bytesPerSecond int) *link {
	return &link{rtt: rtt, bandwidth: rate.NewLimiter(rate.Limit(bytesPerSecond), linkChunk)}
}

func (l *link) handler(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(l.rtt)
		h.ServeHTTP(linkWriter{w, l, r.Context()}, r)
	})
}

type linkWriter struct {
	http.ResponseWriter
	l   *link
	ctx context.Context
}

func (w linkWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		c := p[:min(len(p), linkChunk)]
		if err := w.l.bandwidth.WaitN(w.ctx, len(c)); err != nil {
			return n, err
		}
		m, err := w.ResponseWriter.Write(c)
		n += m
		if err != nil {
			return n, err
		}
		p = p[len(c):]
	}
	return n, nil
}

func (w linkWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// newArchiveBenchOver is newArchiveBench with the archive behind l (nil:
// loopback as it is).
func newArchiveBenchOver(b *testing.B, since time.Time, l *link) *archiveBench {
	b.Helper()
	start := time.Now()
	clock := func() time.Time { return testNow.Add(time.Since(start)) }
	m, keys := klineMarket(b, since, archivedKinds)
	a := &archiveBench{since: since, clock: clock, arch: binancesim.NewArchive(binancesim.ArchiveOptions{Now: clock})}
	dailyFrom := time.Date(testNow.Year(), testNow.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, k := range keys {
		n, err := a.arch.PublishKlines(m, k, dailyFrom)
		if err != nil {
			b.Fatal(err)
		}
		a.files += n
	}
	rest := binancesim.NewMarket()
	rest.AddContract(binancesim.Contract{Symbol: "BTCUSDT", OnboardDate: since.Add(-24 * time.Hour).UnixMilli()})
	a.srv = binancesim.NewServer(rest, binancesim.Options{Now: clock})
	b.Cleanup(a.srv.Close)
	var h http.Handler = a.arch
	if l != nil {
		h = l.handler(h)
	}
	hs := httptest.NewServer(h)
	b.Cleanup(hs.Close)
	a.url = hs.URL
	return a
}

// config is `carry backfill --klines --kinds futures,index,mark,spot
// --intervals 1h --symbols BTCUSDT --source archive --since <since>` with
// the command's default concurrency (4).
func (a *archiveBench) config() Config {
	cfg := klineConfig(SourceArchive, a.since, archivedKinds, "BTCUSDT")
	cfg.Funding = false
	return cfg
}

// run imports the span into a fresh lake through the command's code path
// (a limiter-wrapped client, WithArchive) and returns the rows stored and
// the zips downloaded, by series, and the lake.
func (a *archiveBench) run(b *testing.B) (rows int, zips map[string][]string, l *lake.Lake) {
	b.Helper()
	l, err := lake.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	hc := &http.Client{Transport: binance.NewLimiter(nil, binance.DefaultLimits, nil)}
	c, err := binance.NewClient(a.srv.URL, hc, binance.WithSpotBaseURL(a.srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	a.arch.ResetLog()
	results, err := New(c, l, WithClock(a.clock), WithArchive(a.url, nil)).Run(context.Background(), a.config())
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range results {
		if r.Err != nil || r.Archive.Failed != nil || r.Requests != 0 {
			b.Fatalf("%s: %v, failed %v, %d REST requests", r.Series, r.Err, r.Archive.Failed, r.Requests)
		}
		rows += r.NewRows
	}
	zips = map[string][]string{}
	for _, q := range a.arch.Requests() {
		if strings.HasSuffix(q.Path, ".zip") && q.Status == http.StatusOK {
			dir := q.Path[:strings.LastIndex(q.Path, "/")] // one series' folder
			zips[dir] = append(zips[dir], q.Path)
		}
	}
	return rows, zips, l
}

// storeOnce writes the series an import stored in from into a fresh
// lake, one MergeKlines a series (concurrently, as a run's series are),
// and returns the time that took: the least the lake's Parquet costs.
func storeOnce(b *testing.B, from *lake.Lake) time.Duration {
	b.Helper()
	to, err := lake.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	series := map[data.KlineKey][]data.KlineRow{}
	for _, kind := range archivedKinds {
		k := data.KlineKey{Kind: kind, Symbol: "BTCUSDT", Interval: "1h"}
		s, err := from.ReadKlines(k)
		if err != nil {
			b.Fatal(err)
		}
		series[k] = s.Rows
	}
	start := time.Now()
	var wg sync.WaitGroup
	for k, rows := range series {
		wg.Go(func() {
			if _, err := to.MergeKlines(k, rows); err != nil {
				b.Error(err)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// importOnly runs the archive importer alone on the four series (one
// goroutine each, as a run does), its store only counting rows: no lake.
func (a *archiveBench) importOnly(b *testing.B) int {
	b.Helper()
	dl := archive.NewDownloader(archive.WithBaseURL(a.url), archive.WithTempDir(b.TempDir()))
	now := a.clock()
	var rows atomic.Int64
	var wg sync.WaitGroup
	for _, kind := range archivedKinds {
		ds, err := archive.KlineDataset(kind)
		if err != nil {
			b.Fatal(err)
		}
		pl, err := archive.PlanSpan(archive.Series{Dataset: ds, Symbol: "BTCUSDT", Interval: "1h"}, data.Span{From: a.since, To: now}, now)
		if err != nil {
			b.Fatal(err)
		}
		wg.Go(func() {
			store := func(_ archive.File, _ string, r []data.KlineRow) error { rows.Add(int64(len(r))); return nil }
			if res, err := archive.NewImporter(dl, nil, a.clock, nil).ImportKlines(context.Background(), pl, store); err != nil || res.Partial() {
				b.Errorf("%s: %v, failed %v", kind, err, res.Failed)
			}
		})
	}
	wg.Wait()
	return int(rows.Load())
}

// downloadAndUnzip is the floor under an import: each series' zips (one
// goroutine a series, as the import runs them) fetched from the same
// server into memory and every byte of their CSVs decompressed. It
// returns the CSV bytes read.
func downloadAndUnzip(b *testing.B, base string, zips map[string][]string) int64 {
	var total atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, len(zips))
	for _, paths := range zips {
		wg.Go(func() {
			for _, p := range paths {
				n, err := fetchUnzip(base + "/" + strings.TrimPrefix(p, "/"))
				if err != nil {
					errs <- err
					return
				}
				total.Add(n)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	return total.Load()
}

func fetchUnzip(url string) (int64, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: HTTP %d, %v", url, resp.StatusCode, err)
	}
	z, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		return 0, fmt.Errorf("%s: %w", url, err)
	}
	var n int64
	for _, e := range z.File {
		r, err := e.Open()
		if err != nil {
			return 0, err
		}
		m, err := io.Copy(io.Discard, r)
		r.Close()
		if err != nil {
			return 0, fmt.Errorf("%s: %w", url, err)
		}
		n += m
	}
	return n, nil
}

// BenchmarkArchiveImport: five years (one under -short) of BTCUSDT 1h
// futures, index, mark and spot candles from the fake archive on
// loopback, imported by `carry backfill --source archive`'s code path into
// a fresh lake. Metrics: rows stored per second, and the import's wall
// time over the time to download the same zips from the same server and
// decompress every CSV byte (measured in the same iterations); target
// import/download+unzip ≤ 1.5. Beside them, ms-store-once: the time to
// write the imported rows into a fresh lake with one MergeKlines a series,
// the least the lake's Parquet writes cost.
func BenchmarkArchiveImport(b *testing.B) {
	benchArchiveImport(b, nil)
}

// BenchmarkArchiveImportOverALink is BenchmarkArchiveImport with the
// archive 20 ms away at 50 MB/s (a response waits a round trip before its
// first byte; all share the bandwidth): what a researcher's machine sees
// of data.binance.vision, where the time goes to round trips, not CPU.
func BenchmarkArchiveImportOverALink(b *testing.B) {
	benchArchiveImport(b, newLink(20*time.Millisecond, 50_000_000))
}

func benchArchiveImport(b *testing.B, l *link) {
	years := benchYears(5, 1)
	a := newArchiveBenchOver(b, yearsSince(years), l)
	var imp, floor, once time.Duration
	var rows, files int
	var csvBytes int64
	for b.Loop() {
		t0 := time.Now()
		n, zips, l := a.run(b)
		t1 := time.Now()
		csvBytes = downloadAndUnzip(b, a.url, zips)
		floor += time.Since(t1)
		imp += t1.Sub(t0)
		once += storeOnce(b, l)
		rows, files = n, 0
		for _, z := range zips {
			files += len(z)
		}
	}
	if want := 4 * years * 8760; rows < want {
		b.Fatalf("%d rows stored, want at least %d", rows, want)
	}
	b.ReportMetric(float64(rows)*float64(b.N)/imp.Seconds(), "rows/s")
	b.ReportMetric(float64(imp)/float64(floor), "import/download+unzip")
	b.ReportMetric(float64(imp.Milliseconds())/float64(b.N), "ms-import")
	b.ReportMetric(float64(floor.Milliseconds())/float64(b.N), "ms-download+unzip")
	b.ReportMetric(float64(once.Milliseconds())/float64(b.N), "ms-store-once")
	b.ReportMetric(float64(files), "zips")
	b.ReportMetric(float64(csvBytes)/(1<<20), "MiB-csv")
}

// heapPeaks is what f added at most to the heap: Objects, the heap's
// objects (live and not yet swept: what the brief of issue 13 samples);
// Live, the heap the last collection found live (garbage and the
// collector's timing aside: what f holds).
type heapPeaks struct{ Objects, Live uint64 }

func (p heapPeaks) max(q heapPeaks) heapPeaks {
	return heapPeaks{max(p.Objects, q.Objects), max(p.Live, q.Live)}
}

// peakHeapAbove runs f while sampling the heap every 5 ms, after a
// collection, and returns the peaks less the heap after that collection.
func peakHeapAbove(f func()) heapPeaks {
	runtime.GC()
	read := func(s []metrics.Sample) heapPeaks {
		metrics.Read(s)
		return heapPeaks{s[0].Value.Uint64(), s[1].Value.Uint64()}
	}
	sample := func() []metrics.Sample {
		return []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	}
	base := read(sample())
	var mu sync.Mutex
	peak := base
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		s := sample()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			v := read(s)
			mu.Lock()
			peak = peak.max(v)
			mu.Unlock()
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
	return heapPeaks{peak.Objects - base.Objects, peak.Live - base.Live}
}

// peakLiveForced runs f while a collection is forced every 20 ms and
// returns the largest live heap one found, above the heap after a
// collection before f: what f holds, free of the collector's timing
// (which moves the sampled peaks by ±20 % from run to run).
func peakLiveForced(f func()) uint64 {
	live := func() uint64 {
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	base := live()
	var peak atomic.Uint64
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				if v := live(); v > peak.Load() {
					peak.Store(v)
				}
			}
		}
	}()
	f()
	close(stop)
	<-stopped
	return peak.Load() - min(peak.Load(), base)
}

// BenchmarkImportMemory: the peak heap a four-kind --source archive import
// adds (over the heap after a collection before it, which holds both
// fakes' zips) for one year and for five (1 and 2 under -short), in the
// same iterations, the largest of the iterations kept. Metrics: the
// ratio of the two, of the heap's objects sampled every 5 ms (target
// within 1.10: flat in the number of months), and of the live heap the
// collections found (a collection must end during f for it to move). The
// same peak of the archive importer alone (its store only counting rows,
// no lake) tells the importer's share from the lake's.
func BenchmarkImportMemory(b *testing.B) {
	short, long := 1, benchYears(5, 2)
	as, al := newArchiveBench(b, yearsSince(short)), newArchiveBench(b, yearsSince(long))
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	ys, yl := strconv.Itoa(short)+"y", strconv.Itoa(long)+"y"
	var ps, pl, is, il heapPeaks
	var fs, fl uint64
	for b.Loop() {
		ps = ps.max(peakHeapAbove(func() { as.run(b) }))
		pl = pl.max(peakHeapAbove(func() { al.run(b) }))
		is = is.max(peakHeapAbove(func() { as.importOnly(b) }))
		il = il.max(peakHeapAbove(func() { al.importOnly(b) }))
		fs = max(fs, peakLiveForced(func() { as.run(b) }))
		fl = max(fl, peakLiveForced(func() { al.run(b) }))
	}
	b.ReportMetric(mib(fs), "MiB-forced-live-"+ys)
	b.ReportMetric(mib(fl), "MiB-forced-live-"+yl)
	b.ReportMetric(float64(fl)/float64(fs), "forced-live-ratio")
	b.ReportMetric(mib(ps.Objects), "MiB-peak-"+ys)
	b.ReportMetric(mib(pl.Objects), "MiB-peak-"+yl)
	b.ReportMetric(float64(pl.Objects)/float64(ps.Objects), "peak-ratio")
	b.ReportMetric(mib(ps.Live), "MiB-live-"+ys)
	b.ReportMetric(mib(pl.Live), "MiB-live-"+yl)
	b.ReportMetric(float64(pl.Live)/float64(ps.Live), "live-ratio")
	b.ReportMetric(float64(il.Objects)/float64(is.Objects), "importer-peak-ratio")
	b.ReportMetric(mib(is.Objects), "MiB-importer-peak-"+ys)
	b.ReportMetric(mib(il.Objects), "MiB-importer-peak-"+yl)
}

// minKlineWeights is, from first principles, the least total weight of
// fetching n candles of kind for every n up to max: any page asks for 1
// to MaxKlineLimit candles and costs KlineWeight of its limit; the last
// page of a best plan leaves a best plan of the rest.
func minKlineWeights(kind data.KlineKind, maxN int) []int {
	w := make([]int, maxN+1)
	for n := 1; n <= maxN; n++ {
		w[n] = math.MaxInt
		for limit := 1; limit <= min(n, binance.MaxKlineLimit(kind)); limit++ {
			w[n] = min(w[n], w[n-limit]+binance.KlineWeight(kind, limit))
		}
	}
	return w
}

// checkUpTo yields 1 to 3,000 (every plan shape of the exact search
// around the classes' limits, several times over) and n.
func checkUpTo(n int) func(func(int) bool) {
	return func(yield func(int) bool) {
		for m := 1; m <= min(n, 3000); m++ {
			if !yield(m) {
				return
			}
		}
		if n > 3000 {
			yield(n)
		}
	}
}

// BenchmarkKlineRESTWeight: a fresh --source rest backfill of N 1h candles
// (five years, 43,800; a year under -short) of BTCUSDT's futures, index,
// mark and spot klines from the fake exchange. Metrics, summed over the
// four series: the requests sent over the least requests that can fetch N
// candles (ceil(N / the endpoint's largest limit)), over the requests of
// the weight-optimal plan (PlanKlinePages), and the weight the exchange
// counted over the least weight of any plan (a brute-force search over
// every page size, which PlanKlinePages is first checked against for every
// n up to 3,000 and for N). Targets 1.00; weight and requests cannot both be least on
// the futures endpoints (BENCHMARKS.md says why).
func BenchmarkKlineRESTWeight(b *testing.B) {
	n := benchYears(5, 1) * 8760
	minW := map[data.KlineKind][]int{}
	for _, kind := range archivedKinds {
		if kind != data.KlineFutures && kind != data.KlineSpot {
			minW[kind] = minW[data.KlineFutures] // the futures endpoints weigh alike
			continue
		}
		minW[kind] = minKlineWeights(kind, n)
		for m := range checkUpTo(n) {
			if got := binance.PlanWeight(binance.PlanKlinePages(kind, m)); got != minW[kind][m] {
				b.Fatalf("%s, %d candles: PlanKlinePages weighs %d, the least is %d", kind, m, got, minW[kind][m])
			}
		}
	}
	// The span: n candles ending a week before testNow (all closed).
	last := testNow.Truncate(time.Hour).Add(-7 * 24 * time.Hour)
	since := last.Add(-time.Duration(n-1) * time.Hour)
	m, _ := klineMarket(b, since, archivedKinds)
	cfg := klineConfig(SourceREST, since, archivedKinds, "BTCUSDT")
	cfg.Funding, cfg.UntilNow, cfg.Until = false, false, last
	paths := map[string]data.KlineKind{"/fapi/v1/klines": data.KlineFutures, "/fapi/v1/indexPriceKlines": data.KlineIndex,
		"/fapi/v1/markPriceKlines": data.KlineMark, "/api/v3/klines": data.KlineSpot}
	var reqs, minReqs, planReqs, weight, minWeight int
	var fut, futMin, spot, spotMin int
	for b.Loop() {
		e := newBenchEnv(b, m, binancesim.Options{}, binance.DefaultLimits)
		c, err := binance.NewClient(e.srv.URL, &http.Client{Transport: binance.NewLimiter(nil, binance.DefaultLimits, nil)}, binance.WithSpotBaseURL(e.srv.URL))
		if err != nil {
			b.Fatal(err)
		}
		results, err := New(c, e.lake, WithClock(e.b.now)).Run(context.Background(), cfg)
		if err != nil {
			b.Fatal(err)
		}
		reqs, minReqs, planReqs, weight, minWeight = 0, 0, 0, 0, 0
		fut, futMin, spot, spotMin = 0, 0, 0, 0
		for _, r := range results {
			kind := r.Series.Kline.Kind
			if r.Err != nil || r.NewRows != n {
				b.Fatalf("%s: %d rows stored, want %d (%v)", r.Series, r.NewRows, n, r.Err)
			}
			least := (n + binance.MaxKlineLimit(kind) - 1) / binance.MaxKlineLimit(kind)
			minReqs += least
			if kind == data.KlineSpot {
				spotMin += least
			} else {
				futMin += least
			}
			planReqs += len(binance.PlanKlinePages(kind, n))
			minWeight += minW[kind][n]
		}
		for _, q := range e.srv.Requests() {
			kind, ok := paths[q.Path]
			if !ok {
				continue // the clock, exchangeInfo
			}
			limit := binance.DefaultKlineLimit
			if s := q.Query.Get("limit"); s != "" {
				limit, _ = strconv.Atoi(s)
			}
			reqs++
			weight += binance.KlineWeight(kind, limit)
			if kind == data.KlineSpot {
				spot++
			} else {
				fut++
			}
		}
	}
	b.ReportMetric(float64(reqs)/float64(minReqs), "requests/min-requests")
	b.ReportMetric(float64(fut)/float64(futMin), "futures-requests/min")
	b.ReportMetric(float64(spot)/float64(spotMin), "spot-requests/min")
	b.ReportMetric(float64(reqs)/float64(planReqs), "requests/plan-requests")
	b.ReportMetric(float64(weight)/float64(minWeight), "weight/min-weight")
	b.ReportMetric(float64(reqs), "requests")
	b.ReportMetric(float64(weight), "weight")
}
