package api

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carry-research/carry/data/lake"
)

// The load benchmark serves the lake from a child process (this test binary
// run again with childEnv set), so the peak RSS it reports is the server's
// alone, not the 2,000 clients'.
const childEnv = "CARRY_API_BENCH_SERVE_LAKE"

// loadClients is how many requests the benchmark fires at once.
const loadClients = 2000

// rssGuard kills a server grown past it, so a regression cannot take the
// machine down; its unanswered requests count as errors.
const rssGuard = 6 << 30

func TestMain(m *testing.M) {
	if dir := os.Getenv(childEnv); dir != "" {
		if err := serveChild(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// serveChild serves the lake at dir as `carry serve` does, prints the
// address on stdout and stops when stdin closes.
func serveChild(dir string) error {
	lake, err := lake.Open(dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := New(lake, "", logger)
	go h.Warm() // as carry serve does
	srv := NewServer(h, logger)
	go srv.Serve(ln)
	fmt.Println(ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	return srv.Close()
}

// child is the serving process.
type child struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	addr  string
	// peakRSS is the most resident memory seen (bytes); killed is set
	// when the guard ended the process.
	peakRSS atomic.Int64
	killed  atomic.Bool
	done    chan struct{}
}

func startChild(b *testing.B, lakeDir string) *child {
	b.Helper()
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	c := &child{cmd: exec.Command(exe, "-test.run=^$"), done: make(chan struct{})}
	c.cmd.Env = append(os.Environ(), childEnv+"="+lakeDir)
	c.cmd.Stderr = os.Stderr
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		b.Fatal(err)
	}
	out, err := c.cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		c.cmd.Process.Kill()
		b.Fatalf("the serving child said nothing: %v", err)
	}
	c.addr = strings.TrimSpace(line)
	go c.watch()
	return c
}

// watch samples the child's resident memory every 5 ms.
func (c *child) watch() {
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-c.done:
			return
		case <-t.C:
		}
		rss, hwm := procStatus(c.cmd.Process.Pid)
		if hwm > rss {
			rss = hwm
		}
		if rss > c.peakRSS.Load() {
			c.peakRSS.Store(rss)
		}
		if rss > rssGuard && !c.killed.Swap(true) {
			c.cmd.Process.Kill()
		}
	}
}

// procStatus reads VmRSS and VmHWM (peak RSS) of a process, in bytes.
func procStatus(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		name, v, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		switch name {
		case "VmRSS":
			rss = kb << 10
		case "VmHWM":
			hwm = kb << 10
		}
	}
	return rss, hwm
}

func (c *child) stop() {
	c.stdin.Close()
	close(c.done)
	c.cmd.Wait()
}

// loadResult is one burst of requests.
type loadResult struct {
	latencies []time.Duration
	errors    int
	retries   int
}

// fire sends n requests at once across the endpoints, each client honouring
// Retry-After on a 503 (up to 10 tries); latency runs from the first try to
// the end of the last answer's body.
func fire(client *http.Client, base string, n int, symbols []string) loadResult {
	res := loadResult{latencies: make([]time.Duration, n)}
	var errs, retries atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		sym := symbols[i%len(symbols)]
		path := []string{"/api/v1/funding-rates", "/api/v1/funding-rates/" + sym, "/api/v1/funding-rates/" + sym + "/history",
			"/api/v1/funding-rates/" + sym + "/history?limit=1000", "/api/v1/futures/basis"}[i%5]
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			t0 := time.Now()
			tries, err := getRetrying(client, base+path)
			res.latencies[i] = time.Since(t0)
			retries.Add(int64(tries - 1))
			if err != nil {
				errs.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	res.errors, res.retries = int(errs.Load()), int(retries.Load())
	return res
}

// getRetrying GETs url until a 200, waiting as Retry-After says after a
// 503; anything else is an error.
func getRetrying(client *http.Client, url string) (tries int, err error) {
	for tries = 1; ; tries++ {
		resp, err := client.Get(url)
		if err != nil {
			return tries, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil {
			return tries, err
		}
		switch {
		case resp.StatusCode == http.StatusOK:
			return tries, nil
		case resp.StatusCode == http.StatusServiceUnavailable && tries < 10:
			secs, perr := strconv.Atoi(resp.Header.Get("Retry-After"))
			if perr != nil {
				return tries, fmt.Errorf("503 without a Retry-After in seconds")
			}
			time.Sleep(time.Duration(secs) * time.Second)
		default:
			return tries, fmt.Errorf("%s: status %d", url, resp.StatusCode)
		}
	}
}

// BenchmarkServeLoad fires 2,000 concurrent requests (funding rates, one
// rate, histories of 100 and 1,000 events, basis) at the API serving a
// ~10 MB lake over loopback, in bursts, and reports the server's peak RSS,
// the errors and the latencies. The first burst, right after the server
// starts, opens the 2,000 connections while the lake is being read into
// memory (ms-p99-first); the timed bursts reuse the connections, as load
// tools and browsers do (ms-p50, ms-p99).
func BenchmarkServeLoad(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads the server's peak RSS from /proc")
	}
	dir := filepath.Join(b.TempDir(), "lake")
	lake, err := lake.Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	cfg := benchLake{pairs: 24, days: 365}
	if err := cfg.write(lake, time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)); err != nil {
		b.Fatal(err)
	}
	c := startChild(b, dir)
	defer c.stop()
	tr := &http.Transport{MaxIdleConns: loadClients, MaxIdleConnsPerHost: loadClients, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 2 * time.Minute}
	base := "http://" + c.addr

	first := fire(client, base, loadClients, cfg.symbols())
	errs, retries := first.errors, first.retries
	var all []time.Duration
	for b.Loop() {
		r := fire(client, base, loadClients, cfg.symbols())
		all = append(all, r.latencies...)
		errs += r.errors
		retries += r.retries
	}
	b.ReportMetric(float64(c.peakRSS.Load())/(1<<20), "MiB-peak-rss")
	b.ReportMetric(float64(errs), "errors")
	b.ReportMetric(float64(retries), "retries")
	b.ReportMetric(ms(percentile(all, 50)), "ms-p50")
	b.ReportMetric(ms(percentile(all, 99)), "ms-p99")
	b.ReportMetric(ms(percentile(first.latencies, 99)), "ms-p99-first")
	if c.killed.Load() {
		b.Errorf("the server passed %d MiB and was killed", rssGuard>>20)
	}
}

func percentile(d []time.Duration, p int) time.Duration {
	d = slices.Clone(d)
	slices.Sort(d)
	return d[(len(d)-1)*p/100]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
